# Reading Claude's answers: the forced tool's input (or JSON text), checked against the request's schema, and
# the two turns that ask for one repair. Works on the SDK's message objects by attribute, so it needs no SDK import.
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.llm.prompts import TOOL_NAME
from autodevhub_docs.llm.schema import validate


def usage_field(message: Any, name: str) -> int:
    """A token count from a message's usage (0 when absent)."""
    usage = getattr(message, "usage", None)
    value = getattr(usage, name, None) if usage is not None else None
    return int(value) if isinstance(value, (int, float)) else 0


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def extract(message: Any, schema: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, list[str]]:
    """The answer of a message (the forced tool's input, else JSON text) and what is wrong with it."""
    candidate: Any = None
    found = False
    for block in getattr(message, "content", None) or []:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == TOOL_NAME:
            candidate, found = block.input, True
            break
    if not found:
        text = "".join(getattr(b, "text", "") for b in getattr(message, "content", None) or []
                       if getattr(b, "type", None) == "text")
        try:
            candidate, found = json.loads(_FENCE.sub("", text)), True
        except ValueError:
            return None, [f"no call of the {TOOL_NAME} tool and no JSON answer (got {text[:80]!r})"]
    problems = validate(candidate, schema)
    if getattr(message, "stop_reason", None) == "max_tokens":
        problems.append("the answer was cut off at max_tokens")
    return (candidate if not problems else None), problems


def repair_turns(message: Any, problems: list[str]) -> list[dict[str, Any]]:
    """The assistant's invalid answer and a user turn naming what to fix."""
    feedback = ("Your answer did not match the schema: " + "; ".join(problems[:10])
                + f". Call the {TOOL_NAME} tool again with a corrected, complete answer.")
    content: list[dict[str, Any]] = []
    tool_id = None
    for block in getattr(message, "content", None) or []:
        kind = getattr(block, "type", None)
        if kind == "tool_use":
            tool_id = block.id
            content.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
        elif kind == "text" and block.text:
            content.append({"type": "text", "text": block.text})
    if not content:
        content = [{"type": "text", "text": "(no answer)"}]
    reply: list[dict[str, Any]] = ([{"type": "tool_result", "tool_use_id": tool_id, "is_error": True,
                                     "content": feedback}] if tool_id else [{"type": "text", "text": feedback}])
    return [{"role": "assistant", "content": content}, {"role": "user", "content": reply}]
