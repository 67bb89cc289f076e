# The Python pass of a big cold build, in a second process. Parsing thousands of Python files is the longest single
# piece of a cold build (4.5 s of 820k lines here) and holds the interpreter's lock, so in the build's own process
# nothing else can run beside it; in a child process it runs on the other core while the build reads the history,
# mines decisions and reads the JS/TS sources. The child makes exactly the pass the build would (`python_pass`: the
# same safe reader, the same visitors) and hands back each file's summary in the memos' exact JSON form
# (`memo_codec`, which the build decodes as it decodes its stored summaries). Its log records are handed back too
# and logged by the build. Anything the child could not hand back is parsed by the build itself, so the result is the
# pass the build would have made.
# The work is shared (`Claims`): the child takes the files from the front of the list; the build, once it has done
# everything else and needs the pass, takes them from the back rather than wait, until the two meet. On a small
# repository the build would otherwise sit idle for most of the pass (1.3 s of a 4 s cold build at 6k commits).
from __future__ import annotations

import contextlib
import json
import logging
import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from autodevhub_docs.analysis.inventory import python_pass
from autodevhub_docs.analysis.memo_codec import Unencodable, decode, encode
from autodevhub_docs.analysis.pyscan import PyFile, PyScan, ReadText
from autodevhub_docs.cores import cores
from autodevhub_docs.log import ROOT, get_logger
from autodevhub_docs.sources.checkout import Checkout

if sys.platform != "win32":
    import fcntl

log = get_logger(__name__)

MIN_FILES = 400
"""Fewest Python files to parse for a child process to pay off (starting one costs about 0.3 s)."""


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
    worker = PythonWorker(root, paths, skip=[p for p in paths if p in known], share=len(to_parse))
    done: list[PyScan] = []

    def finish() -> PyScan:
        if not done:
            done.append(_finish(worker, paths, reader, known, encoded, to_parse=frozenset(to_parse)))
        return done[0]

    return finish, encoded


def _finish(worker: PythonWorker, paths: Sequence[str], reader: ReadText, known: Mapping[str, PyFile],
            encoded: dict[str, Any], *, to_parse: Collection[str]) -> PyScan:
    own: dict[str, PyFile] = {}
    skip: set[str] = set()  # the files that did not parse, each warned about once: not parsed (and warned) twice
    if worker.claims is not None:  # the files the child has not reached yet, from the back, until the two meet
        taken = python_pass(paths[::-1], worker.claims.reader(reader, to_parse), known)
        own = {path: info for path, info in taken.files.items() if known.get(path) is not info}
        skip.update(taken.failed)
    answer = worker.result()
    made: Mapping[str, PyFile] = {}
    if answer is not None:
        made, failed, forms = answer
        encoded.update(forms)
        skip.update(failed)
    scan = python_pass(paths, lambda path: None if path in skip else reader(path), {**known, **own, **made})
    order = {path: index for index, path in enumerate(paths)}
    scan.failed = sorted(skip | set(scan.failed), key=lambda path: order.get(path, len(order)))
    return scan


class Claims:
    """Which files each process parses: the child takes them from the front, the build from the back.

    Two counters (the next file from the front, the end of what is left) in a small file that both processes open,
    changed under an exclusive lock, so that each file is taken once. The pass does not depend on it: a file neither
    took is parsed by the build's last pass, and one both took would only be parsed twice.

    Args:
        path: The counters' file.
        count: How many files there are to parse (given by the process that makes the file).
    """

    def __init__(self, path: str, count: int | None = None) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR)
        self._exhausted = False
        if count is not None:
            os.pwrite(self._fd, struct.pack("<II", 0, count), 0)

    def take(self, *, front: bool) -> bool:
        """Take the next file from the front or the back; False once the two ends have met."""
        if self._exhausted or sys.platform == "win32":
            return False
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            first, end = struct.unpack("<II", os.pread(self._fd, 8, 0))
            if first >= end:
                self._exhausted = True
                return False
            os.pwrite(self._fd, struct.pack("<II", first + 1, end) if front else struct.pack("<II", first, end - 1), 0)
            return True
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def reader(self, read_text: ReadText, to_parse: Collection[str], *, front: bool = False) -> ReadText:
        """`read_text` for the files this process takes, in the order it meets them (None for the others).

        A path not among `to_parse` is read as it is: it is not the other process's (a stored summary whose module
        name no longer holds).
        """
        def read(path: str) -> str | None:
            if path not in to_parse:
                return read_text(path)
            return read_text(path) if self.take(front=front) else None

        return read

    def close(self) -> None:
        """Close the counters' file (the process that made it removes it)."""
        os.close(self._fd)


class PythonWorker:
    """The Python pass started in a child process; `result` waits for it.

    Args:
        root: Repository root.
        paths: Every tracked path (the Python files among them are parsed; module names come from all of them).
        skip: Paths the child leaves out (their summaries are known).
        share: How many files there are to parse, to share them with the child (`claims`); 0 leaves them all to it.
    """

    def __init__(self, root: Path, paths: Sequence[str], skip: Sequence[str] = (), share: int = 0) -> None:
        # Files, not pipes: the child writes megabytes while this process does other work (closed in `result`).
        self._output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.claims: Claims | None = None
        """The files shared with the child (None: it parses all of them)."""
        if share and sys.platform != "win32":
            handle, name = tempfile.mkstemp(prefix="autodevhub-claims-")
            os.close(handle)
            self.claims = Claims(name, share)
        # The request is handed over as a file too: written into a pipe, its hundreds of kilobytes of paths would
        # hold this process until the child, done with its imports, reads them (0.3 s of a cold build).
        with tempfile.TemporaryFile() as request:
            request.write(json.dumps({"root": str(root), "paths": list(paths), "skip": list(skip),
                                      "claims": self.claims.path if self.claims else None}).encode())
            request.seek(0)
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "autodevhub_docs.analysis.pyworker"], stdin=request, stdout=self._output,
                stderr=self._errors)

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
            if self.claims is not None:
                self.claims.close()
                Path(self.claims.path).unlink(missing_ok=True)
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
    claims = _claims(request.get("claims"))
    to_parse = {path for path in request["paths"] if path.endswith(".py") and path not in skip}
    read = claims.reader(reader, to_parse, front=True) if claims is not None else reader
    files: dict[str, Any] = {}

    def keep_encoded(info: PyFile, tree: object, text: str) -> None:
        # Encoded as each file is made, not all at the end: when the two ends meet, the build waits only for the
        # file in hand and the answer to be written.
        with contextlib.suppress(Unencodable, RecursionError):  # the build parses it itself
            files[info.path] = encode(info)

    scan = python_pass(request["paths"], lambda path: None if path in skip else read(path), {}, then=keep_encoded)
    json.dump({"files": files, "failed": scan.failed, "log": collected.records}, stdout)


def _claims(path: Any) -> Claims | None:
    """The counters the build shares the files with (None: this child parses every file)."""
    if not isinstance(path, str) or sys.platform == "win32":
        return None
    try:
        claims = Claims(path)
    except OSError:
        return None  # the files are all parsed here (the build's share is then parsed twice)
    with contextlib.suppress(OSError):  # both processes hold it open now: no file is left behind, whoever stops
        Path(path).unlink()
    return claims


if __name__ == "__main__":
    main(sys.stdin.buffer, sys.stdout)
    sys.stdout.flush()
    os._exit(0)  # the answer is written: freeing every summary one by one would only keep the build waiting
