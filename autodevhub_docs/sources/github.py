# GitHub through PyGithub: the only module that imports `github`. It syncs one repository into the snapshot
# (sources/snapshot.py) page by page, asking only for what changed since the last sync.
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
import time
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
from autodevhub_docs.log import get_logger
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.github_json import (
    normalise_comment,
    normalise_item,
    normalise_list_entry,
    normalise_pull,
    review_outcome,
)
from autodevhub_docs.sources.snapshot import Snapshot

log = get_logger(__name__)
# PyGithub prints every retry at INFO on its own stderr handler; our warnings say what happened, once.
logging.getLogger("github").setLevel(logging.WARNING)

PER_PAGE = 100
"""GitHub's maximum page size: fewest requests."""
RETRIES = 3
"""Attempts after the first for 5xx, timeouts and connection errors."""
TIMEOUT_S = 15
"""Seconds before one request times out (PyGithub wants an int)."""
PR_DETAIL_LIMIT = 20
"""Most recently merged PRs whose changed files and reviews are fetched (two requests each, once per PR update)."""
COMMENT_PAGES_FIRST = 3
"""On the first sync, newest comment pages read (the rest of history is not worth the requests)."""
COMMENT_PAGES = 10
"""On later syncs, comment pages read at most (the cursor continues next time)."""
LIST_PAGES = 5
"""Pages read at most for milestones, labels, releases, tags and contributors."""
LIST_REFRESH_S = 6 * 3600
"""Milestones, labels, releases, tags and contributors are re-checked at most this often."""
FULL_LISTING_S = 7 * 24 * 3600
"""With an authenticated rate limit, a complete listing runs this often to notice deleted/transferred issues."""
RATE_RESERVE = 5
"""Requests left untouched for optional extras (PR details, comments), so a build never drains the limit."""
APP_ID_ENV = "GITHUB_APP_ID"
"""Variable with the GitHub App id (GitHub App installation auth)."""
APP_KEY_ENV = "GITHUB_APP_PRIVATE_KEY"
"""Variable with the GitHub App private key (PEM text)."""
APP_KEY_FILE_ENV = "GITHUB_APP_PRIVATE_KEY_FILE"
"""Variable with the path of the GitHub App private key, instead of the PEM text."""
APP_INSTALLATION_ENV = "GITHUB_APP_INSTALLATION_ID"
"""Optional variable with the installation id; looked up from the repository when missing."""
LISTS = {"milestones": {"state": "all"}, "labels": {}, "releases": {}, "tags": {}, "contributors": {}}
"""Small lists read with the repository, and their query parameters."""


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


# --- client ----------------------------------------------------------------------------------------------------------

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


def make_client(settings: Settings, repo: str, environ: Mapping[str, str] | None = None) -> Github:
    """A PyGithub client for the configured API root: bounded retries and waits, 100 per page, lazy objects."""
    environ = os.environ if environ is None else environ
    api = urlsplit(settings.github_api_url)
    if api.scheme not in ("http", "https") or not api.hostname:
        raise ConfigError(f"'github_api_url' must be an http(s) URL, not {settings.github_api_url!r}.",
                          "Use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise.")
    max_wait = float(settings.github_max_wait_s)
    retry = BoundedRetry(budget=_WaitBudget(max_wait), total=RETRIES, backoff_factor=0.5,
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


class GitHubSource:
    """Reads one repository through PyGithub into the snapshot.

    Args:
        settings: Build options (`github_api_url`, `github_token_env`, `github_max_wait_s`).
        repo: `owner/name`.
        snapshot: Where pages are stored (None: only `rate_limit` can be used).
        environ: Environment to read credentials from (default: `os.environ`).
        progress: Called after each page.
    """

    def __init__(self, settings: Settings, repo: str, snapshot: Snapshot | None, *,
                 environ: Mapping[str, str] | None = None, progress: Progress | None = None) -> None:
        self.settings = settings
        self.repo = repo
        self.snapshot = snapshot
        self.environ = os.environ if environ is None else environ
        self.progress = progress
        self.stats = SyncStats()
        """What this sync did so far."""
        self.client = make_client(settings, repo, self.environ)
        self.api = urlsplit(settings.github_api_url.rstrip("/"))

    @property
    def snap(self) -> Snapshot:
        """The snapshot being synced."""
        if self.snapshot is None:
            raise ValueError("this GitHubSource has no snapshot")
        return self.snapshot

    # --- requests ---------------------------------------------------------------------------------------------------

    @property
    def requester(self) -> Requester:
        """PyGithub's requester (auth, retries, rate-limit headers)."""
        return self.client.requester

    def _remaining(self) -> int | None:
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
                f"({type(error).__name__} after {RETRIES} retries).",
                "Check the network or 'github_api_url'.") from None
        self.stats.rate_remaining = self._remaining()
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

    def _url(self, path: str) -> str:
        return f"/repos/{self.repo}{path}"

    def pages(self, what: str, path: str, params: Mapping[str, Any], *, max_pages: int | None = None,
              conditional: bool = True) -> Iterator[tuple[int, list[Any], dict[str, str | None]]]:
        """Yield (page number, JSON list, state to store with it) for each page of a list, following Link.

        The first page is conditional (If-None-Match with the ETag stored for these exact parameters); a 304
        yields nothing. The ETag of a new first page is returned as state, to be stored with that page.
        """
        query = {**params, "per_page": PER_PAGE}
        etag_key = "etag:" + path + "?" + "&".join(f"{k}={query[k]}" for k in sorted(query))
        etag = self.snap.state(etag_key) if conditional else None
        url: str | None = self._url(path)
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

    # --- the sync ---------------------------------------------------------------------------------------------------

    def sync(self, *, full: bool = False) -> SyncStats:
        """Refresh the snapshot: repository, changed issues/PRs, new comments, lists, merged PR details.

        Args:
            full: List every issue again (notices deleted and transferred ones), ignoring the cursor.

        Raises:
            GitHubAuthError: 401/403/404 (wrong token, no access, unknown repository).
            GitHubUnavailableError: Network errors or 5xx after retries; what was stored so far stays stored.
            GitHubRateLimitError: A rate limit would need a longer wait than allowed.
        """
        snap = self.snap
        self._sync_repo()
        changed_with_comments = self._sync_items(full=full)
        if changed_with_comments or snap.state("comments_since") is None:
            self._sync_comments()
        refreshed = float(snap.state("lists_at") or 0)
        if full or time.time() - refreshed > LIST_REFRESH_S:
            for name, params in LISTS.items():
                self._sync_list(name, params)
            snap.set_state(lists_at=str(time.time()))
        self._sync_pull_details()
        snap.set_state(synced_at=str(time.time()))
        self.stats.stored = snap.item_count()
        return self.stats

    def _sync_repo(self) -> None:
        etag = self.snap.state("meta_etag") if self.snap.meta() else None
        status, headers, data = self.get(self._url(""), etag=etag)
        if status == 304 or not isinstance(data, dict):
            return
        meta = {"full_name": data.get("full_name") or self.repo, "private": bool(data.get("private")),
                "description": data.get("description") or "", "html_url": data.get("html_url") or "",
                "default_branch": data.get("default_branch") or "", "has_issues": data.get("has_issues", True)}
        self.snap.set_state(meta=json.dumps(meta), meta_etag=headers.get("etag"))

    def _sync_items(self, *, full: bool) -> bool:
        """Page through issues+PRs updated since the cursor (oldest first, so the cursor can follow each page)."""
        snap = self.snap
        since = snap.state("issues_since")
        last_full = float(snap.state("full_listing_at") or 0)
        limit = self.requester.rate_limiting[1]
        periodic = limit > 60 and time.time() - last_full > FULL_LISTING_S and since is not None
        listing_all = full or since is None or periodic
        params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "asc"}
        if not listing_all and since:
            params["since"] = since
        gen = int(snap.state("gen") or 0) + 1
        cursor = since or ""
        comments_needed = False
        try:
            # A complete listing is never conditional: a 304 would tell nothing about which issues are gone.
            for _page, data, state in self.pages("issues", "/issues", params, conditional=not listing_all):
                items = [normalise_item(raw, self.repo) for raw in data if isinstance(raw, dict) and "number" in raw]
                changed = snap.save_items(items, gen=gen, state={
                    **state, "gen": str(gen),
                    "issues_since": max([cursor, *(i["updated_at"] for i in items)]) or None})
                cursor = max([cursor, *(i["updated_at"] for i in items)])
                self.stats.changed += len(changed)
                comments_needed = comments_needed or any(i["comments"] for i in changed)
        except GitHubNotFoundError:
            # Issues are disabled on this repository (410), so /issues lists no PRs either: read /pulls.
            return self._sync_pulls_only(gen)
        if listing_all:
            gone = snap.mark_unseen_gone(gen)
            if gone:
                log.info("%d issue(s) of %s are no longer listed (deleted or transferred)", gone, self.repo)
            snap.set_state(full_listing_at=str(time.time()))
        return comments_needed

    def _sync_pulls_only(self, gen: int) -> bool:
        """List PRs newest-updated first and stop at the first page that reaches the last pass's cursor.

        `/pulls` has no `since`, so the cursor moves only once a pass completes; an interrupted pass is simply
        repeated (its pages are already stored).
        """
        snap = self.snap
        since = snap.state("pulls_since") or ""
        newest = since
        params = {"state": "all", "sort": "updated", "direction": "desc"}
        for _page, data, state in self.pages("pull requests", "/pulls", params):
            items = [normalise_pull(raw, self.repo) for raw in data if isinstance(raw, dict) and "number" in raw]
            self.stats.changed += len(snap.save_items(items, gen=gen, state=state))
            newest = max([newest, *(i["updated_at"] for i in items)])
            if any(i["updated_at"] < since for i in items):
                break
        snap.set_state(pulls_since=newest or None)
        return True

    def _sync_comments(self) -> None:
        snap = self.snap
        since = snap.state("comments_since")
        first = since is None
        params: dict[str, Any] = {"sort": "updated", "direction": "desc" if first else "asc"}
        if since:
            params["since"] = since
        cursor = since or ""
        pages = COMMENT_PAGES_FIRST if first else COMMENT_PAGES
        for _page, data, state in self.pages("comments", "/issues/comments", params, max_pages=pages,
                                             conditional=not first):
            comments = [c for raw in data if isinstance(raw, dict) and (c := normalise_comment(raw))]
            cursor = max([cursor, *(c["updated_at"] for c in comments)])
            snap.save_comments(comments, state={**state, "comments_since": cursor or None})
            if self._low_on_requests():
                break
        if not cursor:  # no comments at all: a new comment bumps its issue, so the issue cursor is a safe start
            snap.set_state(comments_since=snap.state("issues_since") or "1970-01-01T00:00:00Z")

    def _sync_list(self, name: str, params: Mapping[str, Any]) -> None:
        for page, data, state in self.pages(name, f"/{name}", params, max_pages=LIST_PAGES):
            entries = [normalise_list_entry(name, raw) for raw in data if isinstance(raw, dict)]
            self.snap.save_list_page(name, page, entries, state)

    def _low_on_requests(self) -> bool:
        remaining = self._remaining()
        return remaining is not None and remaining < RATE_RESERVE

    def _sync_pull_details(self) -> None:
        """Changed files and review outcome of the most recently merged PRs (bounded, once per PR update)."""
        snap = self.snap
        known = snap.pull_details()
        merged = sorted((p for p in snap.items(kind="pull") if p.get("merged_at")),
                        key=lambda p: p["merged_at"], reverse=True)[:PR_DETAIL_LIMIT]
        gone: list[int] = []
        for pull in merged:
            number = pull["number"]
            if known.get(number, {}).get("for_updated_at") == pull["updated_at"]:
                continue
            if self._low_on_requests():
                log.info("skipping PR details for %s: fewer than %d requests left", self.repo, RATE_RESERVE)
                break
            try:
                _, _, files = self.get(self._url(f"/pulls/{number}/files"), {"per_page": PER_PAGE},
                                       what=f" (PR #{number})")
                _, _, reviews = self.get(self._url(f"/pulls/{number}/reviews"), {"per_page": PER_PAGE},
                                         what=f" (PR #{number})")
            except GitHubNotFoundError:
                gone.append(number)  # deleted, or no longer visible
                continue
            files = files if isinstance(files, list) else []
            snap.save_pull_details(number, pull["updated_at"], {
                "files": [str(f.get("filename")) for f in files if isinstance(f, dict)],
                "additions": sum(int(f.get("additions") or 0) for f in files if isinstance(f, dict)),
                "deletions": sum(int(f.get("deletions") or 0) for f in files if isinstance(f, dict)),
                "review_state": review_outcome(reviews if isinstance(reviews, list) else []),
            })
        if gone:
            snap.mark_gone(gone, "missing")

    # --- doctor -----------------------------------------------------------------------------------------------------

    def rate_limit(self) -> tuple[int, int, int]:
        """(remaining, limit, reset epoch) of the core limit: exactly one `GET /rate_limit`."""
        _, _, data = self.get("/rate_limit", what=" (rate limit)")
        core = ((data or {}).get("resources") or {}).get("core") or (data or {}).get("rate") or {}
        return int(core.get("remaining", -1)), int(core.get("limit", -1)), int(core.get("reset", 0))


def sync(settings: Settings, repo: str, snapshot: Snapshot, *, full: bool = False,
         progress: Progress | None = None, environ: Mapping[str, str] | None = None) -> SyncStats:
    """Sync one repository into its snapshot and record the request stats for report.json.

    The stats are stored even when the sync fails half-way, so report.json shows what was spent.
    """
    source = GitHubSource(settings, repo, snapshot, environ=environ, progress=progress)
    try:
        return source.sync(full=full)
    finally:
        snapshot.store.put_json("github", "last_sync_stats", source.stats.report())
        source.client.close()


def rate_limit(settings: Settings, repo: str, environ: Mapping[str, str] | None = None) -> tuple[int, int, int]:
    """(remaining, limit, reset epoch) of the core rate limit, from exactly one `GET /rate_limit`."""
    source = GitHubSource(settings, repo, None, environ=environ)
    try:
        return source.rate_limit()
    finally:
        source.client.close()
