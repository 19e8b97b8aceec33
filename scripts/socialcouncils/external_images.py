"""Pictures on other websites: checked only when asked (``--online``), politely, with a cache.

Builds and tests never touch the internet. A weekly job runs ``check_posts.py --online`` or
``check_site.py --online`` to catch link rot: every distinct address is asked once (HEAD, then GET
when a server refuses HEAD), a few at a time, with a timeout, a bounded number of retries with
growing pauses for server errors and timeouts, and redirects followed by hand up to a limit (a loop
is an error). An answer counts only if it is 2xx with a ``Content-Type`` starting ``image/``.

Answers are kept in a JSON file in the cache folder with the time of each check; a fresh entry
is reused without asking the server again. Failures that may pass by themselves (a server error,
a timeout, no connection) are never kept, so the next run asks again.

Settings: ``extra: hub: external_images:`` in mkdocs.yml (see ``project.DEFAULT_HUB_SETTINGS``).

| code   | meaning |
| ------ | ------- |
| IMG050 | the address answers "not found" or another refusal (4xx) |
| IMG051 | the address could not be reached: server errors after retries, a timeout, no connection, or too many redirects |
| IMG052 | the address answers, but not with a picture (its Content-Type is not ``image/…``) |
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

if TYPE_CHECKING:
    from urllib.request import OpenerDirector

from .problems import Problem
from .project import Project

EXTERNAL_CODES: dict[str, str] = {
    "IMG050": "an external picture that is not there (4xx)",
    "IMG051": "an external picture that could not be reached",
    "IMG052": "an external address that does not serve a picture",
}
CACHE_FILE = "external-images.json"
USER_AGENT = "SocialCouncilsImageCheck/1.0 (+https://socialcouncils.github.io/)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class OnlineSettings:
    cache_dir: Path
    cache_days: float = 7.0
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    workers: int = 8
    max_redirects: int = 5

    @classmethod
    def from_project(cls, project: Project) -> OnlineSettings:
        raw: dict[str, Any] = project.hub["external_images"]
        return cls(
            cache_dir=project.root / str(raw["cache_dir"]),
            cache_days=float(raw["cache_days"]),
            timeout=float(raw["timeout"]),
            retries=int(raw["retries"]),
            backoff=float(raw["backoff"]),
            workers=int(raw["workers"]),
            max_redirects=int(raw["max_redirects"]),
        )


@dataclass(frozen=True)
class UrlResult:
    """What one address answered. ``code`` is None when it is a picture."""

    url: str
    code: str | None
    message: str
    checked: float
    transient: bool = False

    @property
    def ok(self) -> bool:
        return self.code is None


@dataclass(frozen=True)
class ExternalUse:
    """Where a picture on another website is used: a file and line, and where that came from."""

    url: str
    path: str
    line: int
    col: int = 1
    origin: str = ""


# The web client is loaded only when an address is asked, so that the checks that stay offline,
# which are most of them, start sooner.
@functools.cache
def _opener() -> OpenerDirector:
    """An opener that hands redirects back as answers, so they can be counted and loops caught."""
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(NoRedirects())


def _ask(url: str, method: str, timeout: float) -> tuple[int, str, str | None]:
    """(status, content type, Location) for one request; the body is never read."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _opener().open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), None
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.headers.get("Location")


def _ask_with_fallback(url: str, timeout: float) -> tuple[int, str, str | None]:
    """HEAD first; GET when the server refuses HEAD or answers it with an error."""
    status, content_type, location = _ask(url, "HEAD", timeout)
    if status >= 400:
        status, content_type, location = _ask(url, "GET", timeout)
    return status, content_type, location


def check_url(url: str, settings: OnlineSettings) -> UrlResult:
    """Follow one address to a final answer, retrying what may pass by itself."""
    attempt = 0
    while True:
        result = _check_once(url, settings)
        if not result.transient or attempt >= settings.retries:
            return result
        time.sleep(settings.backoff * (2**attempt))
        attempt += 1


def _check_once(url: str, settings: OnlineSettings) -> UrlResult:
    now = time.time()
    seen = [url]
    current = url
    try:
        while True:
            status, content_type, location = _ask_with_fallback(current, settings.timeout)
            if status in REDIRECTS and location:
                current = urljoin(current, location)
                if current in seen:
                    return UrlResult(url, "IMG051", "it redirects in a loop", now)
                seen.append(current)
                if len(seen) > settings.max_redirects + 1:
                    return UrlResult(
                        url, "IMG051", f"it redirects more than {settings.max_redirects} times", now
                    )
                continue
            break
    except TimeoutError:
        return UrlResult(
            url, "IMG051", f"no answer within {settings.timeout:g} seconds", now, transient=True
        )
    except OSError as exc:  # urllib's errors among them
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            return UrlResult(
                url, "IMG051", f"no answer within {settings.timeout:g} seconds", now, transient=True
            )
        return UrlResult(url, "IMG051", f"it could not be reached ({reason})", now, transient=True)
    if status >= 500 or status == 429:
        return UrlResult(url, "IMG051", f"the server answered {status}", now, transient=True)
    if status >= 400:
        return UrlResult(url, "IMG050", f"the server answered {status}: it is not there", now)
    media = content_type.split(";")[0].strip().lower()
    if not media.startswith("image/"):
        shown = media or "no content type"
        return UrlResult(url, "IMG052", f"it is {shown}, not a picture", now)
    return UrlResult(url, None, "a picture", now)


class ResultCache:
    """Answers kept on disk by address, each with the time it was checked."""

    def __init__(self, settings: OnlineSettings) -> None:
        self.path = settings.cache_dir / CACHE_FILE
        self.max_age = settings.cache_days * 86400
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = {k: v for k, v in loaded.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, url: str, now: float) -> UrlResult | None:
        entry = self.entries.get(url)
        if entry is None or now - float(entry.get("checked", 0)) > self.max_age:
            return None
        return UrlResult(url, entry.get("code"), str(entry.get("message", "")), entry["checked"])

    def store(self, results: Iterable[UrlResult]) -> None:
        for result in results:
            if not result.transient:
                entry = asdict(result)
                del entry["url"], entry["transient"]
                self.entries[result.url] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, indent=1, sort_keys=True)
        os.replace(temp, self.path)


def check_urls(urls: Iterable[str], settings: OnlineSettings) -> dict[str, UrlResult]:
    """Every distinct address checked once (fresh cache entries are not asked again)."""
    cache = ResultCache(settings)
    now = time.time()
    results: dict[str, UrlResult] = {}
    to_ask: list[str] = []
    for url in dict.fromkeys(u.strip() for u in urls):
        cached = cache.fresh(url, now)
        if cached is not None:
            results[url] = cached
        else:
            to_ask.append(url)
    if to_ask:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
            asked = list(pool.map(lambda u: check_url(u, settings), to_ask))
        results.update((r.url, r) for r in asked)
        cache.store(asked)
    return results


def _hint(result: UrlResult) -> str:
    if result.code == "IMG052":
        return (
            "use the address of the picture itself (right-click the picture, 'Copy image address')"
        )
    return "save a copy of the picture in the post's folder (with permission), or remove it"


def check_uses(uses: Iterable[ExternalUse], settings: OnlineSettings) -> list[Problem]:
    """A problem at every use of an external picture that is not there or not a picture."""
    uses = list(uses)
    results = check_urls((u.url for u in uses), settings)
    problems = []
    for use in uses:
        result = results[use.url.strip()]
        if result.ok or result.code is None:
            continue
        origin = f" (from {use.origin})" if use.origin else ""
        problems.append(
            Problem(
                use.path,
                use.line,
                use.col,
                result.code,
                f"the picture '{use.url[:100]}': {result.message}{origin}",
                _hint(result),
            )
        )
    return problems
