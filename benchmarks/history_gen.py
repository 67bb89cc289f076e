# Generated git histories for benchmarks and audits, written with `git fast-import` (thousands of commits a second).
# The history mixes what real repositories do: dependency bumps, real replacements, manifests moved between paths,
# lockfiles deleted and restored, feature branches merged after main moved, ordinary code commits, and commit
# subjects with decision words that change nothing ("Removed flake8 exclusion").
from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Callable
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
    _rendered: tuple[object, dict[str, str]] | None = None

    def render(self) -> dict[str, str]:
        """The manifests and the lockfile as they are now (most commits change none: the last answer is kept)."""
        state = (tuple(sorted(self.python.items())), tuple(sorted(self.npm.items())), self.python_path, self.lockfile)
        if self._rendered is not None and self._rendered[0] == state:
            return self._rendered[1]
        out = {self.python_path: "".join(f"{name}>={version}\n" for name, version in sorted(self.python.items())),
               "web/package.json": json.dumps({"name": "web", "dependencies": dict(sorted(self.npm.items()))},
                                              indent=2) + "\n"}
        if self.lockfile:
            out[self.lockfile] = "{}\n"
        self._rendered = (state, out)
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


def generate(root: Path, commits: int, *, seed: int = 7, files_per_commit: int = 1, modules: int = 400,
             module_path: str = "src/module{n}.py", replacements: float = 0.05,
             more_files: Callable[[int], dict[str, str]] | None = None) -> None:
    """Write a repository with `commits` commits on main (plus merged feature branches) at `root`.

    Each commit lists only the files it changes, so the stream grows with the changes, not with the tree.

    Args:
        root: Folder to create.
        commits: Commits on the first-parent line.
        seed: Random seed (the same seed gives the same history).
        files_per_commit: Code files each ordinary commit touches (more file changes per commit).
        modules: Size of the pool of small modules those commits touch.
        module_path: Where module `n` is, as a format string of `n` and `group` (`n // 25`): nested folders keep
            each commit's new trees small, as in real repositories (fast-import rewrites every tree on the path).
        replacements: Share of commits that replace a dependency with another (real decisions).
        more_files: Files a main-line commit also writes (added or replaced), by commit index: how a code base
            grows inside the history (`benchmarks/scale_repo.py`).
    """
    rng = random.Random(seed)
    tree = _Tree(python={choices[0]: "1.0" for choices in PYTHON_ROLES.values()},
                 npm={choices[0]: "^1.0.0" for choices in NPM_ROLES.values()})
    stream: list[bytes] = []
    previous: dict[str, str] = {}  # the manifests after the last main-line commit
    written: dict[str, str] = {}  # every other file of the main line (modules, `more_files`), as last written
    mark = 0
    when = 1_500_000_000
    for index in range(commits):
        when += rng.randint(600, 40_000)
        kind = rng.random()
        subject = f"Work item {index}"
        if kind < replacements:  # a real replacement, said in the subject
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
        touched = {module_path.format(n=(n := rng.randint(0, modules)), group=n // 25): f"VALUE = {index}\n"
                   for _ in range(files_per_commit)}
        touched.update(more_files(index) if more_files is not None else {})
        manifests = tree.render()
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
        changed = {path: text for path, text in manifests.items() if previous.get(path) != text}
        changed.update((path, text) for path, text in touched.items() if written.get(path) != text)
        _commit(stream, "refs/heads/main", when, subject, changed, previous.keys() - manifests.keys(), parents, mark)
        previous = manifests
        written.update(touched)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True, env=ENV)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True, env=ENV)
