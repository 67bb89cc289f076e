# Generated git histories for benchmarks and audits, written with `git fast-import` (thousands of commits a second).
# The history mixes what real repositories do: dependency bumps, real replacements, manifests moved between paths,
# lockfiles deleted and restored, feature branches merged after main moved, ordinary code commits, and commit
# subjects with decision words that change nothing ("Removed flake8 exclusion").
from __future__ import annotations

import json
import os
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Gen", "GIT_AUTHOR_EMAIL": "gen@example.com", "GIT_COMMITTER_NAME": "Gen",
       "GIT_COMMITTER_EMAIL": "gen@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

PYTHON_ROLES = {"web": ["flask", "django", "fastapi"], "http": ["requests", "httpx", "aiohttp"],
                "test": ["pytest", "nose2"], "lint": ["flake8", "ruff", "pylint"], "db": ["psycopg", "pymysql"]}
NPM_ROLES = {"ui": ["react", "vue", "svelte"], "http": ["axios", "ky", "got"], "test": ["jest", "vitest", "mocha"],
             "bundle": ["webpack", "vite", "esbuild"]}
NOISE_SUBJECTS = ("Removed flake8 exclusion", "Fix typo", "Refactor the parser", "Switch to tabs in the editor config",
                  "Drop unused helper", "Migrate the docs page", "Update README", "Replace the logo")


@dataclass
class _Tree:
    python: dict[str, str] = field(default_factory=dict)
    npm: dict[str, str] = field(default_factory=dict)
    python_path: str = "requirements.txt"
    lockfile: str | None = "web/package-lock.json"
    files: dict[str, str] = field(default_factory=dict)

    def render(self) -> dict[str, str]:
        out = dict(self.files)
        out[self.python_path] = "".join(f"{name}>={version}\n" for name, version in sorted(self.python.items()))
        out["web/package.json"] = json.dumps({"name": "web", "dependencies": dict(sorted(self.npm.items()))},
                                             indent=2) + "\n"
        if self.lockfile:
            out[self.lockfile] = "{}\n"
        return out


def _commit(stream: list[bytes], ref: str, when: int, subject: str, files: dict[str, str], deleted: set[str],
            parents: list[str], mark: int) -> None:
    message = subject.encode()
    stream.append(f"commit {ref}\nmark :{mark}\nauthor Gen <gen@example.com> {when} +0000\n"
                  f"committer Gen <gen@example.com> {when} +0000\ndata {len(message)}\n".encode() + message + b"\n")
    if parents:
        stream.append(f"from {parents[0]}\n".encode())
        stream.extend(f"merge {p}\n".encode() for p in parents[1:])
    for path in sorted(deleted):
        stream.append(f"D {path}\n".encode())
    for path, text in sorted(files.items()):
        data = text.encode()
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")


def generate(root: Path, commits: int, *, seed: int = 7, files_per_commit: int = 1) -> None:
    """Write a repository with `commits` commits on main (plus merged feature branches) at `root`.

    Args:
        root: Folder to create.
        commits: Commits on the first-parent line.
        seed: Random seed (the same seed gives the same history).
        files_per_commit: Code files each ordinary commit touches (more file changes per commit).
    """
    rng = random.Random(seed)
    tree = _Tree(python={choices[0]: "1.0" for choices in PYTHON_ROLES.values()},
                 npm={choices[0]: "^1.0.0" for choices in NPM_ROLES.values()})
    stream: list[bytes] = []
    previous_paths: set[str] = set()
    mark = 0
    when = 1_500_000_000
    for index in range(commits):
        when += rng.randint(600, 40_000)
        kind = rng.random()
        subject = f"Work item {index}"
        if kind < 0.05:  # a real replacement, said in the subject
            ecosystem, roles = rng.choice((("python", PYTHON_ROLES), ("npm", NPM_ROLES)))
            deps = tree.python if ecosystem == "python" else tree.npm
            role = rng.choice(sorted(roles))
            current = next((n for n in roles[role] if n in deps), None)
            new = rng.choice([n for n in roles[role] if n != current])
            if current:
                version = deps.pop(current)
                deps[new] = version
                subject = f"Replace {current} with {new}"
        elif kind < 0.25:
            deps = tree.python if rng.random() < 0.5 else tree.npm
            name = rng.choice(sorted(deps))
            deps[name] = f"{rng.randint(1, 9)}.{index}" if deps is tree.python else f"^{rng.randint(1, 9)}.{index}.0"
            subject = f"Bump {name}"
        elif kind < 0.28:  # a manifest moves: not a decision
            tree.python_path = ("requirements/base.txt" if tree.python_path == "requirements.txt"
                                else "requirements.txt")
            subject = "Reorganise requirements"
        elif kind < 0.30:  # the lockfile is deleted, and restored a few commits later: not a decision
            tree.lockfile = None if tree.lockfile else "web/package-lock.json"
            subject = "Regenerate the lockfile"
        elif kind < 0.36:
            subject = rng.choice(NOISE_SUBJECTS)
        for _ in range(files_per_commit):
            tree.files[f"src/module{rng.randint(0, 400)}.py"] = f"VALUE = {index}\n"
        files = tree.render()
        mark += 1
        parents = [f":{mark - 1}"] if mark > 1 else []
        if rng.random() < 0.04 and mark > 2:  # a feature branch from an older commit, merged now
            fork = f":{max(1, mark - rng.randint(2, 20))}"
            branch_files = {"requirements.txt": "flask>=1.0\nwhoosh>=2.7\n", "docs/feature.md": f"# {index}\n"}
            _commit(stream, "refs/heads/feature", when - 500, "Fixed wrong search result locations", branch_files,
                    set(), [fork], mark)
            mark += 1
            parents = [f":{mark - 2}", f":{mark - 1}"]
            subject = f"Merge branch 'feature-{index}'"
        deleted = previous_paths - set(files)
        _commit(stream, "refs/heads/main", when, subject, files, deleted, parents, mark)
        previous_paths = set(files)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True, env=ENV)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True, env=ENV)
