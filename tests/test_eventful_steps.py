# Mining reads only the usage timeline's eventful steps (`StepRecord.eventful`), and only those are kept in the
# store: a step that adopts or drops nothing, moves no major version and leaves the compose services and variables
# as they were must give the same drafts whether it is there or not. Histories of a requirements file and a compose
# file are generated: packages come and go (some within the flap window), majors move under migration cues, own
# services are added and removed (a container gone soon after is no decision), variables are consolidated, files
# are deleted and restored, and comment-only edits and minor bumps make the uneventful steps.
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from autodevhub_docs.analysis.decisions.manifest_signal import record_drafts
from autodevhub_docs.analysis.decisions.records import StepRecord, step_records
from autodevhub_docs.model import ManifestChange

PACKAGES = ("flask", "django", "redis", "pymemcache", "celery", "sqlalchemy", "requests", "httpx")
OWN_SERVICES = ("api", "worker", "scheduler")
IMAGES = {"cache": "redis:7", "db": "postgres:16"}
VARIABLES = ("DB_HOST", "DB_PORT", "DB_USER", "DATABASE_URL", "REDIS_URL", "CACHE_HOST")
SUBJECTS = ("Bump dependencies", "Migrate to the new major version", "Consolidate settings into DATABASE_URL",
            "Tidy up", "Replace the cache")


def _requirements(packages: dict[str, tuple[int, int]], note: int) -> str:
    lines = [f"{name}=={major}.{minor}.0" for name, (major, minor) in sorted(packages.items())]
    return "\n".join([f"# revision {note}", *lines]) + "\n"


def _compose(own: frozenset[str], images: frozenset[str], variables: frozenset[str]) -> str:
    lines = ["services:"]
    for name in sorted(own):
        lines += [f"  {name}:", "    build: .", "    environment:", *(f"      {v}: x" for v in sorted(variables))]
    for name in sorted(images):
        lines += [f"  {name}:", f"    image: {IMAGES[name]}"]
    return "\n".join(lines) + "\n"


_packages = st.dictionaries(st.sampled_from(PACKAGES), st.tuples(st.integers(1, 3), st.integers(0, 2)), max_size=5)
_step = st.fixed_dictionaries({
    "days": st.sampled_from((0, 7, 45, 120)),  # within and past the merge and flap windows
    "subject": st.sampled_from(SUBJECTS),
    "requirements": st.one_of(st.none(), _packages),  # None: the file is left as it was
    "note": st.integers(0, 3),  # a comment-only edit when the packages are the same
    "compose": st.one_of(st.none(), st.just("delete"), st.tuples(
        st.frozensets(st.sampled_from(OWN_SERVICES)), st.frozensets(st.sampled_from(tuple(IMAGES))),
        st.frozensets(st.sampled_from(VARIABLES)))),
})


def _history(steps: list[dict]) -> list[ManifestChange]:
    """The changes the generated steps make, oldest first (a file's first change adds it)."""
    changes: list[ManifestChange] = []
    texts: dict[str, str] = {}
    day = date(2022, 1, 1)
    for number, step in enumerate(steps):
        day += timedelta(days=step["days"])
        sha = f"{number:040x}"
        wanted: dict[str, str | None] = {}
        if step["requirements"] is not None:
            wanted["requirements.txt"] = _requirements(step["requirements"], step["note"])
        if step["compose"] == "delete":
            wanted["docker-compose.yml"] = None
        elif step["compose"] is not None:
            wanted["docker-compose.yml"] = _compose(*step["compose"])
        for path, text in wanted.items():
            before = texts.get(path)
            if text == before:
                continue
            status = "D" if text is None else ("A" if before is None else "M")
            changes.append(ManifestChange(sha=sha, date=f"{day.isoformat()}T10:00:00+00:00", author="dev",
                                          subject=step["subject"], path=path, status=status, before=before,
                                          after=text))
            if text is None:
                texts.pop(path)
            else:
                texts[path] = text
    return changes


def _compose_step(days: int, own: set[str], variables: set[str], subject: str = "Tidy up") -> dict:
    return {"days": days, "subject": subject, "requirements": None, "note": 0,
            "compose": (frozenset(own), frozenset(), frozenset(variables))}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_step, min_size=1, max_size=14))
# a worker gets its container and is gone a week later, by a step that changes nothing else: no decision
@example([_compose_step(0, {"api"}, {"DB_HOST"}), _compose_step(5, {"api", "worker"}, {"DB_HOST"}),
          _compose_step(7, {"api"}, {"DB_HOST"})])
# three variables become one, by a step that changes nothing else
@example([_compose_step(0, {"api"}, {"DB_HOST", "DB_PORT", "DB_USER"}),
          _compose_step(7, {"api"}, {"DATABASE_URL"}, "Consolidate settings into DATABASE_URL")])
def test_the_eventful_steps_alone_give_the_drafts_of_the_whole_timeline(steps: list[dict]) -> None:
    records, _ = step_records(_history(steps))
    eventful = [record for record in records if record.eventful]
    assert record_drafts(eventful, {}, None) == record_drafts(records, {}, None)


def _step(sha: str, **fields: object) -> StepRecord:
    return StepRecord(sha=sha, date="2024-01-01", author="dev", subject="s", changes=1, describe=(), **fields)


def test_a_step_is_eventful_when_it_changes_something_mining_reads() -> None:
    assert not _step("a").eventful  # a lockfile refreshed, a comment, a minor bump
    assert not _step("b", services=("api",), had_services=True).eventful  # the services as they were
    for fields in ({"events": (("cache", "Redis", True),)}, {"versions": (("Django", "4", "5", "web framework"),)},
                   {"services_added": ("worker",)}, {"services_removed": ("worker",)},
                   {"env_removed": ("DB_HOST",)}, {"env_added": ("DATABASE_URL",)}):
        assert _step("c", **fields).eventful, fields  # type: ignore[arg-type]


def test_a_comment_or_a_minor_bump_in_a_manifest_is_not_eventful() -> None:
    first = _requirements({"flask": (2, 0)}, 0)
    changes = [ManifestChange(sha="1" * 40, date="2024-01-01T10:00:00+00:00", author="dev", subject="Start",
                              path="requirements.txt", status="A", before=None, after=first)]
    for number, text in enumerate((_requirements({"flask": (2, 0)}, 1), _requirements({"flask": (2, 1)}, 1),
                                   _requirements({"flask": (3, 0)}, 1)), start=2):
        changes.append(ManifestChange(sha=str(number) * 40, date="2024-02-01T10:00:00+00:00", author="dev",
                                      subject="Bump", path="requirements.txt", status="M", before=None, after=text))
    records, _ = step_records(changes)
    assert [record.eventful for record in records] == [True, False, False, True]  # adopted; comment; minor; major
