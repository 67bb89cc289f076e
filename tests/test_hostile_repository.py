# The repository itself as the payload (issue 13): Dockerfiles, compose files, workflows, manifests, Makefiles,
# file names, symlinks and git history written by an attacker. Each vector is built as a throwaway repository
# (tests/hostile_repos.py) and run through the real CLI or `mkdocs build`.
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.rendering import markdown as md
from autodevhub_docs.settings import from_options
from autodevhub_docs.sources.git import clean_remote
from tests import hostile_repos as hostile
from tests import mermaid as mermaid_checker
from tests.browser_tools import (
    CHROMIUM,
    DIAGRAM_SVGS,
    DIAGRAMS_RENDERED,
    ERROR_PROBE,
    MERMAID_JS,
    OPEN_SHADOW_ROOTS,
    guard_requests,
    launch,
    serve_folder,
)
from tests.helpers import mkdocs_build, write_mkdocs_yml
from tests.test_browser_hostile import check_in_browser

PRIVATE_THEME = {"theme": {"name": "material", "font": False}}


def _site_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in folder.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml", ".txt", ".md"}}


def _cli(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": ""}
    return subprocess.run([sys.executable, "-m", "autodevhub_docs", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False, timeout=timeout)


def _macros_site(root: Path) -> Path:
    """mkdocs.yml with mkdocs-macros after our plugin (it renders every page's Markdown as a Jinja template) and
    Mermaid self-hosted, so any request leaving 127.0.0.1 can only come from the content."""
    return write_mkdocs_yml(root, extra={**PRIVATE_THEME, "plugins": [
        "search", {"autodevhub": {"llm": "offline", "cache_dir": ".cache/autodevhub", "mermaid_js": str(MERMAID_JS)}},
        "macros"]})


def test_dockerfile_compose_and_workflow_words_stay_text_under_mkdocs_macros(tmp_path: Path) -> None:
    repo = hostile.xss_repo(tmp_path / "shop")
    done = mkdocs_build(_macros_site(repo.root), strict=False)
    assert done.returncode == 0, done.stderr
    site = _site_files(repo.root / "site")
    deployment = site["development/deployment/index.html"]
    shown = html.unescape(re.sub(r"<[^>]+>", "", deployment))
    assert "<svg/onload=alert(document.domain)>" in shown and "[x](javascript:alert(1))" in shown  # as text
    assert "'pwn'" in shown
    for path, text in site.items():
        assert not re.search(r"<svg[/\s]+onload", text, re.I), path
        assert 'href="javascript:' not in text, path
        assert "pwned" not in text and ">evaluated<" not in text and " evaluated " not in text, path
        assert str(repo.root / "docs") not in text, f"mkdocs-macros evaluated config.docs_dir in {path}"


def test_generate_out_markdown_is_inert_for_any_engine(tmp_path: Path) -> None:
    repo = hostile.xss_repo(tmp_path / "shop")
    done = _cli(["generate", "--out", str(tmp_path / "out")], repo.root)
    assert done.returncode == 0, done.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.md")}
    assert "alert(document.domain)" in pages["deployment.md"]
    for name, text in pages.items():
        assert "<svg" not in text and "](javascript:" not in text, name
        assert not re.search(r"\{[{%#]", text), f"template code in {name}"


@pytest.mark.browser
@pytest.mark.slow
def test_dockerfile_payload_runs_no_script_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM.is_file() and MERMAID_JS.is_file(), "scripts/test installs chromium and the npm packages"
    repo = hostile.xss_repo(tmp_path / "shop")
    done = mkdocs_build(_macros_site(repo.root), strict=False)
    assert done.returncode == 0, done.stderr
    site = repo.root / "site"
    with serve_folder(site) as base:
        found = check_in_browser(site, base)
    assert found == {"dialogs": [], "outside": [], "handlers": [], "script_links": []}


def test_secrets_committed_anywhere_reach_no_output_file(tmp_path: Path) -> None:
    repo = hostile.secrets_repo(tmp_path / "deployer")
    config = write_mkdocs_yml(repo.root, {"llm": "offline"}, extra=PRIVATE_THEME)
    done = mkdocs_build(config, strict=False)
    assert done.returncode == 0, done.stderr
    generated = _cli(["generate", "-f", str(config), "--out", str(tmp_path / "out")], repo.root)
    assert generated.returncode == 0, generated.stderr
    outputs = {**{f"site/{k}": v for k, v in _site_files(repo.root / "site").items()},
               **{f"out/{k}": v for k, v in _site_files(tmp_path / "out").items()},
               "report.json": (repo.root / ".cache" / "autodevhub" / "report.json").read_text(encoding="utf-8"),
               "output": done.stdout + done.stderr + generated.stdout + generated.stderr}
    assert {"site/llms.txt", "site/search/search_index.json", "site/changes/feed.xml"} <= set(outputs)
    for where, text in outputs.items():
        plain = html.unescape(text).replace("\\", "")
        for secret in hostile.SECRETS:
            assert secret not in plain, f"{secret} leaked into {where}"
    # The commands are still documented, with only the secret masked.
    setup = html.unescape(outputs["site/development/setup-guide/index.html"])
    assert "curl -u admin:[REDACTED] https://files.example.com/upload" in setup
    assert "sshpass -p [REDACTED] scp" in setup and "AWS_SECRET_ACCESS_KEY=[REDACTED] aws s3 sync" in setup
    changes = html.unescape(outputs["site/changes/index.html"])
    assert "Rotate the payment key [REDACTED] and API_KEY=[REDACTED]" in changes
    assert "https://git.example.com/acme/deployer/commit/" in outputs["site/changes/index.html"]


@pytest.mark.parametrize(("text", "masked"), [
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY make", "AWS_SECRET_ACCESS_KEY=[REDACTED] make"),
    ("sshpass -p hunter2pass ssh host", "sshpass -p [REDACTED] ssh host"),
    ("mysql -u root -pSup3rSecret db", "mysql -u root -p[REDACTED] db"),
    ("curl -u admin:DbPassw0rd123 https://x", "curl -u admin:[REDACTED] https://x"),
    ("deploy --password hunter2pass --token=abc123def456", "deploy --password [REDACTED] --token=[REDACTED]"),
    ('{"password": "correct-horse"}', '{"password": "[REDACTED]"}'),
    ("Authorization: Bearer abcDEF123456ghiJKL", "Authorization: Bearer [REDACTED]"),
    ("https://user:s3cret@example.com/x", "https://user:[REDACTED]@example.com/x"),
    ("https://example.com/x?access_token=abcdef123456&page=2", "https://example.com/x?access_token=[REDACTED]&page=2"),
    ("key ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "key [REDACTED]"),
    ("slack xoxb-1234567890-abcdefghijkl", "slack [REDACTED]"),
    ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "jwt [REDACTED]"),
    ("value=Zx8Qp2Lm9Vt4Rw7Ks1Hd", "value=[REDACTED]"),  # high entropy in assignment position
])
def test_redactor_catches_credentials_in_any_position(text: str, masked: str) -> None:
    from autodevhub_docs.redact import redact

    assert redact(text, secrets=[]) == masked


@pytest.mark.parametrize("text", [
    "docker run -p 8080:80 nginx", "mkdir -p build/out", "virtualenv -p python3.11 .venv", "pytest -p no:randomly",
    "image: python:3.12-slim", "token: ${{ secrets.GITHUB_TOKEN }}", "password: <your password>",
    "see https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567", "SECRET_KEY=dev",
    "an ordinary sentence about tokens: 1 2 3", "git@github.com:acme/shop.git", "ports: 8000:8000",
])
def test_redactor_leaves_ordinary_commands_alone(text: str) -> None:
    from autodevhub_docs.redact import redact

    assert redact(text, secrets=[]) == text


def test_symlinks_out_of_the_repository_and_special_files_are_never_read(tmp_path: Path) -> None:
    repo = hostile.symlink_repo(tmp_path / "linked", tmp_path / "elsewhere")
    config = write_mkdocs_yml(repo.root, {"llm": "offline"}, extra=PRIVATE_THEME)
    done = mkdocs_build(config, strict=False)  # /dev/zero and the FIFO would hang or eat memory if opened
    assert done.returncode == 0, done.stderr
    generated = _cli(["generate", "-f", str(config), "--out", str(tmp_path / "out")], repo.root, timeout=120)
    assert generated.returncode == 0, generated.stderr
    outputs = {**_site_files(repo.root / "site"), **_site_files(tmp_path / "out")}
    for where, text in outputs.items():
        for word in ("outside-secret-project", "outside-secret-dependency", "OUTSIDE-README-TEXT", "root:x:0:0"):
            assert word not in text, f"{word} from outside the repository in {where}"


def test_malformed_files_are_skipped_with_a_warning_naming_them(tmp_path: Path) -> None:
    repo = hostile.malformed_repo(tmp_path / "broken")
    config = write_mkdocs_yml(repo.root, {"llm": "offline"}, extra=PRIVATE_THEME)
    done = mkdocs_build(config, strict=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr.replace("ERROR", "")
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    expected = {
        "app.py": "nested deeper than 250 levels",
        "package.json": "nested deeper than 64 levels",
        "docker-compose.yml": "expands to more than 1,000,000 nodes",
        "openapi.yaml": "expands to more than 1,000,000 nodes",
        ".github/workflows/deep.yml": "not valid YAML",
        ".github/workflows/jobs.yml": "'jobs' is not a mapping",
        ".github/workflows/steps.yml": "the steps of job 'build' are not a list",
    }
    for path, problem in expected.items():
        assert any(f"{path}: " in line and problem in line for line in warnings), (path, warnings)
    shutil.rmtree(repo.root / ".cache")  # a build reused from the cache does not read the files again
    assert mkdocs_build(config, strict=True).returncode != 0, "--strict must fail on these warnings"
    assert (repo.root / "site" / "architecture" / "index.html").is_file()


def test_adr_records_that_share_a_file_name_get_two_pages_and_a_warning(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    repo = hostile.adr_collision_repo(tmp_path / "records")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.autodevhub_docs"):
        pages = pipeline.run_build(from_options({"llm": "offline", "sections": ["adr"]}, base_dir=repo.root)).pages
    assert "CURRENT-RECORD-TEXT" in pages["adr/0001-use-x.md"]
    assert "ARCHIVED-RECORD-TEXT" in pages["adr/archive/0001-use-x.md"]
    assert "(<0001-use-x.md>)" in pages["adr/index.md"] and "(<archive/0001-use-x.md>)" in pages["adr/index.md"]
    assert any("share the file name 0001-use-x.md" in r.getMessage() and "doc/adr/archive/0001-use-x.md" in
               r.getMessage() for r in caplog.records)


def test_source_links_encode_each_path_segment(tmp_path: Path) -> None:
    repo = hostile.link_repo(tmp_path / "links")
    result = pipeline.run_build(from_options({"llm": "offline", "sections": ["architecture"]}, base_dir=repo.root))
    page = result.pages["architecture/deployment-architecture.md"]
    base = f"https://git.example.com/acme/links/blob/{result.facts.head}"
    assert f"(<{base}/.github/workflows/a%23b%3Fc.yml>)" in page
    assert f"(<{base}/deploy/%252e%252e%252fsecret.dockerfile#L1>)" in page


@pytest.mark.parametrize(("path", "encoded"), [
    ("a#b?c.yml", "a%23b%3Fc.yml"), ("%2e%2e%2fx", "%252e%252e%252fx"), ("dir/sp ace.md", "dir/sp%20ace.md"),
    ("javascript:alert(1).md", "javascript%3Aalert%281%29.md"), ("a'b\"c<d>.md", "a%27b%22c%3Cd%3E.md"),
])
def test_path_segments_are_percent_encoded(path: str, encoded: str) -> None:
    assert md.path_segments(path) == encoded
    assert md.href(path) == encoded


@pytest.mark.parametrize(("url", "safe"), [
    ("https://user:pw@example.com/a b?q=1#f", "https://example.com/a%20b?q=1#f"),
    ("https://example.com/%zz/%41", "https://example.com/%25zz/%41"),
    ("javascript:alert(1)", None), ("//example.com/x", None), ("https://:80/x", None),
])
def test_safe_url_drops_credentials_and_stray_percents(url: str, safe: str | None) -> None:
    assert md.safe_url(url) == safe


@pytest.mark.parametrize(("remote", "clean"), [
    ("https://x-access-token:ghs_abc@github.com/acme/shop.git", "https://github.com/acme/shop.git"),
    ("https://git.example.com/acme/shop.git?access_token=abc#frag", "https://git.example.com/acme/shop.git"),
    ("git@github.com:acme/shop.git", "git@github.com:acme/shop.git"),
])
def test_remote_urls_lose_credentials_and_queries(remote: str, clean: str) -> None:
    assert clean_remote(remote) == clean


def _edges(diagram: str) -> int:
    return len(re.findall(r"\s(?:<?-->|<?-\.->|---|-\.-)\s", diagram)) + len(re.findall(r"\|\|--|\}o--|\|o--", diagram))


@pytest.mark.mermaid
def test_dense_graphs_stay_under_mermaids_edge_limit_and_list_the_rest(tmp_path: Path) -> None:
    assert mermaid_checker.available(), "run `npm ci` (scripts/test does)"
    repo = hostile.dense_repo(tmp_path / "dense")
    result = pipeline.run_build(from_options({"llm": "offline", "sections": ["architecture"]}, base_dir=repo.root))
    diagrams = mermaid_checker.diagrams_in(result.pages.values())
    assert diagrams
    for diagram in diagrams:
        assert _edges(diagram) <= 500 and len(diagram) < 50_000
    mermaid_checker.assert_all_parse(diagrams)
    overview = result.pages["architecture/system-overview.md"]
    assert "870 of the 870 connections are not drawn one by one" in overview  # 30 packages: one hub
    assert "30 nodes that all link to one another" in overview
    deployment = result.pages["architecture/deployment-architecture.md"]
    assert deployment.count("<-->") == 300  # 600 depends_on edges, drawn as 300 two-way arrows


@pytest.mark.browser
@pytest.mark.slow
def test_densest_diagrams_render_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM.is_file() and MERMAID_JS.is_file(), "scripts/test installs chromium and the npm packages"
    from playwright.sync_api import sync_playwright

    repo = hostile.dense_repo(tmp_path / "dense")
    config = write_mkdocs_yml(repo.root, {"llm": "offline", "mermaid_js": str(MERMAID_JS)}, extra=PRIVATE_THEME)
    done = mkdocs_build(config, strict=False)
    assert done.returncode == 0, done.stderr
    site = repo.root / "site"
    with serve_folder(site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(OPEN_SHADOW_ROOTS)
            context.add_init_script(ERROR_PROBE)
            blocked = guard_requests(context)
            for url in ("architecture/system-overview/", "architecture/deployment-architecture/", "architecture/"):
                expected = (site / url / "index.html").read_text(encoding="utf-8").count('<pre class="mermaid">')
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(base + url, wait_until="load")
                page.wait_for_function(DIAGRAMS_RENDERED, arg=expected, timeout=120_000)
                svgs = page.evaluate(DIAGRAM_SVGS)
                assert len(svgs) == expected and errors == [], (url, errors)
                for svg in svgs:
                    assert svg is not None and svg["role"] != "error" and "Syntax error" not in svg["text"], url
                    assert "Edge limit" not in svg["text"], url
                page.close()
            assert blocked == []
        finally:
            browser.close()
