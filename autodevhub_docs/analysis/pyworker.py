# The Python pass of a big cold build, in a second process. Parsing thousands of Python files is the longest single
# piece of a cold build (4.5 s of 820k lines here) and holds the interpreter's lock, so in the build's own process
# nothing else can run beside it; in a child process it runs on the other core while the build reads the history,
# mines decisions and reads the JS/TS sources. The child makes exactly the pass the build would (`python_pass`: the
# same safe reader, the same visitors) and hands back each file's summary in the memos' exact JSON form
# (`memo_codec`, which the build decodes as it decodes its stored summaries). Its log records are handed back too
# and logged by the build. Anything the child could not hand back is parsed by the build itself, so the result is the
# pass the build would have made.
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from autodevhub_docs.analysis.inventory import python_pass
from autodevhub_docs.analysis.memo_codec import Unencodable, decode, encode
from autodevhub_docs.analysis.pyscan import PyFile, PyScan, ReadText
from autodevhub_docs.log import ROOT, get_logger
from autodevhub_docs.sources.checkout import Checkout

log = get_logger(__name__)

MIN_FILES = 400
"""Fewest Python files to parse for a child process to pay off (starting one costs about 0.3 s)."""


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def early_python_pass(root: Path, paths: Sequence[str], known: Mapping[str, PyFile]
                      ) -> tuple[Callable[[], PyScan], dict[str, Any]]:
    """Start the build's Python pass now: (a function that waits for it and returns it, the JSON forms).

    With many files to parse and a second core, the pass runs in a child process while the build goes on; else it
    is made here, at once. The second value fills, when the pass is taken, with the memo's JSON form of each summary
    the child made (the build stores them as they are, rather than encoding them again).

    Args:
        root: Repository root.
        paths: Every tracked path.
        known: Summaries stored for unchanged files (taken instead of parsing them).
    """
    reader = Checkout(root).read_text
    encoded: dict[str, Any] = {}
    to_parse = [p for p in paths if p.endswith(".py") and p not in known]
    if len(to_parse) < MIN_FILES or cores() < 2:
        scan = python_pass(paths, reader, known)
        return (lambda: scan), encoded
    worker = PythonWorker(root, paths, skip=[p for p in paths if p in known])
    done: list[PyScan] = []

    def finish() -> PyScan:
        if not done:
            done.append(_finish(worker, paths, reader, known, encoded))
        return done[0]

    return finish, encoded


def _finish(worker: PythonWorker, paths: Sequence[str], reader: ReadText, known: Mapping[str, PyFile],
            encoded: dict[str, Any]) -> PyScan:
    answer = worker.result()
    if answer is None:
        return python_pass(paths, reader, known)
    made, failed, forms = answer
    encoded.update(forms)
    skip = set(failed)  # the child warned about them: not parsed (and warned about) twice
    scan = python_pass(paths, lambda path: None if path in skip else reader(path), {**known, **made})
    order = {path: index for index, path in enumerate(paths)}
    scan.failed = sorted(skip | set(scan.failed), key=lambda path: order.get(path, len(order)))
    return scan


class PythonWorker:
    """The Python pass started in a child process; `result` waits for it.

    Args:
        root: Repository root.
        paths: Every tracked path (the Python files among them are parsed; module names come from all of them).
        skip: Paths the child leaves out (their summaries are known).
    """

    def __init__(self, root: Path, paths: Sequence[str], skip: Sequence[str] = ()) -> None:
        # Files, not pipes: the child writes megabytes while this process does other work (closed in `result`).
        self._output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        request = json.dumps({"root": str(root), "paths": list(paths), "skip": list(skip)}).encode()
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", "autodevhub_docs.analysis.pyworker"], stdin=subprocess.PIPE,
            stdout=self._output, stderr=self._errors)
        try:
            if self._process.stdin is not None:
                self._process.stdin.write(request)
                self._process.stdin.close()
        except OSError:  # the child died at once: `result` says why
            pass

    def result(self) -> tuple[dict[str, PyFile], list[str], dict[str, Any]] | None:
        """The summaries the child made, the files that did not parse, each summary's JSON form; None on failure.

        The child's log records are logged here, in this process.
        """
        process, self._process = self._process, None
        if process is None:
            return None
        code = process.wait()
        try:
            self._output.seek(0)
            answer = json.loads(self._output.read()) if code == 0 else None
            self._errors.seek(0)
            errors = self._errors.read().decode("utf-8", "replace").strip()
        finally:
            self._output.close()
            self._errors.close()
        if not isinstance(answer, dict):
            log.info("the Python sources are parsed in this process (the helper process stopped with code %s%s)",
                     code, f": {errors.splitlines()[-1]}" if errors else "")
            return None
        for name, level, message in answer.get("log", ()):
            logging.getLogger(str(name)).log(int(level), "%s", message)
        files: dict[str, PyFile] = {}
        forms: dict[str, Any] = {}
        for path, encoded in answer.get("files", {}).items():
            try:
                found = decode(encoded)
            except (Unencodable, TypeError, ValueError, KeyError, RecursionError):
                continue  # parsed here instead
            if isinstance(found, PyFile) and found.path == path:
                files[path], forms[path] = found, encoded
        return files, [str(p) for p in answer.get("failed", ())], forms


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def main(stdin: IO[bytes], stdout: IO[str]) -> None:
    """The child: read the request, make the pass, write the answer (JSON)."""
    request = json.loads(stdin.read())
    skip = set(request.get("skip", ()))
    reader = Checkout(Path(request["root"])).read_text
    collected = _Collected()
    root_logger = logging.getLogger(ROOT)
    root_logger.addHandler(collected)
    root_logger.setLevel(logging.INFO)
    root_logger.propagate = False  # the build logs what is handed back, once
    scan = python_pass(request["paths"], lambda path: None if path in skip else reader(path), {})
    files: dict[str, Any] = {}
    for path, info in scan.files.items():
        try:
            files[path] = encode(info)
        except (Unencodable, RecursionError):
            continue  # the build parses it itself
    json.dump({"files": files, "failed": scan.failed, "log": collected.records}, stdout)


if __name__ == "__main__":
    main(sys.stdin.buffer, sys.stdout)
