# Tokens and keys never appear in pages, report.json, logs, error messages or CLI output.
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.errors import SourceError
from autodevhub_docs.log import get_logger
from autodevhub_docs.redact import MASK, redact, redact_data
from autodevhub_docs.settings import from_options
from tests.helpers import Repo, write_mkdocs_yml

GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
ANTHROPIC_KEY = "sk-ant-api03-" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0" + "-AAAA"
CUSTOM_SECRET = "custom-credential-value-8x7y6z"  # held in a variable with an innocent name
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n" \
              "7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\n" \
              "-----END RSA PRIVATE KEY-----"
SECRETS = (GITHUB_TOKEN, ANTHROPIC_KEY, CUSTOM_SECRET, "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw")


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"GITHUB_TOKEN": GITHUB_TOKEN, "ANTHROPIC_API_KEY": ANTHROPIC_KEY, "DOCS_CREDS": CUSTOM_SECRET,
              "GITHUB_APP_PRIVATE_KEY": PRIVATE_KEY}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked into {where}"


def leaky_repo(root: Path) -> Repo:
    """A repository whose commits, README and file names carry the secret values (committed by mistake)."""
    repo = Repo(root)
    repo.commit(f"Add config with token {GITHUB_TOKEN}", {
        "README.md": f"# Leaky\n\n## Installation\n\n```bash\nexport GITHUB_TOKEN={GITHUB_TOKEN}\n"
                     f"export ANTHROPIC_API_KEY={ANTHROPIC_KEY}\n```\n\nKey: {CUSTOM_SECRET}\n",
        "app/main.py": "print('hi')\n",
        f"notes/{CUSTOM_SECRET}.txt": "x\n",
        "doc/adr/0001-keys.md": f"# 1. Keep keys out\n\n## Status\n\nAccepted\n\n{PRIVATE_KEY}\n",
    })
    repo.commit(f"Rotate {ANTHROPIC_KEY}\n\nold key was {CUSTOM_SECRET}", {"app/util.py": "x = 1\n"})
    return repo


def test_redact_masks_values_and_known_shapes(secret_env: dict[str, str]) -> None:
    from autodevhub_docs.redact import register_env_names
    register_env_names("DOCS_CREDS")
    text = f"{GITHUB_TOKEN} {ANTHROPIC_KEY} {CUSTOM_SECRET} {PRIVATE_KEY} AKIAIOSFODNN7EXAMPLE " \
           "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz https://user:hunter2pass@example.com/x " \
           "Authorization: Bearer abcdefghijklmnop gho_abcdefghijklmnopqrstuvwxyz0123"
    out = redact(text)
    assert_clean(out, "redact()")
    for shape in ("AKIAIOSFODNN7EXAMPLE", "github_pat_11", "hunter2pass", "abcdefghijklmnop", "gho_", "PRIVATE KEY"):
        assert shape not in out
    assert out.count(MASK) >= 9
    assert redact("an ordinary sentence about tokens: 1 2 3") == "an ordinary sentence about tokens: 1 2 3"
    assert redact_data({"warnings": [f"x {GITHUB_TOKEN}"], GITHUB_TOKEN: 1}) == {"warnings": [f"x {MASK}"], MASK: 1}


def test_logs_and_errors_never_show_a_secret(secret_env: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    log = get_logger("autodevhub_docs.sources.github")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.autodevhub_docs"):
        log.warning("request failed with token %s and key %s", GITHUB_TOKEN, ANTHROPIC_KEY)
        log.info(f"header Authorization: token {GITHUB_TOKEN}")
        try:
            raise RuntimeError(f"server said: bad key {ANTHROPIC_KEY}")
        except RuntimeError:
            log.exception("call failed")
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "request failed with token [REDACTED]" in logged
    assert "call failed" in logged and "server said: bad key [REDACTED]" in logged
    assert_clean(logged, "logs")
    assert_clean(caplog.text, "formatted logs")
    error = SourceError(f"GitHub refused {GITHUB_TOKEN}", f"Check ${'{'}GITHUB_TOKEN{'}'} ({GITHUB_TOKEN[:4]}...)")
    assert_clean(str(error), "an error message")
    assert str(error).splitlines()[-1].startswith("--> ")


def test_pages_and_report_never_show_a_secret(tmp_path: Path, secret_env: dict[str, str]) -> None:
    repo = leaky_repo(tmp_path / "leaky")
    settings = from_options({"llm": "offline", "github_token_env": "DOCS_CREDS"}, base_dir=repo.root)
    result = pipeline.run_build(settings)
    assert result.pages and any(MASK in page for page in result.pages.values())
    for uri, page in result.pages.items():
        assert_clean(page, uri)
        assert_clean(page.replace("\\", ""), f"{uri} without escapes")
    report_text = (settings.cache_dir / "report.json").read_text(encoding="utf-8")
    assert_clean(report_text, "report.json")
    report = pipeline.write_report(tmp_path / "r", {"warnings": [f"GitHub said 401 for {GITHUB_TOKEN}"]})
    assert json.loads(report.read_text())["warnings"] == [f"GitHub said 401 for {MASK}"]


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autodevhub_docs", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, check=False, timeout=120)


def test_cli_and_mkdocs_output_never_show_a_secret(tmp_path: Path, secret_env: dict[str, str]) -> None:
    repo = leaky_repo(tmp_path / "leaky")
    config = write_mkdocs_yml(repo.root, {"llm": "offline", "github_token_env": "DOCS_CREDS"})
    env = {**os.environ, **secret_env, "NO_MKDOCS_2_WARNING": "1"}
    generated = _cli(["generate", "-f", str(config), "--out", str(tmp_path / "out")], env, repo.root)
    assert generated.returncode == 0, generated.stderr
    assert_clean(generated.stdout + generated.stderr, "CLI output")
    for page in (tmp_path / "out").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert_clean(text, str(page))
        assert_clean(text.replace("\\", ""), f"{page} without escapes")  # escaping must not split a secret
    # An error whose message quotes a secret (here: a repo_path named after the token) is masked too.
    bad = write_mkdocs_yml(tmp_path / "bad", {"llm": "offline", "repo_path": f"missing-{GITHUB_TOKEN}"})
    failed = _cli(["generate", "-f", str(bad), "--out", str(tmp_path / "out2")], env, tmp_path)
    assert failed.returncode == 1
    assert "-->" in failed.stderr and "Traceback" not in failed.stderr
    assert_clean(failed.stdout + failed.stderr, "CLI error")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], capture_output=True, text=True, env=env,
                           cwd=repo.root, check=False, timeout=300)
    assert built.returncode == 0, built.stderr
    assert_clean(built.stdout + built.stderr, "mkdocs output")
    site = repo.root / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".js", ".md", ".txt"}:
            assert_clean(path.read_text(encoding="utf-8", errors="replace"), str(path))
    failed_build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(bad)], capture_output=True, text=True, env=env,
                                  cwd=tmp_path / "bad", check=False, timeout=300)
    assert failed_build.returncode != 0
    assert "-->" in failed_build.stderr and "Traceback" not in failed_build.stderr
    assert_clean(failed_build.stdout + failed_build.stderr, "mkdocs error output")
