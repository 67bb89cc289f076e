# String constants defined literally anywhere in the repository, to resolve names such as `settings.API_V1_STR`
# in a router prefix or `settings.AUTH_USER_MODEL` in a Django foreign key.
from __future__ import annotations

import ast
from collections.abc import Mapping

from autodevhub_docs.analysis.pyscan import PyFile, dotted


class Constants:
    """String constants defined literally anywhere in the repository, to resolve names like `settings.API_V1_STR`.

    Args:
        files: Python file summaries by path.
    """

    def __init__(self, files: Mapping[str, PyFile]) -> None:
        self.by_module = {info.module: info.constants for info in files.values()}
        by_attr: dict[str, set[str]] = {}
        for info in files.values():
            for name, value in info.constants.items():
                by_attr.setdefault(name.rsplit(".", 1)[-1], set()).add(value)
        self.unique = {name: next(iter(values)) for name, values in by_attr.items() if len(values) == 1}

    def evaluate(self, node: ast.expr | None, info: PyFile, depth: int = 0) -> str:
        """Evaluate a string expression; parts that cannot be resolved are shown as `{expression}`.

        Args:
            node: The expression (None is the empty string).
            info: The file it is written in.
            depth: Recursion guard.
        """
        if node is None:
            return ""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self.evaluate(v.value if isinstance(v, ast.FormattedValue) else v, info, depth)
                           for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.evaluate(node.left, info, depth) + self.evaluate(node.right, info, depth)
        name = dotted(node)
        if name is not None and depth < 4:
            value = self.lookup(name, info)
            if value is not None:
                return value
        return "{" + ast.unparse(node)[:60] + "}"

    def lookup(self, name: str, info: PyFile) -> str | None:
        """The value of a constant named in a file: local, imported, or unique in the repository by its last name."""
        if name in info.constants:
            return info.constants[name]
        head, _, rest = name.partition(".")
        target = info.aliases.get(head)
        if target:
            full = f"{target}.{rest}" if rest else target
            module, _, attr = full.rpartition(".")
            if attr in self.by_module.get(module, {}):
                return self.by_module[module][attr]
        return self.unique.get(name.rsplit(".", 1)[-1])
