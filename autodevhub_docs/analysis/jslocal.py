# An evaluator of one JS/TS file alone, for the adapters that read a script while the summary pass holds its tree
# (`adapters.ScriptReader`): what the file's values need of another file (an imported constant, a re-exported
# path) is not read here, and the evaluator says so, so that the adapter reads the script again in its run, with
# every file at hand. A value that needs no other file is the same as the whole codebase's evaluator gives.
from __future__ import annotations

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.jsmodule import JsModule
from autodevhub_docs.analysis.jsvalues import Evaluator


class FileEvaluator(Evaluator):
    """Evaluates the expressions of one file; `elsewhere` tells whether some value needed another file.

    Args:
        code: The codebase (its tracked paths resolve the file's imports).
        mod: The file's index.
    """

    def __init__(self, code: Codebase, mod: JsModule) -> None:
        super().__init__(code)
        self.mod = mod
        self.elsewhere = False
        """Whether some value needed another file: then what was read of this one is not to be used."""

    def module(self, path: str) -> JsModule | None:
        """The file itself; any other file is not read, and `elsewhere` is set."""
        if path == self.mod.path:
            return self.mod
        self.elsewhere = True
        return None
