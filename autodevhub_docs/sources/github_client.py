# The GitHub REST client, through PyGithub's Requester: authentication (token or GitHub App), bounded retries and
# rate-limit waits, conditional requests, pagination by Link header, and the mapping of HTTP failures to our
# domain errors. sources/github.py uses it to sync a repository; PyGithub is imported only by these two modules.
#
# Why the Requester and not PaginatedList: PaginatedList has no conditional requests and hides page boundaries,
# and we need both (ETag/304 on first pages, one transaction per page). PyGithub's Requester still does the
# auth, the bounded retries, the rate-limit accounting and the error mapping. We never build PyGithub objects
# from list JSON, so no lazy "completion" GET can ever fire.
from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from github import Auth, Github, GithubException, GithubIntegration, GithubRetry
from github.GithubException import RateLimitExceededExceedsMaxWait, RateLimitExceededException
from github.Requester import Requester

from autodevhub_docs.errors import (
    ConfigError,
    GitHubAuthError,
    GitHubNotFoundError,
    GitHubRateLimitError,
    GitHubUnavailableError,
    SourceError,
)
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.github_credentials import APP_ID_ENV, APP_INSTALLATION_ENV, APP_KEY_ENV, APP_KEY_FILE_ENV

# PyGithub prints every retry at INFO on its own stderr handler; our warnings say what happened, once.
logging.getLogger("github").setLevel(logging.WARNING)

PER_PAGE = 100
"""GitHub's maximum page size: fewest requests."""
RETRIES = 3
"""Attempts after the first for 5xx, timeouts and connection errors."""
TIMEOUT_S = 15
"""Seconds before one request times out (PyGithub wants an int)."""

@dataclass
class SyncStats:
    """What one sync did; `requests` and `not_modified` go into report.json."""

    requests: int = 0
    """Requests sent (retries inside one request not counted)."""
    not_modified: int = 0
    """Requests answered 304 Not Modified (free under GitHub's rate limit)."""
    changed: int = 0
    """Issues and PRs that were new or changed."""
    stored: int = 0
    """Issues and PRs in the snapshot after the sync."""
    rate_remaining: int | None = None
    """Requests left in the current rate-limit window, when GitHub said."""

    def report(self) -> dict[str, int]:
        """The part of the stats that report.json records."""
        return {"requests": self.requests, "not_modified": self.not_modified}


Progress = Callable[[str, int, "int | None"], None]
"""Called after each page: (what, pages done, pages expected or None)."""


class _WaitBudget:
    """Seconds of rate-limit waiting still allowed in this sync (shared by every retry object of one client)."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds

    def charge(self, seconds: float, response: Any) -> None:
        if seconds > self.left:
            raise RateLimitExceededExceedsMaxWait(response.status, {"message": "rate limit wait too long"},
                                                  dict(response.headers), wait=seconds)
        self.left -= seconds


class BoundedRetry(GithubRetry):
    """GithubRetry whose rate-limit waits (Retry-After, primary reset, secondary backoff) share one bounded budget.

    PyGithub bounds the primary/secondary backoff with `max_rate_limit_wait`, but a `Retry-After` header is slept
    by urllib3 for up to six hours; this class charges every wait to the budget and gives up past it.
    """

    def __init__(self, *, budget: _WaitBudget, **kwargs: Any) -> None:
        self.budget = budget
        """Shared wait budget."""
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> BoundedRetry:
        """Copy, keeping the shared budget."""
        kw["budget"] = self.budget
        return super().new(**kw)

    def increment(self, method: Any = None, url: Any = None, response: Any = None, error: Any = None,
                  _pool: Any = None, _stacktrace: Any = None) -> Any:
        """Charge the coming wait to the budget before PyGithub/urllib3 sleep on it."""
        after = response.headers.get("Retry-After") if response is not None else None
        if after is not None:
            self.budget.charge(self.parse_retry_after(after), response)
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None and response.status in (403, 429) and after is None:
            self.budget.charge(retry.get_backoff_time(), response)
        return retry


def _auth(settings: Settings, repo: str, environ: Mapping[str, str]) -> Auth.Auth | None:
    token = environ.get(settings.github_token_env, "").strip()
    if token:
        return Auth.Token(token)
    app_id = environ.get(APP_ID_ENV, "").strip()
    key = environ.get(APP_KEY_ENV, "").strip()
    if not key and environ.get(APP_KEY_FILE_ENV, "").strip():
        try:
            with open(environ[APP_KEY_FILE_ENV].strip(), encoding="utf-8") as handle:  # noqa: PTH123
                key = handle.read()
        except OSError as error:
            raise GitHubAuthError(f"Cannot read the GitHub App private key file named by ${APP_KEY_FILE_ENV} "
                                  f"({error.strerror}).",
                                  f"Point ${APP_KEY_FILE_ENV} at the app's .pem file.") from None
    if not (app_id and key):
        return None
    app = Auth.AppAuth(app_id, key)
    installation = environ.get(APP_INSTALLATION_ENV, "").strip()
    if not installation:
        owner, name = repo.split("/", 1)
        integration = GithubIntegration(auth=app, base_url=settings.github_api_url.rstrip("/"), timeout=TIMEOUT_S,
                                        seconds_between_requests=None, seconds_between_writes=None)
        try:
            installation = str(integration.get_repo_installation(owner, name).id)
        except (requests.exceptions.RequestException, OSError) as error:
            raise GitHubUnavailableError(
                f"GitHub at {settings.github_api_url} could not be reached to find the app installation on {repo} "
                f"({type(error).__name__}).", f"Check the network, or set ${APP_INSTALLATION_ENV}.") from None
        except GithubException as error:
            raise GitHubAuthError(
                f"The GitHub App ${APP_ID_ENV} is not installed on {repo} (GitHub answered {error.status}).",
                f"Install the app on {repo}, or set ${APP_INSTALLATION_ENV}, or use a token in "
                f"${settings.github_token_env}.") from None
    return app.get_installation_auth(int(installation))


def make_client(settings: Settings, repo: str, environ: Mapping[str, str] | None = None, *,
                retries: int = RETRIES) -> Github:
    """A PyGithub client for the configured API root: bounded retries and waits, 100 per page, lazy objects.

    Args:
        settings: Build options.
        repo: `owner/name`.
        environ: Environment to read credentials from (default: `os.environ`).
        retries: Attempts after the first for 5xx, timeouts and connection errors (0: fail at once).
    """
    environ = os.environ if environ is None else environ
    api = urlsplit(settings.github_api_url)
    if api.scheme not in ("http", "https") or not api.hostname:
        raise ConfigError(f"'github_api_url' must be an http(s) URL, not {settings.github_api_url!r}.",
                          "Use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise.")
    max_wait = float(settings.github_max_wait_s)
    retry = BoundedRetry(budget=_WaitBudget(max_wait), total=retries, backoff_factor=0.5,
                         secondary_rate_wait=min(60.0, max_wait), max_rate_limit_wait=max_wait)
    return Github(base_url=settings.github_api_url.rstrip("/"), auth=_auth(settings, repo, environ),
                  per_page=PER_PAGE, lazy=True, retry=retry, timeout=TIMEOUT_S,
                  seconds_between_requests=None, seconds_between_writes=None)


def _next_link(link: str | None) -> tuple[str | None, int | None]:
    """The `rel="next"` URL and the page number of `rel="last"` from a Link header."""
    nxt = last = None
    for url, rel in re.findall(r'<([^>]+)>\s*;\s*rel="([^"]+)"', link or ""):
        if rel == "next":
            nxt = url
        elif rel == "last":
            pages = parse_qs(urlsplit(url).query).get("page")
            last = int(pages[0]) if pages and pages[0].isdigit() else None
    return nxt, last


class GitHubApi:
    """GET requests to one repository's API, counted in `stats`, with our errors.

    Args:
        settings: Build options (`github_api_url`, `github_token_env`, `github_max_wait_s`).
        repo: `owner/name`.
        environ: Environment to read credentials from (default: `os.environ`).
        progress: Called after each page of a list.
        retries: Attempts after the first for 5xx, timeouts and connection errors.
    """

    def __init__(self, settings: Settings, repo: str, *, environ: Mapping[str, str] | None = None,
                 progress: Progress | None = None, retries: int = RETRIES) -> None:
        self.settings = settings
        self.repo = repo
        self.environ = os.environ if environ is None else environ
        self.progress = progress
        self.stats = SyncStats()
        """What was asked so far (and, filled in by the sync, what changed)."""
        self.retries = retries
        self.client = make_client(settings, repo, self.environ, retries=retries)
        self.api = urlsplit(settings.github_api_url.rstrip("/"))

    @property
    def requester(self) -> Requester:
        """PyGithub's requester (auth, retries, rate-limit headers)."""
        return self.client.requester

    def remaining(self) -> int | None:
        """Requests left in the rate-limit window, when GitHub said (never sends a request)."""
        remaining, limit = self.requester.rate_limiting  # from response headers; never triggers a request
        return remaining if limit >= 0 else None

    def get(self, url: str, params: Mapping[str, Any] | None = None, etag: str | None = None,
            what: str = "") -> tuple[int, dict[str, Any], Any]:
        """One GET through PyGithub's requester; returns (status, headers, JSON) and maps errors to ours."""
        headers = {"Accept": "application/vnd.github+json"}
        if etag:
            headers["If-None-Match"] = etag
        self.stats.requests += 1
        try:
            status, resp_headers, body = self.requester.requestJson("GET", url, dict(params or {}), headers)
        except (RateLimitExceededException, RateLimitExceededExceedsMaxWait) as error:
            raise self._rate_limited(error) from None
        except GithubException as error:
            if error.status == 429:
                raise self._rate_limited(error) from None
            raise self._failure(error.status, error.data if isinstance(error.data, dict) else {}, what) from None
        except RuntimeError as error:  # PyGithub refuses redirects to another host or scheme
            raise SourceError(f"GitHub at {self.settings.github_api_url} redirected elsewhere: {error}",
                              "Set 'github_api_url' to the API root the server redirects to.") from None
        except (requests.exceptions.RequestException, OSError) as error:  # RetryError, timeouts, refused
            raise GitHubUnavailableError(
                f"GitHub at {self.settings.github_api_url} could not be reached for {self.repo} "
                f"({type(error).__name__} after {self.retries} retries).",
                "Check the network or 'github_api_url'.") from None
        self.stats.rate_remaining = self.remaining()
        if status == 304:
            self.stats.not_modified += 1
            return status, resp_headers, None
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        if status >= 400:
            data = data if isinstance(data, dict) else {}
            exception = Requester.createException(status, resp_headers, data)
            if isinstance(exception, RateLimitExceededException) or status == 429:
                raise self._rate_limited(exception)
            raise self._failure(status, data, what)
        return status, resp_headers, data

    def _rate_limited(self, error: GithubException) -> GitHubRateLimitError:
        wait = getattr(error, "wait", None)
        detail = f"it asked to wait {wait:.0f} s" if wait else f"status {error.status}"
        return GitHubRateLimitError(
            f"GitHub rate limit reached while reading {self.repo} ({detail}; at most "
            f"{self.settings.github_max_wait_s:g} s of waiting is allowed).",
            f"Set a token in ${self.settings.github_token_env} for a higher limit, or raise 'github_max_wait_s'.")

    def _failure(self, status: int, data: Mapping[str, Any], what: str) -> SourceError:
        var = self.settings.github_token_env
        has_token = bool(self.environ.get(var, "").strip())
        if status == 401 and not has_token and self.environ.get(APP_ID_ENV, "").strip():
            return GitHubAuthError(
                f"GitHub refused the GitHub App credentials (${APP_ID_ENV}, ${APP_KEY_ENV}) for {self.repo} "
                f"(401 {data.get('message') or 'Unauthorized'}).",
                f"Check the app id and private key, and that the app is installed on {self.repo}; or export a "
                f"token in ${var}.")
        if status == 401:
            return GitHubAuthError(
                f"GitHub refused the credentials in ${var} for {self.repo} "
                f"(401 {data.get('message') or 'Unauthorized'}).",
                f"Create a new token with read access to {self.repo} and export it in ${var} "
                "(or fix 'github_token_env' in mkdocs.yml).")
        if status == 403:
            return GitHubAuthError(
                f"GitHub refused access to {self.repo}{what} (403 {data.get('message') or 'Forbidden'}).",
                f"Give the token in ${var} read access to {self.repo} (issues, pull requests, metadata), "
                "and authorise it for the organisation's SSO if it uses one.")
        if status in (404, 410):
            hint = (f"the token in ${var} cannot see it" if has_token else f"${var} is not set")
            return GitHubNotFoundError(
                f"{self.repo} was not found on {self.settings.github_api_url} ({status}): it does not exist or {hint}.",
                f"Check 'github_repo' in mkdocs.yml, and export a token that can read {self.repo} in ${var} "
                "(private repositories need one).")
        if status >= 500:
            return GitHubUnavailableError(f"GitHub answered {status} for {self.repo}{what}.",
                                          "Try again later.")
        return SourceError(f"GitHub answered {status} for {self.repo}{what}: {data.get('message') or ''}".rstrip(": "),
                           "Check 'github_repo' and 'github_api_url' in mkdocs.yml.")

    def url(self, path: str) -> str:
        """The API path of something in the repository."""
        return f"/repos/{self.repo}{path}"

    def pages(self, what: str, path: str, params: Mapping[str, Any], *, max_pages: int | None = None,
              etag_of: Callable[[str], str | None] | None = None,
              ) -> Iterator[tuple[int, list[Any], dict[str, str | None]]]:
        """Yield (page number, JSON list, state to store with it) for each page of a list, following Link.

        With `etag_of` (the stored state), the first page is conditional (If-None-Match with the ETag stored for
        these exact parameters); a 304 yields nothing. The ETag of a new first page is returned as state, to be
        stored with that page.
        """
        conditional = etag_of is not None
        query = {**params, "per_page": PER_PAGE}
        etag_key = "etag:" + path + "?" + "&".join(f"{k}={query[k]}" for k in sorted(query))
        etag = etag_of(etag_key) if etag_of is not None else None
        url: str | None = self.url(path)
        page, expected = 1, None
        while url is not None and (max_pages is None or page <= max_pages):
            status, headers, data = self.get(url, query if page == 1 else None, etag if page == 1 else None,
                                             what=f" ({what})")
            if status == 304:
                return
            nxt, last = _next_link(headers.get("link"))
            expected = last or expected
            state: dict[str, str | None] = {}
            if page == 1 and conditional:
                state[etag_key] = headers.get("etag")
            yield page, data if isinstance(data, list) else [], state
            if self.progress:
                self.progress(what, page, expected)
            if not data:
                break
            if nxt is not None and urlsplit(nxt).netloc not in ("", self.api.netloc):
                raise SourceError(f"GitHub sent a next-page link to another host ({urlsplit(nxt).netloc}).",
                                  "Check 'github_api_url' (use the API root of your GitHub, e.g. https://HOST/api/v3).")
            url, page = nxt, page + 1

    def rate_limit(self) -> tuple[int, int, int]:
        """(remaining, limit, reset epoch) of the core limit: exactly one `GET /rate_limit`."""
        _, _, data = self.get("/rate_limit", what=" (rate limit)")
        core = ((data or {}).get("resources") or {}).get("core") or (data or {}).get("rate") or {}
        return int(core.get("remaining", -1)), int(core.get("limit", -1)), int(core.get("reset", 0))


    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()
