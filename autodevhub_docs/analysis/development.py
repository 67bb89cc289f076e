# What a developer needs: environment variables (.env examples, pydantic settings classes, os.environ and
# process.env reads) and the project's commands (npm scripts, make and just targets). Values that could be
# secrets are never kept: only short, harmless defaults reach a page.
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, walk
from autodevhub_docs.model import EnvVar, Script, SourceRef
from autodevhub_docs.parsing.formats import load_json

ReadText = Callable[[str], "str | None"]
_SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASS|PWD|CREDENTIAL|PRIVATE|AUTH|DSN|SALT|SIGNATURE|COOKIE|SESSION",
                          re.I)
_ENV_FILE = re.compile(r"(^|/)\.?env\.(example|sample|template|dist|defaults)$|(^|/)example\.env$|(^|/)\.env\.local\."
                       r"example$")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_SETTINGS_BASES = {"BaseSettings"}


def safe_default(name: str, value: str | None) -> str | None:
    """Keep a default only when it cannot be a secret: short, no credentials in a URL, no secret-like name."""
    if value is None:
        return None
    text = value.strip().strip("'\"")
    if not text or _SECRET_NAME.search(name) or len(text) > 60 or re.search(r"://[^/\s]*@", text):
        return None
    if re.fullmatch(r"[A-Za-z0-9+/=_-]{24,}", text):  # long random-looking tokens
        return None
    return text


def env_files(paths: Iterable[str], read_text: ReadText) -> list[EnvVar]:
    """Variables documented in `.env.example` style files."""
    found = []
    for path in paths:
        if not _ENV_FILE.search(path):
            continue
        for number, line in enumerate((read_text(path) or "").split("\n"), start=1):
            m = _ENV_LINE.match(line)
            if m and not line.lstrip().startswith("#"):
                value = m.group(2).split(" #", 1)[0]
                found.append(EnvVar(name=m.group(1), source=SourceRef(path=path, line=number), origin="env-example",
                                    default=safe_default(m.group(1), value)))
    return found


class PythonEnv:
    """Visitor for `pyscan.scan`: pydantic settings classes and os.environ / os.getenv reads."""

    def __init__(self) -> None:
        self.found: list[EnvVar] = []

    @staticmethod
    def wants(text: str) -> bool:
        """Cheap test: could this file read the environment?"""
        return "environ" in text or "getenv" in text or "BaseSettings" in text

    def visit(self, info: PyFile, tree: ast.Module, text: str) -> None:
        """Collect environment variables from one file."""
        del text
        for node in walk(tree):
            if isinstance(node, ast.ClassDef) and any((dotted(b) or "").rsplit(".", 1)[-1] in _SETTINGS_BASES
                                                      for b in node.bases):
                self._settings_class(info.path, node)
            elif isinstance(node, ast.Call):
                name = dotted(node.func) or ""
                if name.endswith(("environ.get", "getenv", "environ.setdefault")) and node.args:
                    self._read(info.path, node.args[0], node.args[1] if len(node.args) > 1 else None, node.lineno)
            elif isinstance(node, ast.Subscript) and (dotted(node.value) or "").endswith("environ"):
                self._read(info.path, node.slice, None, node.lineno)

    def _read(self, path: str, key: ast.expr, default: ast.expr | None, line: int) -> None:
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and re.fullmatch(r"[A-Za-z_]\w*", key.value):
            value = default.value if isinstance(default, ast.Constant) and isinstance(default.value, (str, int)) \
                else None
            self.found.append(EnvVar(name=key.value, source=SourceRef(path=path, line=line), origin="code",
                                     default=safe_default(key.value, None if value is None else str(value))))

    def _settings_class(self, path: str, node: ast.ClassDef) -> None:
        prefix = ""
        for stmt in node.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and isinstance(stmt.value, ast.Call) \
                    and call_name(stmt.value) in {"SettingsConfigDict", "ConfigDict", "dict"}:
                value = keyword(stmt.value, "env_prefix")
                prefix = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else prefix
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
                for item in stmt.body:
                    if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name) and \
                            item.targets[0].id == "env_prefix" and isinstance(item.value, ast.Constant):
                        prefix = str(item.value.value)
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and \
                    not stmt.target.id.startswith("_") and stmt.target.id != "model_config":
                annotation = ast.unparse(stmt.annotation)
                if annotation.startswith("ClassVar"):
                    continue
                value = stmt.value
                default = str(value.value) if isinstance(value, ast.Constant) and value.value is not None else None
                name = (prefix + stmt.target.id).upper()
                self.found.append(EnvVar(name=name, source=SourceRef(path=path, line=stmt.lineno),
                                         origin="settings-class", default=safe_default(name, default)))


def merge_env(groups: Iterable[Iterable[EnvVar]]) -> list[EnvVar]:
    """One entry per variable: the first source wins (examples, then settings classes, then code reads)."""
    seen: dict[str, EnvVar] = {}
    for group in groups:
        for var in group:
            if var.name not in seen:
                seen[var.name] = var
            elif seen[var.name].default is None and var.default is not None:
                old = seen[var.name]
                seen[var.name] = EnvVar(name=old.name, source=old.source, origin=old.origin, default=var.default)
    return sorted(seen.values(), key=lambda v: v.name)


def scripts(paths: Iterable[str], read_text: ReadText) -> list[Script]:
    """Npm scripts of root-level and service package.json files, make targets and just recipes."""
    found: list[Script] = []
    for path in sorted(paths):
        if "node_modules/" in path or path.count("/") > 2:
            continue
        name = path.rsplit("/", 1)[-1]
        if name == "package.json":
            text = read_text(path) or ""
            data = load_json(text).data
            npm = data.get("scripts") if isinstance(data, dict) else None
            if isinstance(npm, dict):
                for key, command in npm.items():
                    found.append(Script(runner="npm", name=str(key), command=str(command),
                                        source=SourceRef(path=path, line=_line(text, f'"{key}"'))))
        elif name in {"Makefile", "GNUmakefile", "makefile", "justfile", "Justfile", ".justfile"}:
            found.extend(_targets(path, read_text(path) or "", "make" if "make" in name.lower() else "just"))
    return found


def _line(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _targets(path: str, text: str, runner: str) -> list[Script]:
    lines = text.split("\n")
    pattern = re.compile(r"^([A-Za-z0-9][\w.-]*)(?:\s+[^:=]*)?\s*:(?![=:])" if runner == "just"
                         else r"^([A-Za-z0-9][\w./-]*)\s*:(?!=)")
    found = []
    for index, line in enumerate(lines):
        m = pattern.match(line)
        if not m or m.group(1) in {".PHONY", "export", "set"}:
            continue
        recipe = next((r.strip() for r in lines[index + 1: index + 6] if r.startswith(("\t", "    ")) and r.strip()
                       and not r.strip().startswith("#")), "")
        found.append(Script(runner=runner, name=m.group(1), command=recipe.lstrip("@-"),
                            source=SourceRef(path=path, line=index + 1)))
    return found[:40]
