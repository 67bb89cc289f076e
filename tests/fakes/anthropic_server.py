"""A fake of the Anthropic Messages API for tests and benchmarks (stdlib only, on 127.0.0.1).

The real `anthropic` SDK talks to it over HTTP (point it there with ``ANTHROPIC_BASE_URL`` or ``base_url=``).

Usage::

    with FakeAnthropic(latency=0.0) as fake:
        fake.script(error(529, retry_after_ms=1), tool_use({"summary": "Hi", "principles": []}))
        ...  # drive the SDK; unscripted requests get a valid answer generated from the request's schema
        assert fake.max_in_flight <= 4
        bodies = [r.body for r in fake.messages()]

What it serves:

- ``POST /v1/messages``: the next scripted reply (``script``, FIFO), else the reply of the first matching
  ``script_when(substring, ...)`` rule, else an answer built from the request: a ``tool_use`` block for the forced
  tool (input generated from its ``input_schema``), or a JSON text block when ``output_config`` asks for a JSON
  schema. ``answer_with(callable)`` replaces the generated input. Usage figures are estimated from the body
  (4 characters per token) and prompt caching is simulated: the prefix up to the block with ``cache_control`` is a
  cache write the first time and a cache read afterwards.
- ``POST /v1/messages/count_tokens``: ``{"input_tokens": N}``.
- ``POST /v1/messages/batches``, ``GET /v1/messages/batches/{id}`` (``in_progress`` for ``batch_polls - 1``
  retrievals, then ``ended`` with a *relative* ``results_url``), ``GET /v1/messages/batches/{id}/results`` (JSONL).
  ``batch_outcomes[custom_id] = "errored" | "expired" | "canceled" | Reply`` overrides one result.
- Authentication: ``Authorization: Bearer <key>`` or ``x-api-key``; with ``api_keys`` set, any other key gets a 401.
- Any path prefix before ``/v1/`` is accepted (``ANTHROPIC_BASE_URL=http://host:port/proxy``).
- Streaming is not implemented (the project does not stream).

Every request is recorded in ``requests`` (``Recorded``: method, path, headers, body); ``max_in_flight`` counts the
largest number of ``/v1/messages`` requests being served at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOOL_NAME = "write_section"


@dataclass
class Reply:
    """One scripted HTTP answer."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    """JSON body; None for a 200 means: build the normal answer for this request."""
    delay: float = 0.0
    """Extra seconds before answering."""
    content: list[dict[str, Any]] | None = None
    """Message content blocks for a 200 (usage and ids are filled in)."""
    stop_reason: str = "tool_use"


def tool_use(data: Any, name: str = TOOL_NAME, *, delay: float = 0.0) -> Reply:
    """A 200 whose message calls the tool with `data` as its input."""
    return Reply(content=[{"type": "tool_use", "id": "toolu_01", "name": name, "input": data}], delay=delay)


def text(value: str, *, stop_reason: str = "end_turn") -> Reply:
    """A 200 whose message is one text block (e.g. a JSON answer, or prose where a tool call was expected)."""
    return Reply(content=[{"type": "text", "text": value}], stop_reason=stop_reason)


def error(status: int, kind: str | None = None, *, retry_after_ms: float | None = None,
          retry_after: str | None = None, headers: Mapping[str, str] | None = None) -> Reply:
    """An API error with the usual body; add tiny `retry_after_ms` values to keep retries fast."""
    kinds = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
             404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error"}
    all_headers = dict(headers or {})
    if retry_after_ms is not None:
        all_headers["retry-after-ms"] = str(retry_after_ms)
    if retry_after is not None:
        all_headers["retry-after"] = retry_after
    body = {"type": "error", "error": {"type": kind or kinds.get(status, "api_error"), "message": f"fake {status}"},
            "request_id": "req_fake"}
    return Reply(status=status, headers=all_headers, body=body)


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    """Path without any prefix before /v1/."""
    headers: dict[str, str]
    """Lower-cased header names."""
    body: Any
    """Decoded JSON body, or None."""
    raw: bytes


def example_for(schema: Mapping[str, Any], name: str = "text") -> Any:
    """A small value that satisfies a JSON schema (the subset the project uses)."""
    kind = schema.get("type", "object")
    kind = kind[0] if isinstance(kind, list) else kind
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: example_for(sub, key) for key, sub in props.items()}
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [example_for(schema.get("items") or {"type": "string"}, name) for _ in range(count)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return f"Generated {name}."


class FakeAnthropic:
    """The fake server; see the module docstring.

    Args:
        latency: Seconds every ``/v1/messages`` request takes.
        api_keys: Keys accepted; None accepts any non-empty key.
        batch_polls: Retrievals until a batch reports ``ended``.
    """

    def __init__(self, *, latency: float = 0.0, api_keys: set[str] | None = None, batch_polls: int = 2) -> None:
        self.latency = latency
        self.api_keys = api_keys
        self.batch_polls = batch_polls
        self.requests: list[Recorded] = []
        self.max_in_flight = 0
        self.batch_outcomes: dict[str, Any] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._in_flight = 0
        self._queue: list[Reply] = []
        self._rules: list[tuple[str, list[Reply]]] = []
        self._answer: Callable[[dict[str, Any]], Any] | None = None
        self._prefixes: set[str] = set()
        self._lock = threading.Lock()
        self._counter = 0
        handler = _handler_for(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # -- scripting ------------------------------------------------------------------------------------------
    def script(self, *replies: Reply) -> None:
        """Queue replies for the next ``/v1/messages`` requests, in order."""
        with self._lock:
            self._queue.extend(replies)

    def script_when(self, substring: str, *replies: Reply) -> None:
        """Reply to requests whose body contains `substring` with these replies in turn (the last one sticks)."""
        with self._lock:
            self._rules.append((substring, list(replies)))

    def answer_with(self, func: Callable[[dict[str, Any]], Any] | None) -> None:
        """Build the tool input (or JSON answer) of unscripted requests with `func(request_body)`."""
        self._answer = func

    def reset(self) -> None:
        """Forget the request log, scripts and the in-flight maximum."""
        with self._lock:
            self.requests.clear()
            self._queue.clear()
            self._rules.clear()
            self.max_in_flight = 0

    # -- inspection -----------------------------------------------------------------------------------------
    def messages(self) -> list[Recorded]:
        """Every ``POST /v1/messages`` received."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/messages"]

    def __enter__(self) -> FakeAnthropic:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- serving --------------------------------------------------------------------------------------------
    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}_{self._counter:04d}"

    def _pick(self, body: dict[str, Any], raw: bytes) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
            decoded = raw.decode("utf-8", "replace")
            for substring, replies in self._rules:
                if substring in decoded:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply()

    def _usage(self, body: Mapping[str, Any]) -> dict[str, int]:
        total = len(json.dumps([body.get("tools"), body.get("system"), body.get("messages")])) // 4
        usage = {"input_tokens": total, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        system = body.get("system")
        if isinstance(system, list):
            for index, block in enumerate(system):
                if isinstance(block, dict) and block.get("cache_control"):
                    prefix = json.dumps([body.get("model"), body.get("tools"), system[: index + 1]])
                    size = len(prefix) // 4
                    with self._lock:
                        seen = prefix in self._prefixes
                        self._prefixes.add(prefix)
                    usage["cache_read_input_tokens" if seen else "cache_creation_input_tokens"] = size
                    usage["input_tokens"] = max(0, total - size)
        return usage

    def message_for(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        """The Message JSON answering `body` (scripted content, else a generated answer)."""
        content = reply.content
        stop_reason = reply.stop_reason
        if content is None:
            output_format = ((body.get("output_config") or {}).get("format") or {})
            if output_format.get("type") == "json_schema":
                data = self._answer(body) if self._answer else example_for(output_format.get("schema") or {})
                content, stop_reason = [{"type": "text", "text": json.dumps(data)}], "end_turn"
            else:
                tools = body.get("tools") or [{}]
                data = self._answer(body) if self._answer else example_for(tools[0].get("input_schema") or {})
                content = [{"type": "tool_use", "id": self._next_id("toolu"),
                            "name": tools[0].get("name", TOOL_NAME), "input": data}]
        usage = self._usage(body)
        usage["output_tokens"] = max(1, len(json.dumps(content)) // 4)
        return {"id": self._next_id("msg"), "type": "message", "role": "assistant",
                "model": body.get("model", "m"), "content": content, "stop_reason": stop_reason,
                "stop_sequence": None, "usage": usage}

    def _batch_json(self, batch: dict[str, Any]) -> dict[str, Any]:
        ended = batch["polls"] >= self.batch_polls
        count = len(batch["requests"])
        return {"id": batch["id"], "type": "message_batch",
                "processing_status": "ended" if ended else "in_progress",
                "request_counts": {"processing": 0 if ended else count, "succeeded": count if ended else 0,
                                   "errored": 0, "canceled": 0, "expired": 0},
                "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z",
                "ended_at": "2026-01-01T00:10:00Z" if ended else None, "cancel_initiated_at": None,
                "archived_at": None,
                "results_url": f"/v1/messages/batches/{batch['id']}/results" if ended else None}

    def _batch_results(self, batch: dict[str, Any]) -> bytes:
        lines = []
        for item in batch["requests"]:
            outcome = self.batch_outcomes.get(item["custom_id"])
            if outcome in ("expired", "canceled"):
                result: dict[str, Any] = {"type": outcome}
            elif outcome == "errored":
                result = {"type": "errored", "error": {"type": "error", "error": {
                    "type": "invalid_request_error", "message": "fake batch error"}}}
            else:
                reply = outcome if isinstance(outcome, Reply) else Reply()
                result = {"type": "succeeded", "message": self.message_for(item["params"], reply)}
            lines.append(json.dumps({"custom_id": item["custom_id"], "result": result}))
        return ("\n".join(lines) + "\n").encode()

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: status, headers, body."""
        if "/v1/" in path:
            path = path[path.index("/v1/"):]
        path = path.split("?", 1)[0]
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(Recorded(method, path, headers, body, raw))
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not key or (self.api_keys is not None and key not in self.api_keys):
            return _json(error(401).status, {}, error(401).body)
        if method == "POST" and path == "/v1/messages":
            return self._messages(body or {}, raw)
        if method == "POST" and path == "/v1/messages/count_tokens":
            return _json(200, {}, {"input_tokens": self._usage(body or {})["input_tokens"]
                                   + len(json.dumps((body or {}).get("messages"))) // 400})
        if method == "POST" and path == "/v1/messages/batches":
            batch = {"id": self._next_id("msgbatch"), "requests": (body or {}).get("requests", []), "polls": 0}
            self.batches[batch["id"]] = batch
            return _json(200, {}, self._batch_json(batch))
        parts = path.strip("/").split("/")
        if method == "GET" and len(parts) >= 4 and parts[:3] == ["v1", "messages", "batches"]:
            batch = self.batches.get(parts[3])
            if batch is None:
                return _json(404, {}, error(404).body)
            if len(parts) == 5 and parts[4] == "results":
                return 200, {"content-type": "application/binary"}, self._batch_results(batch)
            batch["polls"] += 1
            return _json(200, {}, self._batch_json(batch))
        return _json(404, {}, error(404).body)

    def _messages(self, body: dict[str, Any], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        reply = self._pick(body, raw)
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            time.sleep(self.latency + reply.delay)
        finally:
            with self._lock:
                self._in_flight -= 1
        if reply.status != 200:
            return _json(reply.status, reply.headers, reply.body)
        payload = reply.body if reply.body is not None else self.message_for(body, reply)
        return _json(200, reply.headers, payload)


def _json(status: int, headers: Mapping[str, str], payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"content-type": "application/json", **headers}, json.dumps(payload).encode()


def _handler_for(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            del format, args

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out_headers, data = fake.handle(self.command, self.path, headers, raw)
            self.send_response(status)
            for name, value in out_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

    return Handler
