"""Browser-test support: a built site served on 127.0.0.1 and Debian's Chromium driven by Playwright.

The browser is never downloaded: Playwright drives /usr/bin/chromium, started with the flags that
keep it from calling home. Every request a page makes is recorded, so tests can prove that a page
talks to no host but the site itself.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcouncils.source.project import find_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]
SETTLED = "document.getAnimations().every(a => a.playState !== 'running')"
SEARCH_AT_REST = "window.innerWidth >= 960 || document.body.hasAttribute('data-md-scrolllock')"
# axe-core, installed by ``make browser-deps`` (npm) into the project's node_modules.
AXE_SCRIPT = Path("node_modules") / "axe-core" / "axe.min.js"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that stops reading a file it no longer needs is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class RequestLog:
    """What a page asked for, the dialogs it opened (each dismissed), the requests that failed or
    were answered with an error, and the errors its console showed."""

    urls: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def third_party(self, base_url: str) -> list[str]:
        return [
            u
            for u in self.urls
            if not u.startswith(base_url) and not u.startswith(("data:", "blob:"))
        ]


@contextmanager
def chromium_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def record_requests(page: Any) -> RequestLog:
    log = RequestLog()
    page.on("request", lambda request: log.urls.append(request.url))
    return log


@contextmanager
def site_page(
    browser: Any,
    base_url: str,
    path: str = "",
    *,
    scheme: str = "light",
    width: int = 1280,
    height: int = 800,
    wait_until: str = "load",
) -> Iterator[tuple[Any, RequestLog]]:
    """A fresh tab on ``base_url + path``, in a colour scheme and window size of its own, once
    its navigation reaches ``wait_until`` ("commit" lets several tabs load side by side).

    Every request is recorded, and any request for another host is refused, so a test never
    reaches the internet and can still see that the page tried.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme, service_workers="block"
    )
    requests = RequestLog()
    context.on("request", lambda request: requests.urls.append(request.url))
    context.on("requestfailed", lambda request: requests.failures.append(f"failed {request.url}"))

    def note_response(response: Any) -> None:
        if response.status >= 400:
            requests.failures.append(f"{response.status} {response.url}")

    def note_console(message: Any) -> None:
        if message.type == "error":
            requests.console_errors.append(message.text)

    context.on("response", note_response)
    context.on("console", note_console)

    def refuse_others(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", refuse_others)
    # A page that tries to print is noted rather than shown a print dialog.
    context.add_init_script("window.print = () => { window.__hub_printed = true; };")
    page = context.new_page()

    def note_dialog(dialog: Any) -> None:
        requests.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note_dialog)
    try:
        page.goto(base_url + path, wait_until=wait_until)
        yield page, requests
    finally:
        context.close()


def axe_violations(page: Any, tags: tuple[str, ...]) -> list[dict[str, Any]]:
    """axe-core's violations of the rules with any of ``tags`` on the page as it is now."""
    page.add_script_tag(path=str(find_config().parent / AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"  {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def open_search(page: Any, word: str) -> None:
    """Open the search box from the keyboard, type ``word`` and wait for the results."""
    page.keyboard.press("/")
    page.locator("input.md-search__input").wait_for(state="visible")
    page.keyboard.type(word)
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    wait_until_settled(page)
    # On screens narrower than 960 px the theme locks the page under the search 400 ms after it
    # opens (data-md-scrolllock); until then its growing backdrop widens the page.
    page.wait_for_function(SEARCH_AT_REST, timeout=5000)


def wait_until_settled(page: Any) -> None:
    """Wait for running fades, slides and transitions to finish: what a reader sees at rest."""
    page.wait_for_function(SETTLED, timeout=5000)
