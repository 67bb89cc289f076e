from __future__ import annotations

from autodevhub_docs.sources.adr_files import parse_adr

NYGARD = """# 3. Use PostgreSQL

Date: 2024-05-02

## Status

Accepted

Supersedes [2. Use MySQL](0002-use-mysql.md)

## Context

We need a database.
"""

MADR = """---
status: "superseded by ADR-0009"
date: 2024-06-01
decision-makers: Ada, Grace
---

# Use Redis for caching

## Context and Problem Statement

Pages are slow.
"""

LOG4BRAINS = """# Use the ADR slug as its unique ID

- Status: accepted
- Date: 2020-10-16

## Context and Problem Statement

Numbers conflict.
"""


def test_nygard_record() -> None:
    record = parse_adr("doc/adr/0003-use-postgresql.md", NYGARD)
    assert (record.number, record.title, record.status, record.date) == (3, "Use PostgreSQL", "Accepted", "2024-05-02")
    assert record.supersedes == (2,)
    assert record.text == NYGARD


def test_madr_front_matter() -> None:
    record = parse_adr("docs/decisions/0007-use-redis.md", MADR)
    assert (record.number, record.title, record.status, record.date) == (
        7, "Use Redis for caching", "superseded by ADR-0009", "2024-06-01")


def test_log4brains_record_uses_first_seen_date_only_when_missing() -> None:
    record = parse_adr("docs/adr/20201016-use-the-adr-slug.md", LOG4BRAINS, first_seen="2021-01-01")
    assert record.number is None
    assert (record.title, record.status, record.date) == ("Use the ADR slug as its unique ID", "accepted", "2020-10-16")
    bare = parse_adr("docs/adr/0004-x.md", "# Do X\n\nWe do X.\n", first_seen="2022-02-02")
    assert (bare.number, bare.status, bare.date) == (4, None, "2022-02-02")
