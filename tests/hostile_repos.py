# Throwaway repositories whose own files are the payload (issue 13): each vector of the threat model in SECURITY.md
# has one builder here, used by tests/test_hostile_repository.py and tests/test_memory_ceiling.py.
from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import Repo

XSS = "<svg/onload=alert(document.domain)> [x](javascript:alert(1))"
MACRO = "{{ 'pwn' ~ 'ed' }} {{ config.docs_dir }} {% if true %}evaluated{% endif %}"
"""Template code that shows `pwned`, the build machine's path or `evaluated` if mkdocs-macros runs it."""

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SSHPASS = "hunter2pass"
CURL_PASSWORD = "DbPassw0rd123"
STRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
API_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc"
REMOTE_TOKEN = "remotetoken1234567890abcdef"
SECRETS = (AWS_SECRET, AWS_KEY_ID, SSHPASS, CURL_PASSWORD, STRIPE_KEY, API_KEY, REMOTE_TOKEN)


def alias_bomb(top: str = "") -> str:
    """Nine levels of nine aliases (1.1 KB that stands for 9^9 nodes), then `top` (the file's real content)."""
    text = "a: &a [" + ",".join(["lol"] * 9) + "]\n"
    for index, name in enumerate("bcdefghi"):
        text += f"{name}: &{name} [" + ",".join([f"*{'abcdefghi'[index]}"] * 9) + "]\n"
    return text + top


def deep_json(levels: int) -> str:
    return '{"name": "deep", "dependencies": ' + "[" * levels + "]" * levels + "}"


def deep_yaml(levels: int) -> str:
    return "on: push\njobs: " + "[" * levels + "]" * levels + "\n"


def xss_repo(root: Path) -> Repo:
    """A Dockerfile, compose file and workflow whose words are script, links and template code."""
    repo = Repo(root)
    repo.commit("Initial commit", {
        "README.md": "# Shop\n\nA shop.\n",
        "Dockerfile": f"FROM python:3.12-slim\nEXPOSE 8000 {XSS} {MACRO}\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    ports:\n"
                              f"      - \"8000:8000 {XSS}\"\n      - \"{MACRO}\"\n",
        ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                   f"    steps:\n      - run: echo \"{XSS} {MACRO}\"\n",
        "app/main.py": "print('hi')\n",
    })
    return repo


def secrets_repo(root: Path) -> Repo:
    """Credentials committed where no token list looks: a Makefile command, npm scripts, a commit subject, a remote."""
    repo = Repo(root)
    repo.commit("Initial commit", {
        "README.md": "# Deployer\n\n## Deployment\n\n```bash\nmake deploy\n```\n",
        "Makefile": f"deploy:\n\tAWS_ACCESS_KEY_ID={AWS_KEY_ID} AWS_SECRET_ACCESS_KEY={AWS_SECRET} "
                    "aws s3 sync site s3://bucket\n",
        "package.json": json.dumps({"name": "deployer", "scripts": {
            "upload": f"curl -u admin:{CURL_PASSWORD} https://files.example.com/upload",
            "ship": f"sshpass -p {SSHPASS} scp -r dist deploy@example.com:/srv"}}, indent=2),
        "app/main.py": "print('hi')\n",
    })
    repo.commit(f"Rotate the payment key {STRIPE_KEY} and API_KEY={API_KEY}", {"app/util.py": "x = 1\n"})
    repo.git("remote", "add", "origin", f"https://git.example.com/acme/deployer.git?access_token={REMOTE_TOKEN}")
    return repo


def symlink_repo(root: Path, outside: Path) -> Repo:
    """Manifests and a README that are symlinks out of the repository, to a file, to /dev/zero, and a FIFO."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "pyproject.toml").write_text("[project]\nname = \"outside-secret-project\"\n"
                                            "dependencies = [\"outside-secret-dependency\"]\n", encoding="utf-8")
    (outside / "README.md").write_text("# OUTSIDE-README-TEXT\n", encoding="utf-8")
    repo = Repo(root)
    repo.write({"app/main.py": "print('hi')\n", "Makefile": "build:\n\techo build\n"})
    os.symlink(outside / "pyproject.toml", root / "pyproject.toml")
    os.symlink(outside / "README.md", root / "README.md")
    os.symlink("/dev/zero", root / "package.json")
    os.symlink("../../etc/passwd", root / "app" / "requirements.txt")
    repo.commit("Initial commit")
    (root / "Makefile").unlink()
    os.mkfifo(root / "Makefile")  # tracked as a file, a FIFO in the working tree: opening it would block
    return repo


def malformed_repo(root: Path) -> Repo:
    """Files that used to raise UnicodeDecodeError, RecursionError, AttributeError or TypeError."""
    repo = Repo(root)
    route = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(" + " + ".join(['"/a"'] * 2000) + \
        ")\ndef index():\n    return 'x'\n"
    repo.commit("Initial commit", {
        "pyproject.toml": b"[project]\nname = \"caf\xe9\xff-shop\"\ndependencies = [\"flask\"]\n",
        "package.json": deep_json(50_000),
        "docker-compose.yml": alias_bomb("services:\n  web:\n    image: nginx\n    ports: *i\n"),
        "openapi.yaml": alias_bomb("openapi: 3.0.0\ninfo: {title: Bomb, version: '1'}\npaths: {}\n"),
        ".github/workflows/deep.yml": deep_yaml(30_000),
        ".github/workflows/jobs.yml": "on: push\njobs: [build]\n",
        ".github/workflows/steps.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: 5\n",
        "app.py": route,
    })
    return repo


def adr_collision_repo(root: Path) -> Repo:
    repo = Repo(root)
    repo.commit("Initial commit", {
        "README.md": "# Records\n",
        "doc/adr/0001-use-x.md": "# 1. Use X\n\n## Status\n\nAccepted\n\nCURRENT-RECORD-TEXT\n",
        "doc/adr/archive/0001-use-x.md": "# 1. Use X (old)\n\n## Status\n\nSuperseded\n\nARCHIVED-RECORD-TEXT\n",
    })
    return repo


def link_repo(root: Path) -> Repo:
    """File names with `#`, `?` and an encoded `../`, and a remote on GitHub."""
    repo = Repo(root)
    repo.commit("Initial commit", {
        "README.md": "# Links\n",
        ".github/workflows/a#b?c.yml": "name: odd\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                       "    steps:\n      - run: pytest\n",
        "deploy/%2e%2e%2fsecret.dockerfile": "FROM alpine:3\n",
    })
    repo.git("remote", "add", "origin", "https://git.example.com/acme/links.git")
    return repo


def dense_repo(root: Path, services: int = 25, packages: int = 30) -> Repo:
    """Compose services that all depend on each other and top-level packages that all import each other."""
    names = [f"svc{i}" for i in range(services)]
    compose = "services:\n" + "".join(
        f"  {name}:\n    image: nginx\n    depends_on: [{', '.join(n for n in names if n != name)}]\n" for name in names)
    files = {"README.md": "# Dense\n", "docker-compose.yml": compose}
    pkgs = [f"pkg{i}" for i in range(packages)]
    for pkg in pkgs:
        files[f"{pkg}/__init__.py"] = "".join(f"import {other}\n" for other in pkgs if other != pkg)
    repo = Repo(root)
    repo.commit("Initial commit", files)
    return repo
