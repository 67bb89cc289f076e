# The worst inputs of issue 13 together (alias bombs, four 200 MB past versions of package.json, JSON and YAML nested
# 30k-50k deep, a route of 2,000 concatenated strings, package.json -> /dev/zero) build with the real CLI in a
# process whose address space is capped at 1 GiB, within a time limit: nothing is buffered whole, nothing hangs.
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests import hostile_repos as hostile

CEILING = 1 << 30  # 1 GiB of address space for the build and the git processes it starts
BIG = 200_000_000


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))


def _worst_repository(root: Path) -> Path:
    repo = hostile.malformed_repo(root)
    for version in range(4):  # git stores them compressed; reading one back whole would take 200 MB
        padding = chr(ord("a") + version) * BIG
        (root / "package.json").write_text(f'{{"name": "big", "version": "{version}.0.0", "description": "{padding}",'
                                           f' "dependencies": {{"left-pad": "^1.{version}.0"}}}}', encoding="utf-8")
        repo.commit(f"package.json version {version}")
    (root / "package.json").unlink()
    os.symlink("/dev/zero", root / "package.json")
    repo.commit("package.json is now /dev/zero")
    return root


@pytest.mark.slow
def test_worst_inputs_build_under_one_gib(tmp_path: Path) -> None:
    root = _worst_repository(tmp_path / "worst")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": ""}
    done = subprocess.run([sys.executable, "-m", "autodevhub_docs", "generate", "--out", str(tmp_path / "out")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False,
                          preexec_fn=_limit_memory)  # noqa: PLW1509 - only setrlimit, before exec
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert (tmp_path / "out" / "architecture" / "index.md").is_file()
    assert "expands to more than 1,000,000 nodes" in done.stderr


def test_the_ceiling_is_real(tmp_path: Path) -> None:
    # Proof that the limit bites: the same subprocess set-up fails when a child really allocates 2 GiB.
    done = subprocess.run([sys.executable, "-c", "x = bytearray(2 << 30)"], capture_output=True, text=True,
                          timeout=60, check=False, preexec_fn=_limit_memory)  # noqa: PLW1509
    assert done.returncode != 0 and "MemoryError" in done.stderr
