# Hand-written ADRs in the common formats: MADR 4 front matter, MADR 2 list metadata, Nygard/adr-tools, log4brains.
from __future__ import annotations

from autodevhub_docs.sources.adr_files import parse_adr

ADR_TOOLS_SUPERSEDED = """# 2. Use MySQL

Date: 2020-01-02

## Status

Superceded by [3. Use PostgreSQL](0003-use-postgresql.md)

## Context

We need a database.
"""

ADR_TOOLS_SUPERSEDING = """# 3. Use PostgreSQL

Date: 2021-03-04

## Status

Accepted

Supercedes [2. Use MySQL](0002-use-mysql.md)
"""

MADR4 = """---
status: "superseded by ADR-0007"
date: 2024-01-01
decision-makers: Ada, Grace
supersedes: ["ADR-0002", "ADR-0003"]
---

# Use Redis for sessions

## Context and Problem Statement

Sessions must survive restarts.
"""

MADR2 = """# Use pytest

* Status: accepted
* Deciders: Ada
* Date: 2019-05-05

## Context and Problem Statement
"""

LOG4BRAINS = """# Use the ADR slug as its unique ID

- Status: accepted
- Deciders: Thomas

Supersedes [20200101-use-numbers](20200101-use-numbers.md)
"""


def test_adr_tools_supersede_links_in_both_directions() -> None:
    old = parse_adr("doc/adr/0002-use-mysql.md", ADR_TOOLS_SUPERSEDED)
    assert (old.number, old.title, old.date) == (2, "Use MySQL", "2020-01-02")
    assert old.status == "superseded by ADR-0003" and old.superseded_by == (3,) and old.supersedes == ()
    new = parse_adr("doc/adr/0003-use-postgresql.md", ADR_TOOLS_SUPERSEDING)
    assert (new.status, new.supersedes, new.superseded_by) == ("Accepted", (2,), ())


def test_madr4_front_matter() -> None:
    record = parse_adr("docs/decisions/0005-use-redis-for-sessions.md", MADR4, first_seen="2023-12-01")
    assert (record.number, record.title, record.date) == (5, "Use Redis for sessions", "2024-01-01")
    assert record.status == "superseded by ADR-0007" and record.superseded_by == (7,)
    assert record.supersedes == (2, 3)
    assert record.text == MADR4  # kept verbatim


def test_madr2_list_metadata() -> None:
    record = parse_adr("docs/adr/0004-use-pytest.md", MADR2)
    assert (record.number, record.status, record.date) == (4, "accepted", "2019-05-05")


def test_log4brains_date_named_file() -> None:
    record = parse_adr("docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md", LOG4BRAINS)
    assert record.number is None  # a date is not a record number
    assert (record.status, record.date) == ("accepted", "2020-10-16")
    assert record.supersedes == ()  # log4brains links by slug, not by number


def test_first_seen_date_when_the_record_has_none() -> None:
    record = parse_adr("docs/adr/0009-no-date.md", "# No date\n\nText.\n", first_seen="2022-02-02")
    assert (record.number, record.date, record.status) == (9, "2022-02-02", None)
