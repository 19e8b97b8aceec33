"""A stranger's pull request cannot harm readers, the build machine or the site.

tests/hostile/ holds posts and data files written as an attacker would write them (README.md
there says how). All of them go into one copy of the project, which is checked once with
check_posts.py and built once without --strict. Each case must be reported exactly, at its
lines, by the check and by the build; the lenient build must still write nothing hostile, and
only inside site/; Chromium, loading every page it wrote, must see nothing run, navigate or leave
the site.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import lxml.etree
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from socialcouncils.site.browser import site_page

from conftest import Build, edit_config, make_project, run_mkdocs_build

CORPUS = Path(__file__).resolve().parent / "hostile"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text())
# Where each kind of corpus file goes in the project.
INSTALLED = {"posts": "docs/blog/posts", "data": "docs/blog"}
PROBLEM_RE = re.compile(
    r"^(?:WARNING\s+-\s+)?(?P<path>[^\s:]+):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d{3}) "
)
SITE_HOST = "socialcouncils.github.io"
KEPT_APART = {("project", "site"), ("project", ".cache")}
# What a payload does if it ever runs: these are what the browser test watches for.
WATCHED = "window.__hub_pwned"
# Attributes whose address a browser follows or fetches.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "ping")
# What a browser fetches by itself, element by element.
FETCHED = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src", "srcdoc"),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "link": ("href",),
}
# Links a browser follows by itself (others, such as a feed's, it only names).
LOADED_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "preconnect",
}


def installed_path(case: str) -> str:
    folder, name = case.split("/", 1)
    return f"{INSTALLED[folder]}/{name}"


def snapshot(root: Path) -> set[str]:
    """Every file under ``root`` (the folder that holds the project), outside the project's
    site and caches."""
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if not path.is_dir() and path.relative_to(root).parts[:2] not in KEPT_APART
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(root / "project")
    for case in CASES:
        shutil.copy(CORPUS / case, project / installed_path(case))
    # Every post in every feed, so that each hostile post reaches them.
    edit_config(project, lambda config: config["extra"]["hub"].update(feed_items=1000))
    # A picture that is a link to a file outside the repository: made here, as git would
    # otherwise keep the link in the corpus itself.
    secret = root / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n secret")
    folder = project / "docs/blog/posts/linked-picture"
    folder.mkdir()
    (folder / "photo.png").symlink_to(secret)
    return project


@pytest.fixture(scope="module")
def before_build(project: Path) -> set[str]:
    return snapshot(project.parent)


@pytest.fixture(scope="module")
def reported(project: Path) -> dict[str, set[tuple[str, int]]]:
    result = subprocess.run(
        [sys.executable, "scripts/check_posts.py", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return problems_by_file(result.stdout)


@pytest.fixture(scope="module")
def lenient(project: Path, before_build: set[str]) -> Build:
    return run_mkdocs_build(project, strict=False)


def problems_by_file(output: str) -> dict[str, set[tuple[str, int]]]:
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for line in output.splitlines():
        match = PROBLEM_RE.match(line.strip())
        if match:
            found[match["path"]].add((match["code"], int(match["line"])))
    return found


def expected(case: str) -> set[tuple[str, int]]:
    return {(code, int(line)) for code, line in CASES[case]["problems"]}


def test_every_corpus_file_is_a_case_and_the_families_are_many() -> None:
    files = {
        f"{folder}/{path.name}"
        for folder in INSTALLED
        for path in (CORPUS / folder).iterdir()
        if path.is_file()
    }
    assert files == set(CASES)
    families = {case["family"] for case in CASES.values()}
    assert len(CASES) >= 40 and len(families) >= 8, families
    assert all(case["why"] and case["problems"] for case in CASES.values())


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_check_reports_each_problem_at_its_line(
    case: str, reported: dict[str, set[tuple[str, int]]]
) -> None:
    assert reported.get(installed_path(case), set()) == expected(case), CASES[case]["why"]


def test_a_picture_that_is_a_link_is_reported(reported: dict[str, set[tuple[str, int]]]) -> None:
    assert reported["docs/blog/posts/linked-picture/photo.png"] == {("FILE001", 1)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_build_reports_each_problem_where_the_check_does(case: str, lenient: Build) -> None:
    """Each is a warning of the build, so a strict build fails on every case."""
    logged = problems_by_file(lenient.output).get(installed_path(case), set())
    assert expected(case) <= logged, CASES[case]["why"]


def test_the_strict_build_fails(project: Path, lenient: Build, tmp_path: Path) -> None:
    assert lenient.returncode == 0, lenient.output
    assert "Traceback" not in lenient.output
    strict = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert strict.returncode == 1
    assert "Aborted with" in strict.stdout + strict.stderr


def test_nothing_is_written_outside_the_site(
    project: Path, before_build: set[str], lenient: Build
) -> None:
    assert snapshot(project.parent) == before_build
    assert not (lenient.site / "blog/posts/linked-picture/photo.png").exists()
    assert not list(lenient.site.rglob("photo.png"))


def _dangers(html: str, *, fragment: bool = False) -> list[str]:
    """What in ``html``, read as a browser reads it, would run code, leave the site, or load
    from another host: an independent reading, not the site check's."""
    tree = LexborHTMLParser(html, is_fragment=fragment, scripting=True)
    root = tree.root
    found = []
    for element in root.traverse() if root is not None else ():
        if not element.is_element_node:
            continue
        tag = element.tag or ""
        refresh = (element.attributes.get("http-equiv") or "").lower() == "refresh"
        if tag == "base" or (tag == "meta" and refresh):
            found.append(element.html or tag)
        for name, value in element.attributes.items():
            text = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            elif name in URL_ATTRIBUTES and text.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                found.append(f"{tag} {name}={value}")
            elif name == "style" and "url(" in text:
                found.append(f"{tag} style={value}")
        rels = set((element.attributes.get("rel") or "").lower().split())
        for name in FETCHED.get(tag, ()) if tag != "link" or rels & LOADED_RELS else ():
            value = element.attributes.get(name)
            if name == "srcdoc" and value is not None:
                found.append(f"{tag} srcdoc")
            for url in re.split(r",\s*", value or "") if name == "srcset" else [value or ""]:
                url = url.split()[0] if url.split() else ""
                remote = re.match(r"^\s*(//|\\\\|/\\|[a-z][a-z0-9+.-]*:)", url, re.I)
                if remote and SITE_HOST not in url and not url.startswith("data:image/"):
                    found.append(f"{tag} fetches {url}")
        if tag == "script" and element.parent is not None and ".md-content" in _ancestry(element):
            found.append("script in the page's content")
    return found


def _ancestry(element: Any) -> str:
    classes = []
    parent = element.parent
    while parent is not None:
        classes += [f".{c}" for c in (parent.attributes.get("class") or "").split()]
        parent = parent.parent
    return " ".join(classes)


def test_the_lenient_build_writes_nothing_hostile(lenient: Build) -> None:
    """Pages (with their heads and every list's excerpts), feeds and the search index."""
    found: dict[str, list[str]] = {}
    for path in lenient.site.rglob("*"):
        rel = str(path.relative_to(lenient.site))
        if path.suffix == ".html":
            found[rel] = _dangers(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml" and "feed" in path.name:
            # A feed's descriptions and contents are HTML; its titles are text.
            tree = lxml.etree.parse(str(path))
            html = tree.xpath("//description/text() | //*[local-name()='encoded']/text()")
            found[rel] = [d for h in html for d in _dangers(str(h), fragment=True)]
        elif path.suffix == ".json" and not rel.startswith("assets"):
            # The search index's titles and texts are shown as HTML; so is a JSON Feed item's
            # content_html (its title and summary are text).
            data = json.loads(path.read_text(encoding="utf-8"))
            texts = [d.get(k, "") for d in data.get("docs", []) for k in ("title", "text")]
            texts += [item.get("content_html", "") for item in data.get("items", [])]
            found[rel] = [
                d for t in texts if isinstance(t, str) for d in _dangers(t, fragment=True)
            ]
    assert sum(1 for rel in found if rel.endswith(".html")) > 40
    assert {rel: d for rel, d in found.items() if d} == {}


def test_the_check_of_outputs_sees_what_it_is_shown() -> None:
    """The reading above can fail: it finds each kind of danger it looks for."""
    page = (
        '<p onclick="x()">a</p><a href=" java\tscript:x()">b</a><base href="//e/">'
        '<img src="//tracker.example/p.gif"><p style="background:url(//e/x)">c</p>'
        '<meta http-equiv="Refresh" content="0;url=//e/"><img src="a.png" srcset="//e/b.png 2x">'
        '<link rel="stylesheet" href="https://e.example/s.css"><svg><use href="//e/s#a"/></svg>'
        '<iframe srcdoc="x"></iframe><audio src="https://e.example/a.mp3"></audio>'
    )
    assert len(_dangers(page, fragment=True)) == 11
    # What only names another place is no danger.
    harmless = (
        '<link rel="alternate" href="https://e.example/feed.xml"><a href="https://e.example/">x</a>'
    )
    assert _dangers(harmless, fragment=True) == []


def test_the_sites_own_pages_stay_theirs(lenient: Build) -> None:
    """No post takes the place of a page of the site (a slug that climbs out of the blog)."""
    about = LexborHTMLParser((lenient.site / "about/index.html").read_text(encoding="utf-8"))
    heading = about.css_first("h1")
    assert (
        heading is not None
        and heading.text(deep=True).strip().rstrip("¶") == "About Social Councils"
    )


# Every page is opened in Chromium, in this many parts that the suite's workers share.
BROWSER_PARTS = 4
# How many of a part's pages load at once.
TABS_AT_ONCE = 8


@pytest.mark.browser
@pytest.mark.parametrize("part", range(BROWSER_PARTS))
def test_no_page_runs_navigates_or_leaves_the_site(lenient: Build, browser: Any, part: int) -> None:
    from socialcouncils.site.browser import serve_directory

    pages = sorted(
        str(p.relative_to(lenient.site)).removesuffix("index.html")
        for p in lenient.site.rglob("*.html")
        if not str(p.relative_to(lenient.site)).startswith("assets")
    )
    assert len(pages) > 40
    problems: list[str] = []
    with serve_directory(lenient.site) as url:
        mine = pages[part::BROWSER_PARTS]
        # A few tabs load side by side, each in its own context, so their waits overlap.
        for start in range(0, len(mine), TABS_AT_ONCE):
            with ExitStack() as tabs:
                opened = [
                    (path, *tabs.enter_context(site_page(browser, url, path, wait_until="commit")))
                    for path in mine[start : start + TABS_AT_ONCE]
                ]
                for path, page, requests in opened:
                    problems += _watch(page, url, path, requests)
        if part == 0:
            # Search results are shown as HTML: search for words the payloads hold.
            with site_page(browser, url, "") as (page, requests):
                for word in ("onerror", "alert", "script", "Hostile"):
                    page.keyboard.press("/")
                    page.locator("input.md-search__input").fill(word)
                    page.wait_for_timeout(300)
                problems += _watch(page, url, "search", requests)
    assert problems == []


@pytest.mark.browser
def test_the_browser_watch_sees_a_payload_that_runs(browser: Any, tmp_path: Path) -> None:
    """The watch above can fail: a page whose payload runs, asks elsewhere and moves is caught."""
    from socialcouncils.site.browser import serve_directory

    (tmp_path / "index.html").write_text(
        "<!doctype html><title>x</title><img src=x onerror=\"alert('ran')\">"
        "<img src='https://tracker.example/p.gif'><script>window.__hub_pwned = 1</script>"
    )
    # Loaded as the pages above are: the watch starts once the navigation commits.
    with (
        serve_directory(tmp_path) as url,
        site_page(browser, url, "", wait_until="commit") as (page, requests),
    ):
        problems = _watch(page, url, "page", requests)
    assert any("dialog said 'ran'" in p for p in problems)
    assert any("a payload ran" in p for p in problems)
    assert any("tracker.example" in p for p in problems)


def _watch(page: Any, url: str, path: str, requests: Any) -> list[str]:
    """What a loaded page did that a post must never make it do."""
    page.wait_for_load_state("networkidle")
    problems = [f"{path}: a dialog said {m!r}" for m in requests.dialogs]
    if page.evaluate(f"typeof {WATCHED} !== 'undefined' || window.__hub_printed === true"):
        problems.append(f"{path}: a payload ran")
    if not page.url.startswith(url):
        problems.append(f"{path}: the page went to {page.url}")
    problems += [f"{path}: asked {u}" for u in requests.third_party(url)]
    return problems
