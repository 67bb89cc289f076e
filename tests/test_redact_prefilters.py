# Redaction runs on every string a page is built from (thousands per build), and scanning for the 45 credential
# shapes costs about 0.4 us per character, so a text is first asked whether it holds what any shape needs
# (`may_hold_shape`), or what any credential in a position needs (`may_hold_position`). A text the check turns away
# must be one in which no expression could match: that is what these tests hold, on samples of every shape and on
# generated text built from the characters and words the shapes are made of.
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from autodevhub_docs import credential_shapes, redact

_POSITION_PATTERNS = (redact._ASSIGNMENT, redact._SECRET_FLAG, redact._USER_PASS, redact._HEADER,
                      redact._URL_USERINFO, redact._URL_TOKEN_USER, redact._QUERY, redact._P_FLAG)
SHAPE_SAMPLES = (
    "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "xoxb-1-a", "XOXA-12-abc", "eyJa.b", "AKIAIOSFODNN7EXAMPLE",
    "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", "https://u:p@host", "sk-ant-abcdefghijk",
    "AccountKey=" + "a+/=" * 22, 'aws_key = "' + "ab/+" * 10 + '"', "https://hooks.slack.com/services/T1/B2/c",
    "SG." + "a" * 22 + "." + "b" * 43, "123456789:" + "A" * 35, "AC" + "a" * 32, "glpat-" + "x" * 20,
)
POSITION_SAMPLES = ("a=b1234", "x: secretvalue", "--token abcdef", "-u me:pass", "mysql -pSecret",
                    "Authorization: Bearer abcDEF123456", "https://user:pw@x.org", "?sig=abcdef",
                    "proxy-authorization://abcdefgh1")
_ALPHABET = st.sampled_from(list("aAzZ09_-+/=.:@?&;#'\" \t\nxXyY") + [
    "://", "eyJ", "xox", "AKIA", "key", "token", "password", "aws", "PRIVATE KEY", "-----BEGIN ", "AccountKey=",
    "hooks.slack.com", "authorization", "-p", "--", "ghp_", "abcdefghij", "0123456789abcdef"])
_TEXTS = st.lists(_ALPHABET, max_size=40).map("".join)


def _any_shape(text: str) -> bool:
    return any(pattern.search(text) for pattern, _ in credential_shapes.SHAPES)


def _any_position(text: str) -> bool:
    return any(pattern.search(text) for pattern in _POSITION_PATTERNS)


def test_every_shape_sample_is_let_through_and_matched() -> None:
    for sample in SHAPE_SAMPLES:
        for text in (sample, f"see {sample} here", sample.upper() if sample.startswith("xox") else sample):
            assert _any_shape(text), text  # the samples are real shapes
            assert redact.may_hold_shape(text), text


def test_a_long_text_is_scanned_for_every_shape_as_a_short_one_is() -> None:
    # Past `_COMBINED_SCAN_LIMIT` each shape scans the text itself, without the combined expression first.
    filler = "Users want feature 12 (#12) · opened by someone — see the setup guide.\n" * 600
    assert len(filler) > redact._COMBINED_SCAN_LIMIT
    for sample in SHAPE_SAMPLES:
        short, long = f"see {sample} here", f"{filler}see {sample} here\n{filler}"
        assert redact.redact(long, secrets=[]) == f"{filler}{redact.redact(short, secrets=[])}\n{filler}", sample
        assert sample not in redact.redact(long, secrets=[])


def test_every_position_sample_is_let_through_and_matched() -> None:
    for sample in POSITION_SAMPLES:
        assert _any_position(sample), sample
        assert redact.may_hold_position(sample), sample


def test_paths_and_links_are_turned_away() -> None:
    for text in ("services/api/app/orders/logic_12.py", "web/src/billing/Panel3.tsx", "Orders API",
                 "https://github.com/bench/scale/blob/HEAD/services/api/app/orders/logic_12.py#L12"):
        assert not redact.may_hold_shape(text) and not redact.may_hold_position(text), text
        assert redact.redact(text, secrets=[]) == text


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_a_text_turned_away_holds_no_shape(text: str) -> None:
    if not redact.may_hold_shape(text):
        assert not _any_shape(text)


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_a_text_turned_away_holds_no_credential_in_a_position(text: str) -> None:
    if not redact.may_hold_position(text):
        assert not _any_position(text)


def test_the_position_patterns_listed_are_all_of_them() -> None:
    # a new position expression must be added to the list above (and its needs to `may_hold_position`)
    compiled = {name for name, value in vars(redact).items() if isinstance(value, re.Pattern)}
    listed = {name for name, value in vars(redact).items() if any(value is p for p in _POSITION_PATTERNS)}
    helpers = {"_SHAPE_RUN", "_PLACEHOLDER", "_SECRET_NAME", "_PASSWORD_P_COMMANDS", "_QUERY_NAMES", "_FLAG_DASH",
               "_PLAIN_COLON"}
    assert compiled - helpers == listed
