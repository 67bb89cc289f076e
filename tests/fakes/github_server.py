# A GitHub REST API fake for the tests: stdlib ThreadingHTTPServer on 127.0.0.1 (random port) that the REAL PyGithub
# drives over HTTP. It serves realistic JSON shapes, Link pagination in GitHub's exact format, `since` filtering,
# ETag/304, rate-limit headers, and injected failures (403 secondary limits with Retry-After, 502s, 401s...).
#
# Usage:
#     with GitHubFake(repo="o/r") as gh:
#         gh.add_issue(title="Add login", labels=["enhancement"])
#         gh.add_pull(title="Login form", body="Closes #1", merged=True, files=["app/login.py"])
#         gh.fail_next("/repos/o/r/issues", 502)
#         ... Github(base_url=gh.api_url, ...) ...
#         assert gh.count("/repos/o/r/issues") == 2
#
# API: start()/stop() or `with`; .api_url (give it to PyGithub as base_url / to the plugin as github_api_url);
# data: add_issue, add_pull, add_comment, add_milestone, add_label, add_release, add_tag, add_contributor,
# update_issue (bumps updated_at), make_pull (issue -> PR), remove_issue (410 deleted / 301 transferred);
# behaviour: token= (401 for other tokens), private= (404 without a token), has_issues=False (410 on /issues),
# anonymous_limit/limit (403 primary limit past them); failures: fail_next(path, status, headers, body,
# times=, query=, hold=); log: .requests (Request: method, path, query, headers, status), count(), clear_requests().
# Paths in the log and in fail_next have no /api/v3 prefix. Every record's timestamps come from .clock (tick()).
from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Request:
    """One request the fake received."""

    method: str
    path: str
    """Path without the `/api/v3` prefix, e.g. `/repos/o/r/issues`."""
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-cased header names."""
    status: int = 0
    """Status the fake answered."""


@dataclass
class _Failure:
    path: str
    status: int
    headers: dict[str, str]
    body: Any
    times: int
    query: dict[str, str]
    hold: threading.Event | None = None


@dataclass
class _Gone:
    status: int
    location: str | None = None


@dataclass
class GitHubFake:
    """A fake GitHub REST API for one repository.

    Args:
        repo: `owner/name` served.
        private: The repository's `private` flag (anonymous requests then get 404, as on GitHub).
        token: When set, only `Authorization: token <token>` (or Bearer) is accepted; a wrong one gets 401.
        anonymous_limit: Requests per window without a token (GitHub: 60/hour).
        limit: Requests per window with a token (GitHub: 5000/hour).
    """

    repo: str = "o/r"
    private: bool = False
    has_issues: bool = True
    """False: `/issues` answers 410 (issues disabled) and only `/pulls` lists the pull requests."""
    token: str | None = None
    anonymous_limit: int = 60
    limit: int = 5000
    requests: list[Request] = field(default_factory=list)
    """Every request received, in order."""

    def __post_init__(self) -> None:
        self.issues: dict[int, dict[str, Any]] = {}
        self.pull_extra: dict[int, dict[str, Any]] = {}
        self.comments: list[dict[str, Any]] = []
        self.milestones: dict[int, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.releases: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.contributors: list[dict[str, Any]] = []
        self.gone: dict[int, _Gone] = {}
        self.installation_id = 42
        self.clock = EPOCH
        """Time used for new records; `tick()` advances it."""
        self._failures: list[_Failure] = []
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._next_number = 1
        self._next_id = 1000

    # --- lifecycle --------------------------------------------------------------------------------------------------

    def start(self) -> GitHubFake:
        """Start serving on 127.0.0.1 with a random port."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        for failure in self._failures:
            if failure.hold:
                failure.hold.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GitHubFake:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The GitHub Enterprise style API root to give PyGithub (`.../api/v3`)."""
        return self.url + "/api/v3"

    # --- data -------------------------------------------------------------------------------------------------------

    def tick(self, minutes: int = 1) -> str:
        """Advance the clock and return the new time (ISO 8601)."""
        self.clock += timedelta(minutes=minutes)
        return _iso(self.clock)

    def _user(self, login: str) -> dict[str, Any]:
        return {"login": login, "id": abs(hash(login)) % 10**6, "type": "User",
                "html_url": f"https://github.example/{login}"}

    def add_milestone(self, title: str, *, number: int | None = None, state: str = "open", description: str = "",
                      due_on: str | None = None) -> dict[str, Any]:
        """Add a milestone and return its JSON."""
        number = number or len(self.milestones) + 1
        m = {"id": 500 + number, "number": number, "title": title, "state": state, "description": description,
             "due_on": due_on, "open_issues": 0, "closed_issues": 0, "created_at": _iso(self.clock),
             "updated_at": _iso(self.clock), "html_url": f"https://github.example/{self.repo}/milestone/{number}",
             "url": f"{self.api_url}/repos/{self.repo}/milestones/{number}"}
        self.milestones[number] = m
        return m

    def add_label(self, name: str, *, color: str = "ededed", description: str = "") -> dict[str, Any]:
        """Add a repository label and return its JSON."""
        label = {"id": 700 + len(self.labels), "name": name, "color": color, "description": description,
                 "default": False, "url": f"{self.api_url}/repos/{self.repo}/labels/{name}"}
        self.labels[name] = label
        return label

    def add_issue(self, title: str = "An issue", *, number: int | None = None, body: str = "", state: str = "open",
                  labels: list[str] | tuple[str, ...] = (), user: str = "octo", milestone: str | None = None,
                  assignees: list[str] | tuple[str, ...] = (), comments: int = 0, reactions: int = 0,
                  created_at: str | None = None, updated_at: str | None = None, closed_at: str | None = None,
                  state_reason: str | None = None) -> dict[str, Any]:
        """Add an issue (each call advances the clock a minute) and return its JSON as the issues list shows it."""
        number = number or self._next_number
        self._next_number = max(self._next_number, number + 1)
        now = self.tick()
        for name in labels:
            if name not in self.labels:
                self.add_label(name)
        ms = next((m for m in self.milestones.values() if m["title"] == milestone), None)
        if milestone and ms is None:
            ms = self.add_milestone(milestone)
        issue = {
            "id": 100000 + number, "node_id": f"I_{number}", "number": number, "title": title, "body": body,
            "state": state, "state_reason": state_reason, "locked": False, "user": self._user(user),
            "labels": [self.labels[n] for n in labels], "assignee": self._user(assignees[0]) if assignees else None,
            "assignees": [self._user(a) for a in assignees], "milestone": ms, "comments": comments,
            "created_at": created_at or now, "updated_at": updated_at or now,
            "closed_at": closed_at or (now if state == "closed" else None), "author_association": "OWNER",
            "reactions": {"url": f"{self.api_url}/repos/{self.repo}/issues/{number}/reactions",
                          "total_count": reactions, "+1": reactions, "-1": 0, "laugh": 0, "hooray": 0,
                          "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
            "html_url": f"https://github.example/{self.repo}/issues/{number}",
            "url": f"{self.api_url}/repos/{self.repo}/issues/{number}",
            "repository_url": f"{self.api_url}/repos/{self.repo}",
            "comments_url": f"{self.api_url}/repos/{self.repo}/issues/{number}/comments",
        }
        self.issues[number] = issue
        return issue

    def add_pull(self, title: str = "A pull request", *, number: int | None = None, body: str = "",
                 state: str | None = None, merged: bool = False, merged_at: str | None = None, draft: bool = False,
                 files: list[str] | tuple[str, ...] = (), reviews: list[tuple[str, str]] | tuple[()] = (),
                 **issue_fields: Any) -> dict[str, Any]:
        """Add a pull request; it shows in the issues list with a `pull_request` object, as on GitHub.

        Args:
            reviews: (reviewer login, state) pairs, state one of APPROVED, CHANGES_REQUESTED, COMMENTED.
        """
        state = state or ("closed" if merged or merged_at else "open")
        issue = self.add_issue(title, number=number, body=body, state=state, **issue_fields)
        number = issue["number"]
        merged_at = merged_at or (issue["updated_at"] if merged else None)
        issue["html_url"] = f"https://github.example/{self.repo}/pull/{number}"
        issue["draft"] = draft
        issue["pull_request"] = {"url": f"{self.api_url}/repos/{self.repo}/pulls/{number}",
                                 "html_url": issue["html_url"], "diff_url": issue["html_url"] + ".diff",
                                 "patch_url": issue["html_url"] + ".patch", "merged_at": merged_at}
        self.pull_extra[number] = {
            "files": [{"sha": f"s{i}", "filename": f, "status": "modified", "additions": 3, "deletions": 1,
                       "changes": 4} for i, f in enumerate(files)],
            "reviews": [{"id": 9000 + i, "user": self._user(who), "state": st, "body": "",
                         "submitted_at": issue["updated_at"]} for i, (who, st) in enumerate(reviews)],
        }
        return issue

    def update_issue(self, number: int, **changes: Any) -> dict[str, Any]:
        """Change fields of an issue/PR and bump its `updated_at` to a new clock minute."""
        issue = self.issues[number]
        if "labels" in changes:
            for name in changes["labels"]:
                if name not in self.labels:
                    self.add_label(name)
            changes["labels"] = [self.labels[n] for n in changes["labels"]]
        issue.update(changes)
        issue["updated_at"] = self.tick()
        return issue

    def make_pull(self, number: int, *, merged: bool = False) -> dict[str, Any]:
        """Turn an existing issue into a pull request (as the old 'convert issue to PR' API did)."""
        issue = self.issues[number]
        issue["pull_request"] = {"url": f"{self.api_url}/repos/{self.repo}/pulls/{number}",
                                 "html_url": f"https://github.example/{self.repo}/pull/{number}",
                                 "diff_url": None, "patch_url": None, "merged_at": self.tick() if merged else None}
        issue["html_url"] = issue["pull_request"]["html_url"]
        self.pull_extra.setdefault(number, {"files": [], "reviews": []})
        return self.update_issue(number)

    def remove_issue(self, number: int, *, status: int = 410, moved_to: str | None = None) -> None:
        """Delete (410) or transfer (301 to `moved_to`, e.g. `other/repo#5`) an issue: it leaves every list."""
        self.issues.pop(number)
        self.gone[number] = _Gone(status if moved_to is None else 301, moved_to)

    def add_comment(self, issue: int, body: str, *, user: str = "octo") -> dict[str, Any]:
        """Add a comment to an issue/PR; bumps the issue's `updated_at` and comment count, as on GitHub."""
        self._next_id += 1
        now = self.tick()
        comment = {"id": self._next_id, "node_id": f"IC_{self._next_id}", "body": body, "user": self._user(user),
                   "created_at": now, "updated_at": now, "author_association": "MEMBER",
                   "html_url": f"https://github.example/{self.repo}/issues/{issue}#issuecomment-{self._next_id}",
                   "issue_url": f"{self.api_url}/repos/{self.repo}/issues/{issue}",
                   "url": f"{self.api_url}/repos/{self.repo}/issues/comments/{self._next_id}"}
        self.comments.append(comment)
        self.issues[issue]["comments"] += 1
        self.issues[issue]["updated_at"] = now
        return comment

    def add_release(self, tag: str, *, name: str | None = None, body: str = "", prerelease: bool = False,
                    draft: bool = False) -> dict[str, Any]:
        """Add a release (and its tag)."""
        now = self.tick()
        release = {"id": 300 + len(self.releases), "tag_name": tag, "name": name or tag, "body": body, "draft": draft,
                   "prerelease": prerelease, "created_at": now, "published_at": None if draft else now,
                   "author": self._user("octo"), "assets": [],
                   "html_url": f"https://github.example/{self.repo}/releases/tag/{tag}",
                   "url": f"{self.api_url}/repos/{self.repo}/releases/{300 + len(self.releases)}"}
        self.releases.insert(0, release)
        self.add_tag(tag)
        return release

    def add_tag(self, name: str, sha: str | None = None) -> dict[str, Any]:
        """Add a tag."""
        sha = sha or hashlib.sha1(name.encode()).hexdigest()  # noqa: S324 - a fake commit id
        tag = {"name": name, "commit": {"sha": sha, "url": f"{self.api_url}/repos/{self.repo}/commits/{sha}"},
               "zipball_url": "", "tarball_url": "", "node_id": f"T_{name}"}
        self.tags.insert(0, tag)
        return tag

    def add_contributor(self, login: str, contributions: int = 1) -> dict[str, Any]:
        """Add a contributor (kept sorted by contributions, as GitHub lists them)."""
        c = {**self._user(login), "contributions": contributions}
        self.contributors.append(c)
        self.contributors.sort(key=lambda x: -x["contributions"])
        return c

    # --- failures ---------------------------------------------------------------------------------------------------

    def fail_next(self, path: str, status: int, headers: dict[str, str] | None = None, body: Any = None, *,
                  times: int = 1, query: dict[str, str] | None = None, hold: threading.Event | None = None) -> None:
        """Answer the next `times` GETs of `path` (matching `query` items, e.g. `{"page": "3"}`) with a failure.

        Args:
            path: Path without `/api/v3`, e.g. `/repos/o/r/issues`.
            status: Status to answer, e.g. 502, 401, 403.
            headers: Extra headers, e.g. `{"Retry-After": "0"}`.
            body: JSON body; default `{"message": ...}` fitting the status (403 means a secondary rate limit).
            times: How many requests fail.
            query: Only requests whose query has these items fail.
            hold: Block those requests until this event is set (to kill a client mid-request).
        """
        default = {401: "Bad credentials", 403: "You have exceeded a secondary rate limit. Please wait a few "
                   "minutes before you try again.", 404: "Not Found", 502: "Server Error"}.get(status, "Error")
        self._failures.append(_Failure(path, status, headers or {}, body if body is not None else {
            "message": default, "documentation_url": "https://docs.github.com/rest"}, times, query or {}, hold))

    # --- request log ------------------------------------------------------------------------------------------------

    def count(self, path: str | None = None, **query: str) -> int:
        """Requests received, optionally only those for one path whose query has the given items."""
        return sum(1 for r in self.requests if (path is None or r.path == path)
                   and all(r.query.get(k) == v for k, v in query.items()))

    def clear_requests(self) -> None:
        """Forget the request log."""
        with self._lock:
            self.requests.clear()

    # --- serving ----------------------------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        path = split.path.removeprefix("/api/v3")
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        headers = {k.lower(): v for k, v in handler.headers.items()}
        length = int(headers.get("content-length") or 0)
        if length:
            handler.rfile.read(length)
        request = Request(handler.command, path, query, headers)
        with self._lock:
            self.requests.append(request)
            failure = next((f for f in self._failures if f.path == path and f.times > 0
                            and all(query.get(k) == v for k, v in f.query.items())), None)
            if failure:
                failure.times -= 1
        if failure and failure.hold:
            failure.hold.wait(30)
        status, extra, payload = ((failure.status, failure.headers, failure.body) if failure
                                  else self._answer(handler.command, path, query, headers))
        request.status = status
        self._send(handler, status, {**self._rate_headers(headers, status), **extra}, payload)

    def _authorised(self, headers: dict[str, str]) -> bool | None:
        """True with a good token, False with a bad one, None without any."""
        auth = headers.get("authorization")
        if not auth:
            return None
        value = auth.split(" ", 1)[-1]
        return self.token is None or value == self.token or value.startswith("inst_")

    def _rate_headers(self, headers: dict[str, str], status: int) -> dict[str, str]:
        key = "token" if headers.get("authorization") else "anon"
        limit = self.limit if key == "token" else self.anonymous_limit
        if status != 304 or key == "anon":  # authorised 304s are free on GitHub
            self._used[key] = self._used.get(key, 0) + 1
        remaining = max(limit - self._used.get(key, 0), 0)
        return {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(remaining),
                "x-ratelimit-used": str(self._used.get(key, 0)), "x-ratelimit-resource": "core",
                "x-ratelimit-reset": str(int(time.time()) + 3600)}

    def _answer(self, method: str, path: str, query: dict[str, str],
                headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        auth = self._authorised(headers)
        if auth is False:
            return 401, {}, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
        key = "token" if auth else "anon"
        if self._used.get(key, 0) >= (self.limit if auth else self.anonymous_limit):
            return 403, {}, {"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                             "Authenticated requests get a higher rate limit.)"}
        if path == "/rate_limit":
            limit = self.limit if auth else self.anonymous_limit
            core = {"limit": limit, "remaining": max(limit - self._used.get(key, 0), 0), "used": self._used.get(key, 0),
                    "reset": int(time.time()) + 3600}
            return 200, {}, {"resources": {"core": core}, "rate": core}
        if method == "POST" and path == f"/app/installations/{self.installation_id}/access_tokens":
            return 201, {}, {"token": f"inst_{self.installation_id}", "expires_at": _iso(
                datetime.now(timezone.utc) + timedelta(hours=1)), "permissions": {"issues": "read"}}
        base = f"/repos/{self.repo}"
        if not path.startswith(base) or (self.private and not auth):
            return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        rest = path[len(base):]
        if rest == "/installation":
            return 200, {}, {"id": self.installation_id, "app_id": 1, "account": self._user(self.repo.split("/")[0])}
        if rest == "":
            return self._conditional(headers, self._repo_json())
        if rest == "/issues" and not self.has_issues:
            return 410, {}, {"message": "Issues are disabled for this repo", "documentation_url": ""}
        if rest == "/pulls":
            return self._paged(path, query, headers, [self._pull_json(i) for i in self._filter_issues(query)
                                                      if "pull_request" in i])
        if rest == "/issues":
            items = self._filter_issues(query)
            return self._paged(path, query, headers, items)
        if rest == "/issues/comments":
            comments = sorted(self.comments, key=lambda c: (c[query.get("sort", "created") + "_at"]
                              if query.get("sort") in ("created", "updated") else c["created_at"], c["id"]))
            if query.get("since"):
                comments = [c for c in comments if c["updated_at"] >= query["since"]]
            if query.get("direction") == "desc":
                comments.reverse()
            return self._paged(path, query, headers, comments)
        parts = rest.strip("/").split("/")
        if parts[0] in ("issues", "pulls") and len(parts) >= 2 and parts[1].isdigit():
            return self._one(parts, query, headers, path)
        lists: dict[str, list[Any]] = {
            "/milestones": [m for m in self.milestones.values()
                            if query.get("state", "open") in ("all", m["state"])],
            "/labels": list(self.labels.values()), "/releases": self.releases, "/tags": self.tags,
            "/contributors": self.contributors}
        if rest in lists:
            return self._paged(path, query, headers, lists[rest])
        return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}

    def _one(self, parts: list[str], query: dict[str, str], headers: dict[str, str],
             path: str) -> tuple[int, dict[str, str], Any]:
        number = int(parts[1])
        if number in self.gone:
            gone = self.gone[number]
            if gone.status == 301 and gone.location:
                other, n = gone.location.split("#")
                return 301, {"location": f"{self.api_url}/repos/{other}/issues/{n}"}, {"message": "Moved Permanently"}
            return gone.status, {}, {"message": "This issue was deleted"}
        issue = self.issues.get(number)
        if issue is None or (parts[0] == "pulls" and number not in self.pull_extra):
            return 404, {}, {"message": "Not Found"}
        if len(parts) == 2:
            return self._conditional(headers, issue)
        if parts[2] == "comments":
            return self._paged(path, query, headers, [c for c in self.comments if c["issue_url"].endswith(f"/{number}")])
        if parts[2] in ("files", "reviews"):
            return self._paged(path, query, headers, self.pull_extra[number][parts[2]])
        return 404, {}, {"message": "Not Found"}

    def _pull_json(self, issue: dict[str, Any]) -> dict[str, Any]:
        number = issue["number"]
        merged_at = issue["pull_request"]["merged_at"]
        pull = {k: issue[k] for k in ("id", "number", "title", "body", "state", "user", "labels", "assignees",
                                       "milestone", "created_at", "updated_at", "closed_at", "html_url")}
        return {**pull, "url": f"{self.api_url}/repos/{self.repo}/pulls/{number}", "merged_at": merged_at,
                "merge_commit_sha": "f" * 40 if merged_at else None, "draft": issue.get("draft", False),
                "head": {"ref": f"feature-{number}", "sha": "a" * 40, "label": f"{self.repo.split('/')[0]}:f"},
                "base": {"ref": "main", "sha": "b" * 40, "label": f"{self.repo.split('/')[0]}:main"}}

    def _repo_json(self) -> dict[str, Any]:
        owner, name = self.repo.split("/")
        return {"id": 1, "node_id": "R_1", "name": name, "full_name": self.repo, "owner": self._user(owner),
                "private": self.private, "html_url": f"https://github.example/{self.repo}",
                "description": "A demo repository", "fork": False, "url": f"{self.api_url}/repos/{self.repo}",
                "default_branch": "main", "topics": ["docs"], "language": "Python", "has_issues": self.has_issues,
                "visibility": "private" if self.private else "public", "stargazers_count": 3,
                "created_at": _iso(EPOCH), "updated_at": _iso(EPOCH), "pushed_at": _iso(EPOCH)}

    def _filter_issues(self, query: dict[str, str]) -> list[dict[str, Any]]:
        state = query.get("state", "open")
        items = [i for i in self.issues.values() if state in ("all", i["state"])]
        if query.get("since"):
            items = [i for i in items if i["updated_at"] >= query["since"]]
        sort = {"updated": "updated_at", "comments": "comments"}.get(query.get("sort", ""), "created_at")
        items.sort(key=lambda i: (i[sort], i["number"]), reverse=query.get("direction", "desc") == "desc")
        return items

    def _conditional(self, headers: dict[str, str], payload: Any) -> tuple[int, dict[str, str], Any]:
        etag = 'W/"' + hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32] + '"'
        if headers.get("if-none-match") == etag:
            return 304, {"etag": etag}, b""
        return 200, {"etag": etag}, payload

    def _paged(self, path: str, query: dict[str, str], headers: dict[str, str],
               items: list[Any]) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(query.get("per_page", "30")), 100)
        page = int(query.get("page", "1"))
        last = max((len(items) + per_page - 1) // per_page, 1)
        status, extra, payload = self._conditional(headers, items[(page - 1) * per_page: page * per_page])

        def link(n: int) -> str:
            return f"{self.api_url}{path}?{urlencode({**query, 'page': str(n)})}"

        rels = []
        if page < last:
            rels += [f'<{link(page + 1)}>; rel="next"', f'<{link(last)}>; rel="last"']
        if page > 1:
            rels += [f'<{link(1)}>; rel="first"', f'<{link(page - 1)}>; rel="prev"']
        if rels:
            extra["link"] = ", ".join(rels)
        return status, extra, payload

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("content-type", "application/json; charset=utf-8")
            for k, v in headers.items():
                handler.send_header(k, v)
            handler.send_header("content-length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (killed mid-request)
