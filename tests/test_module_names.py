# Python module names from file paths (`pyscan.module_names`), read with string splits for speed: they must be the
# names a reading with PurePosixPath gives (the reference below, the rule as documented) for any set of paths.
from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from autodevhub_docs.analysis.pyscan import module_names


def _reference(paths: list[str]) -> dict[str, str]:
    path_list = [p for p in paths if p.endswith(".py")]
    packages = {str(PurePosixPath(p).parent) for p in path_list if p.endswith("/__init__.py")}
    names = {}
    for path in path_list:
        pure = PurePosixPath(path)
        parts = [pure.stem] if pure.name != "__init__.py" else []
        folder = pure.parent
        while str(folder) in packages:
            parts.insert(0, folder.name)
            folder = folder.parent
        if str(pure.parent) not in packages:
            parts = [p for p in pure.parent.parts if p not in (".", "src")] + [pure.stem]
        names[path] = ".".join(parts) or pure.parent.name or "root"
    return names


_SEGMENT = st.sampled_from(["app", "src", "pkg", "tests", ".hidden", "a.b", "x"])
_NAME = st.sampled_from(["__init__.py", "views.py", "m.py", ".py", "a.b.py", "README"])
_PATH = st.builds(lambda folders, name: "/".join([*folders, name]), st.lists(_SEGMENT, max_size=4), _NAME)


@given(st.lists(_PATH, min_size=1, max_size=12, unique=True))
def test_module_names_are_the_ones_the_path_rule_gives(paths: list[str]) -> None:
    assert module_names(paths) == _reference(paths)


def test_packages_scripts_and_src_layouts() -> None:
    names = module_names(["src/shop/__init__.py", "src/shop/cart.py", "scripts/run.py", "manage.py",
                          "src/tool.py", "__init__.py"])
    assert names == {"src/shop/__init__.py": "shop", "src/shop/cart.py": "shop.cart", "scripts/run.py": "scripts.run",
                     "manage.py": "manage", "src/tool.py": "tool", "__init__.py": "__init__"}
