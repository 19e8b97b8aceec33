"""The online check of pictures on other websites, against a server of our own on 127.0.0.1.

Never the internet: every address here is served by the test server below, which answers with a
picture, 404, 500, slowly, in a redirect loop, or with a web page instead of a picture, and counts
every request so that retries and the cache can be seen.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from socialcouncils.external_images import (
    CACHE_FILE,
    ExternalUse,
    OnlineSettings,
    check_url,
    check_urls,
    check_uses,
)

from conftest import REPO, make_project, run_script

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
SLOW_SECONDS = 1.5


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: Counter[tuple[str, str]]


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, content_type: str = "", location: str = "") -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if location:
            self.send_header("Location", location)
        body = PNG if content_type == "image/png" and self.command == "GET" else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        self.server.requests[(self.command, self.path)] += 1
        path = self.path.split("?")[0]
        if path == "/ok.png":
            self.answer(200, "image/png")
        elif path == "/missing.png":
            self.answer(404, "text/html")
        elif path == "/error.png":
            self.answer(500, "text/html")
        elif path == "/slow.png":
            time.sleep(SLOW_SECONDS)
            self.answer(200, "image/png")
        elif path == "/loop-a.png":
            self.answer(302, location="/loop-b.png")
        elif path == "/loop-b.png":
            self.answer(302, location="/loop-a.png")
        elif path == "/moved.png":
            self.answer(301, location="/ok.png")
        elif path == "/page.png":
            self.answer(200, "text/html; charset=utf-8")
        elif path == "/no-head.png":
            self.answer(405 if self.command == "HEAD" else 200, "image/png")
        else:
            self.answer(404)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.requests = Counter()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server: Server) -> str:
    server.requests.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def settings(tmp_path: Path) -> OnlineSettings:
    return OnlineSettings(
        cache_dir=tmp_path / "cache", timeout=0.5, retries=2, backoff=0.01, workers=4
    )


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/ok.png", None, "a picture"),
        ("/moved.png", None, "a picture"),
        ("/no-head.png", None, "a picture"),
        ("/missing.png", "IMG050", "answered 404"),
        ("/error.png", "IMG051", "answered 500"),
        ("/slow.png", "IMG051", "no answer within 0.5 seconds"),
        ("/loop-a.png", "IMG051", "redirects in a loop"),
        ("/page.png", "IMG052", "text/html, not a picture"),
    ],
)
def test_each_answer_is_judged(
    base: str, settings: OnlineSettings, path: str, code: str | None, words: str
) -> None:
    result = check_url(base + path, replace(settings, retries=0))
    assert result.code == code
    assert words in result.message


def test_server_errors_are_retried_a_bounded_number_of_times(
    base: str, server: Server, settings: OnlineSettings
) -> None:
    result = check_url(base + "/error.png", settings)
    assert result.code == "IMG051" and result.transient
    # HEAD, then GET after the error, on each of 1 + 2 retries.
    assert server.requests[("HEAD", "/error.png")] == 3
    assert server.requests[("GET", "/error.png")] == 3


def test_a_missing_picture_is_not_retried(
    base: str, server: Server, settings: OnlineSettings
) -> None:
    check_url(base + "/missing.png", settings)
    assert server.requests[("HEAD", "/missing.png")] == 1
    assert server.requests[("GET", "/missing.png")] == 1


def test_redirects_are_limited(base: str, settings: OnlineSettings) -> None:
    result = check_url(base + "/moved.png", replace(settings, max_redirects=0))
    assert result.code == "IMG051"
    assert "more than 0 times" in result.message


def test_addresses_are_checked_at_the_same_time(base: str, settings: OnlineSettings) -> None:
    urls = [f"{base}/slow.png?{n}" for n in range(4)]
    started = time.monotonic()
    results = check_urls(urls, replace(settings, timeout=5, workers=4))
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results.values())
    assert elapsed < SLOW_SECONDS * 2.5, f"took {elapsed:.1f}s: not concurrent"


def test_fresh_answers_come_from_the_cache_and_old_ones_are_asked_again(
    base: str, server: Server, settings: OnlineSettings
) -> None:
    urls = [base + "/ok.png", base + "/missing.png", base + "/error.png"]
    first = check_urls(urls, replace(settings, retries=0))
    assert [first[u].code for u in urls] == [None, "IMG050", "IMG051"]
    cache = json.loads((settings.cache_dir / CACHE_FILE).read_text())
    assert set(cache) == {base + "/ok.png", base + "/missing.png"}  # errors that pass are not kept
    asked = sum(server.requests.values())

    second = check_urls(urls, replace(settings, retries=0))
    assert [second[u].code for u in urls] == [None, "IMG050", "IMG051"]
    assert sum(server.requests.values()) - asked == 2  # only /error.png, HEAD and GET
    assert server.requests[("HEAD", "/ok.png")] == 1

    cache[base + "/ok.png"]["checked"] -= 8 * 86400  # older than the 7-day expiry
    (settings.cache_dir / CACHE_FILE).write_text(json.dumps(cache))
    check_urls([base + "/ok.png"], settings)
    assert server.requests[("HEAD", "/ok.png")] == 2


def test_a_damaged_cache_file_is_ignored(base: str, settings: OnlineSettings) -> None:
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / CACHE_FILE).write_text("{not json")
    assert check_urls([base + "/ok.png"], settings)[base + "/ok.png"].ok


def test_problems_name_each_place_a_broken_picture_is_used(
    base: str, settings: OnlineSettings
) -> None:
    uses = [
        ExternalUse(base + "/missing.png", "docs/blog/posts/a.md", 20, 5),
        ExternalUse(base + "/missing.png", "site/blog/index.html", 300, 1, "docs/blog/posts/a.md"),
        ExternalUse(base + "/ok.png", "docs/blog/posts/a.md", 22, 1),
    ]
    problems = check_uses(uses, settings)
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [
        ("docs/blog/posts/a.md", 20, 5, "IMG050"),
        ("site/blog/index.html", 300, 1, "IMG050"),
    ]
    assert problems[1].message.endswith("(from docs/blog/posts/a.md)")
    assert all(p.hint for p in problems)


def test_check_posts_online_reports_the_post_line(tmp_path: Path, base: str) -> None:
    post = (REPO / "tests/bad_images/missing-alt.md").read_text()
    post = post.replace("https://example.org/pier.png", f"{base}/missing.png") + (
        f'\n<img src="{base}/page.png" alt="A pier at sunset">\n'
    )
    project = make_project(tmp_path / "project", posts={"online.md": post})
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text()
        .replace("cache_dir: .cache/images", f"cache_dir: {tmp_path / 'cache'}")
        .replace("timeout: 10 ", "timeout: 2 ")
    )
    offline = run_script("check_posts.py", "-f", "mkdocs.yml", cwd=project)
    assert "IMG050" not in offline.stdout and "IMG052" not in offline.stdout
    online = run_script("check_posts.py", "-f", "mkdocs.yml", "--online", cwd=project)
    assert online.returncode == 1
    lines = post.split("\n")
    missing_line = next(n for n, line in enumerate(lines, 1) if "/missing.png" in line)
    page_line = next(n for n, line in enumerate(lines, 1) if "/page.png" in line)
    assert f"docs/blog/posts/online.md:{missing_line}:6: IMG050 " in online.stdout
    assert f"docs/blog/posts/online.md:{page_line}:6: IMG052 " in online.stdout
    assert (tmp_path / "cache" / CACHE_FILE).is_file()
