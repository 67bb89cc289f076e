# Bounded retries and a circuit breaker for calls to a language model endpoint. Kept apart from the SDK: the
# client says what an exception means (`Failure`: HTTP status and headers, 0 for a connection error), this module
# decides whether and how long to wait. Retries honour retry-after(-ms), but never longer than the cap (the SDK
# itself has no cap); after `BREAKER_LIMIT` calls in a row fail despite their retries, the rest of the build stops
# calling, because the endpoint is down and every page would otherwise wait through its own retries.
from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from autodevhub_docs.llm.client import Usage
from autodevhub_docs.log import get_logger

if TYPE_CHECKING:
    import asyncio  # imported on first use: a warm build (all cache hits) never pays for asyncio

log = get_logger(__name__)
T = TypeVar("T")

BREAKER_LIMIT = 3
"""After this many calls in a row fail despite retries, the rest of the build stops calling (the endpoint is down)."""
FATAL_STATUS = {401: "authentication", 403: "permission", 404: "not found"}
"""Statuses no retry can fix: the key, or the model or endpoint."""


class PageFailed(Exception):
    """One page could not be written by the model (retries exhausted, invalid twice, budget)."""


@dataclass(frozen=True)
class Failure:
    """What a failed attempt said, in the SDK's own terms translated by the client."""

    status: int
    """HTTP status, or 0 when the endpoint could not be reached."""
    headers: Mapping[str, str]
    """Response headers (retry-after, x-should-retry)."""
    error: Exception
    """The SDK's exception."""


@dataclass
class CircuitBreaker:
    """Counts calls in a row that failed after all their retries."""

    limit: int = BREAKER_LIMIT
    """Failures in a row after which no call is tried any more."""
    failures: int = field(default=0)
    """Calls in a row that failed after all their retries."""

    @property
    def open(self) -> bool:
        """Whether calls are no longer tried."""
        return self.failures >= self.limit


def retry_wait(headers: Mapping[str, str], attempt: int, cap: float) -> float:
    """Seconds to wait before the next attempt: retry-after(-ms) when given, else backoff; never above `cap`.

    Args:
        headers: Headers of the failed response.
        attempt: Attempts made so far minus one (0 after the first).
        cap: Longest wait in seconds.
    """
    wait: float | None = None
    try:
        if headers.get("retry-after-ms"):
            wait = float(headers["retry-after-ms"]) / 1000
        elif headers.get("retry-after"):
            raw = headers["retry-after"]
            try:
                wait = float(raw)
            except ValueError:
                import email.utils

                wait = email.utils.parsedate_to_datetime(raw).timestamp() - time.time()
    except (TypeError, ValueError):
        wait = None
    if wait is None or wait <= 0:
        wait = min(0.5 * 2**attempt, 8.0) * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not crypto
    return min(wait, cap)


def retryable(failure: Failure) -> bool:
    """408/409/429/5xx/529 and connection errors, unless the server's `x-should-retry` says otherwise."""
    should = (failure.headers.get("x-should-retry") or "").lower()
    status = failure.status
    return should == "true" or (should != "false" and (status in (0, 408, 409, 429) or status >= 500))


def describe(failure: Failure, attempts: int) -> str:
    """A short reason for a page's note, e.g. `HTTP 529 after 3 attempts`."""
    what = f"HTTP {failure.status}" if failure.status else type(failure.error).__name__.replace("Error", " error")
    return f"{what.strip()} after {attempts} attempt{'s' if attempts > 1 else ''}"


@dataclass
class Retrier:
    """Runs calls under a concurrency limit with bounded retries and one circuit breaker for the whole build.

    Args:
        classify: Translates an SDK exception into a `Failure`, or returns None for one that is not an API error
            (which then propagates unchanged).
        usage: The build's usage: each attempt counts as a call when asked, each abandoned call as a failure.
    """

    classify: Callable[[Exception], Failure | None]
    usage: Usage
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    semaphore: asyncio.Semaphore | None = None
    """Made in the running event loop on first use (a semaphore belongs to one loop)."""

    async def run(self, call: Callable[[], Awaitable[T]], *, concurrency: int, max_retries: int,
                  wait: Callable[[Mapping[str, str], int], float], fatal: Callable[[Failure], Exception],
                  count: bool = False) -> T:
        """Run one call, retrying what `retryable` allows.

        Args:
            call: Makes the request (a fresh coroutine per attempt).
            concurrency: Calls in flight at most (for the whole build).
            max_retries: Retries after the first attempt.
            wait: Seconds to wait before an attempt, from the failed response's headers and the attempt number.
            fatal: Builds the error raised for a `FATAL_STATUS` failure (it ends the build).
            count: Count each attempt in `usage.calls`.

        Raises:
            Exception: `fatal`'s error for 401/403/404.
            PageFailed: Retries are exhausted, the error is not retryable, or the breaker is open.
        """
        import asyncio

        if self.semaphore is None:
            self.semaphore = asyncio.Semaphore(concurrency)
        attempt = 0
        while True:
            async with self.semaphore:
                if self.breaker.open:
                    raise PageFailed(f"not tried: {self.breaker.limit} calls in a row failed, so the endpoint "
                                     "looks down")
                if count:
                    self.usage.calls += 1
                try:
                    result = await call()
                except Exception as error:
                    failure = self.classify(error)
                    if failure is None:
                        raise
                else:
                    self.breaker.failures = 0
                    return result
            if failure.status in FATAL_STATUS:
                raise fatal(failure) from None
            if not retryable(failure) or attempt >= max_retries:
                self.usage.failures += 1
                self.breaker.failures += 1
                raise PageFailed(describe(failure, attempt + 1))
            seconds = wait(failure.headers, attempt)
            log.info("HTTP %s from the Anthropic API; retrying in %.1f s", failure.status or "connection error",
                     seconds)
            await asyncio.sleep(seconds)
            attempt += 1
