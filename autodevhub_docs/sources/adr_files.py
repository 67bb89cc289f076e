# Parses hand-written ADRs in the three common formats: MADR (front matter or list metadata),
# Nygard/adr-tools (`## Status` section, `Date:` line) and log4brains (`- Status:` list, date-named files).
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from autodevhub_docs.log import get_logger
from autodevhub_docs.model import Commit, FileInfo, HandWrittenAdr
from autodevhub_docs.parsing.formats import load_yaml
from autodevhub_docs.sources.checkout import Checkout

log = get_logger(__name__)

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_NUMBER_IN_NAME = re.compile(r"^(?:ADR[-_ ]?)?(\d{1,5})[-_ .]", re.I)
_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.M)
_TITLE_NUMBER = re.compile(r"^(?:ADR[-\s]?)?(\d+)[.:]?\s+", re.I)
_LIST_FIELD = r"^[\s]*[-*]\s*{name}:\s*(.+?)\s*$"
_DATE_LINE = re.compile(r"^\s*(?:[-*]\s*)?Date:\s*(\S.*?)\s*$", re.M | re.I)
_STATUS_SECTION = re.compile(r"^##\s+Status\s*\n+(.+?)(?:\n\s*\n|\n##|\Z)", re.M | re.S | re.I)
_SUPERSEDES_LINE = re.compile(r"^.*\bSuper[sc]edes\b.*$", re.M | re.I)
_SUPERSEDED_LINE = re.compile(r"^.*\bSuper[sc]eded\s+by\b.*$", re.M | re.I)
_REF_NUMBER = re.compile(r"ADR[-_\s]?0*(\d{1,4})\b|\[0*(\d{1,4})\.|\b0*(\d{1,4})-[a-z]|#0*(\d{1,4})\b", re.I)
_LOG4BRAINS_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})-")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _front_matter(path: str, text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    loaded = load_yaml(match.group(1))
    if loaded.problem:
        log.warning("%s: the front matter %s; the record is read without it.", path, loaded.problem)
        return {}, text
    return (loaded.data if isinstance(loaded.data, dict) else {}), text[match.end():]


def _list_field(name: str, text: str) -> str | None:
    match = re.search(_LIST_FIELD.format(name=name), text, re.M | re.I)
    return match.group(1).strip() if match else None


def _numbers(lines: list[str]) -> set[int]:
    found: set[int] = set()
    for line in lines:
        for groups in _REF_NUMBER.findall(line):
            found.update(int(g) for g in groups if g)
    return found


def _meta_numbers(value: object) -> set[int]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return _numbers([str(item) for item in items])


def _status_text(status: object, superseded_by: set[int]) -> str | None:
    if status is None or str(status).strip() == "":
        return None
    text = _LINK.sub(r"\1", str(status)).strip().strip('"').strip()
    if re.match(r"supers?[ec]eded", text, re.I):
        return "superseded by " + ", ".join(f"ADR-{n:04d}" for n in sorted(superseded_by)) if superseded_by \
            else text[:80]
    return text[:80]


def parse_adr(path: str, text: str, first_seen: str | None = None) -> HandWrittenAdr:
    """Parse one hand-written ADR.

    Args:
        path: Repository-relative path of the file.
        text: Its text.
        first_seen: Date of the first commit that added it, used when the record has no date.

    Returns:
        The record's metadata and its verbatim text.
    """
    filename = PurePosixPath(path).name
    meta, body = _front_matter(path, text)
    title_match = _TITLE.search(body)
    raw_title = title_match.group(1).strip() if title_match else PurePosixPath(path).stem
    number: int | None = None
    name_number = _NUMBER_IN_NAME.match(filename)
    if name_number and len(name_number.group(1)) < 5:  # 8-digit log4brains dates are not numbers
        number = int(name_number.group(1))
    title_number = _TITLE_NUMBER.match(raw_title)
    if title_number:
        number = number if number is not None else int(title_number.group(1))
        raw_title = raw_title[title_number.end():]
    status = meta.get("status")
    if not status:
        section = _STATUS_SECTION.search(body)
        status = _list_field("Status", body) or (section.group(1).strip().splitlines()[0] if section else None)
    date = meta.get("date")
    if not date:
        date_match = _DATE_LINE.search(body)
        log4brains = _LOG4BRAINS_DATE.match(filename)
        date = date_match.group(1) if date_match else (
            "-".join(log4brains.groups()) if log4brains else first_seen)
    if number is None and str(meta.get("id", "")).isdigit():
        number = int(str(meta["id"]))
    own = {number} if number is not None else set()
    superseded_lines = _SUPERSEDED_LINE.findall(body) + ([str(status)] if status else [])
    superseded_by = (_numbers(superseded_lines) | _meta_numbers(meta.get("superseded_by"))) - own
    supersedes_lines = [line for line in _SUPERSEDES_LINE.findall(body) if not _SUPERSEDED_LINE.match(line)]
    supersedes = (_numbers(supersedes_lines) | _meta_numbers(meta.get("supersedes"))) - own - superseded_by
    return HandWrittenAdr(
        path=path,
        filename=filename,
        number=number,
        title=raw_title.strip() or filename,
        status=_status_text(status, superseded_by),
        date=str(date)[:10] if date else None,
        supersedes=tuple(sorted(supersedes)),
        superseded_by=tuple(sorted(superseded_by)),
        text=text,
    )


def read_adrs(
    root: Path, adr_dir: str | None, files: Sequence[FileInfo], commits: Sequence[Commit]
) -> tuple[HandWrittenAdr, ...]:
    """Read every Markdown ADR under `adr_dir`, ordered by number then file name.

    Args:
        root: Repository root.
        adr_dir: Folder relative to the root, or None.
        files: Tracked files (only tracked files are read).
        commits: History, newest first, for the date a record was first added.
    """
    if not adr_dir:
        return ()
    prefix = adr_dir.rstrip("/") + "/"
    first_seen: dict[str, str] = {}
    for commit in commits:  # newest first, so the last write wins with the oldest date
        for changed in commit.files:
            if changed.startswith(prefix):
                first_seen[changed] = commit.date[:10]
    records = []
    checkout = Checkout(root)
    for info in files:
        name = PurePosixPath(info.path).name
        if not info.path.startswith(prefix) or info.binary or not name.endswith(".md"):
            continue
        if name.lower() in ("readme.md", "index.md", "template.md") or "template" in name.lower():
            continue
        text = checkout.read_text(info.path)  # a symlink out of the repository or a special file is not read
        if text is None:
            continue
        records.append(parse_adr(info.path, text, first_seen.get(info.path)))
    _warn_about_shared_names(records)
    return tuple(sorted(records, key=lambda r: (r.number is None, r.number or 0, r.filename)))


def _warn_about_shared_names(records: Sequence[HandWrittenAdr]) -> None:
    """Warn when two records share a file name (`0001-x.md` and `archive/0001-x.md`).

    Both are published, each under its folder; references by file name may now mean either.
    """
    by_name: dict[str, list[str]] = {}
    for record in records:
        by_name.setdefault(record.filename, []).append(record.path)
    for name, paths in sorted(by_name.items()):
        if len(paths) > 1:
            log.warning("%d decision records share the file name %s (%s); each is published under its own folder.",
                        len(paths), name, ", ".join(sorted(paths)))
