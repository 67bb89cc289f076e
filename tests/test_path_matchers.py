# Path classification runs for every path of the repository (and every version of every manifest), so it is done by
# compiled matchers (issue 18). Each one must answer exactly as its rule says: the rules are written here the plain
# way (split the path, fnmatch each glob, PurePosixPath for names and suffixes) and compared on generated paths.
from __future__ import annotations

import fnmatch
import os
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodevhub_docs.redact import _SECRET_NAME, SECRET_ENV_NAMES, redact, secret_values
from autodevhub_docs.sources.git import is_excluded
from autodevhub_docs.sources.languages import language_of
from autodevhub_docs.sources.manifests import is_manifest
from autodevhub_docs.sources.paths import SAMPLE_PARTS, is_sample_path

_PART = st.one_of(st.sampled_from([*sorted(SAMPLE_PARTS), "Tests", "FIXTURES", "Vendor", "src", "app", "a.b", ".",
                                   "requirements", "node_modules", "Dockerfile", "x.PY", ".bashrc", "name.", "tests.py"]),
                  st.text(alphabet="aeTsx._-/[]*?", max_size=8))
_PATH = st.lists(_PART, min_size=1, max_size=5).map("/".join)
_GLOB = st.one_of(st.sampled_from(["docs/**", "tests/fixtures/**", "*.md", "vendor/", "a", "**/gen/*", "[ab]*/x?.py",
                                   "/**", "**", "x/**/y", "src/*.min.js", "we[ird.py", "a.b", "app/"]),
                  st.text(alphabet="ax/*?.[]", max_size=6))


def _sample_rule(path: str) -> bool:
    return any(part.lower() in SAMPLE_PARTS for part in path.split("/")[:-1])


def _exclude_rule(path: str, globs: list[str]) -> bool:
    for glob in globs:
        folder = glob.rstrip("/").removesuffix("/**") if glob.rstrip("/").endswith("/**") else glob.rstrip("/")
        if fnmatch.fnmatchcase(path, glob) or path == folder or path.startswith(folder + "/"):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(_PATH)
def test_sample_folders_are_any_folder_of_the_path_never_its_name(path: str) -> None:
    assert is_sample_path(path) == _sample_rule(path)


@settings(max_examples=400, deadline=None)
@given(_PATH, st.lists(_GLOB, max_size=4))
def test_exclude_globs_match_as_fnmatch_and_their_folders(path: str, globs: list[str]) -> None:
    assert is_excluded(path, globs) == _exclude_rule(path, globs)


@settings(max_examples=400, deadline=None)
@given(_PATH)
def test_the_language_comes_from_the_name_and_its_lowered_suffix(path: str) -> None:
    pure = PurePosixPath(path)
    if pure.as_posix() != path or not pure.name:  # git lists normalised paths only
        return
    name = pure.name
    assert language_of(path) == language_of(name)  # the folders never count
    if "Dockerfile" not in name and "dockerfile" not in name and name not in _NAMED:
        assert language_of(path) == language_of("file" + PurePosixPath(name.lower()).suffix)


_NAMED = {"Makefile", "GNUmakefile", "Justfile", "justfile", "Procfile", "Gemfile", "Rakefile", "Vagrantfile",
          "CMakeLists.txt", "Jenkinsfile", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml",
          "composer.lock", "deno.lock"}


@pytest.mark.parametrize(("path", "sample", "language", "manifest"), [
    ("src/app/models.py", False, "Python", False),
    ("tests/fixtures/app/models.py", True, "Python", False),
    ("packages/web/__tests__/App.test.tsx", True, "TypeScript", False),
    ("Examples/demo/package.json", True, "JSON", True),
    ("tests.py", False, "Python", False),  # a file named like a sample folder is not in one
    ("web/node_modules/react/package.json", True, "JSON", False),
    ("requirements/dev.txt", False, "Text", True),
    ("requirements-dev.txt", False, "Text", True),
    ("docs/requirements.md", False, "Markdown", False),
    ("deploy/Dockerfile.prod", False, "Dockerfile", False),
    ("web/package-lock.json", False, None, False),  # a lockfile is nobody's code
    ("scripts/.bashrc", False, None, False),
    ("App/App.csproj", False, None, True),
])
def test_known_paths(path: str, sample: bool, language: str | None, manifest: bool) -> None:
    assert (is_sample_path(path), language_of(path), is_manifest(path)) == (sample, language, manifest)


def test_secret_values_follow_every_change_of_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n in SECRET_ENV_NAMES or _SECRET_NAME.search(n)]:
        monkeypatch.delenv(name)
    assert secret_values() == []
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_first_value_1234")
    assert secret_values() == ["ghp_first_value_1234"]
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_second_value_1234")
    assert "ghp_second_value_1234" in secret_values() and "ghp_first_value_1234" not in secret_values()
    monkeypatch.setenv("MY_SERVICE_CREDENTIAL", "another-secret-value")
    assert "another-secret-value" in secret_values()
    monkeypatch.setenv("PLAIN_SETTING", "not-a-secret-at-all")
    assert "not-a-secret-at-all" not in secret_values()
    assert "not-a-secret-at-all" in secret_values(names=["PLAIN_SETTING"])
    assert secret_values({"API_KEY": "x" * 9}) == ["x" * 9]  # an explicit environment is read, not the process's
    monkeypatch.delenv("GITHUB_TOKEN")
    assert "ghp_second_value_1234" not in secret_values()


def test_the_shells_working_folders_are_no_secrets() -> None:
    folder = "/home/dev/projects/notes"
    environ = {"PWD": folder, "OLDPWD": "/home/dev/projects", "DB_PWD": "hunter2-but-longer"}
    assert secret_values(environ) == ["hunter2-but-longer"]  # a *_PWD variable is still a password
    assert redact(f"built in {folder}", secret_values(environ)) == f"built in {folder}"
    assert secret_values(environ, names=["PWD"]) == [folder, "hunter2-but-longer"]  # unless named as secret
