"""The analysis stage: `analyse(facts)` returns one frozen `Analysis` holding everything the generators need."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autodevhub_docs.analysis.stage import analyse

__all__ = ["analyse"]


def __getattr__(name: str) -> Any:
    # The stage is imported when it is asked for, not with the package: the Python pass's child process imports a
    # few of the package's modules and would otherwise import the whole stage (0.3 s) before parsing a file.
    if name == "analyse":
        from autodevhub_docs.analysis.stage import analyse

        return analyse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
