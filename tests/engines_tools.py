# Helpers for the engine tests: run a scaffolded workflow's `run:` steps as GitHub Actions would (bash -eo pipefail,
# values from `env:`), with this project's virtualenv first on PATH, so the tests exercise the workflow's own text.
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def workflow_steps(path: Path, job: str) -> dict[str, dict[str, Any]]:
    """The steps of one job by name (or by action for unnamed ones)."""
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {s.get("name", s.get("uses", "").split("@")[0]): s for s in flow["jobs"][job]["steps"]}


def run_step(step: Mapping[str, Any], cwd: Path, env: Mapping[str, str] | None = None,
             timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run a step's script with `bash --noprofile --norc -eo pipefail`, GitHub's default shell."""
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_MKDOCS_2_WARNING": "1",
                "ANTHROPIC_API_KEY": "", "GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "", **(env or {})}
    workdir = cwd / step["working-directory"] if "working-directory" in step else cwd
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workdir,
                          env=full_env, capture_output=True, text=True, check=False, timeout=timeout)
    assert done.returncode == 0, f"{step.get('name')} failed:\n{done.stdout}\n{done.stderr}"
    return done


def clone_this_repository(target: Path) -> Path:
    """A throwaway clone of this repository (its committed state), to scaffold and build in."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, capture_output=True, timeout=300)
    return target
