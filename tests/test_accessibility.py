"""WCAG 2.2 AA in a real browser, on every kind of page, as the accessibility statement describes.

The pages, colour schemes, screen widths and checks come from socialcouncils.pages.accessibility, the
same list the statement's "How we tested this website" section is built from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from socialcouncils.pages.accessibility import (
    AXE_RUNS,
    CHECKS,
    PAGE_KINDS,
    SCREEN_WIDTHS,
    WCAG_TAGS,
)
from socialcouncils.site.browser import (
    axe_violations,
    describe_violations,
    site_page,
    wait_until_settled,
)

from conftest import kind_page

pytestmark = pytest.mark.browser

KIND_IDS = [k.id for k in PAGE_KINDS]


# -- axe-core -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "width"), AXE_RUNS, ids=[f"{s}-{w}" for s, w in AXE_RUNS])
@pytest.mark.parametrize("kind", KIND_IDS)
def test_axe_finds_no_violations(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str, scheme: str, width: int
) -> None:
    with kind_page(browser, site_url, page_paths, kind, scheme=scheme, width=width) as (page, _):
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == {"light": "default", "dark": "slate"}[scheme]
        violations = axe_violations(page, WCAG_TAGS)
        assert not violations, describe_violations(violations)


def test_search_results_are_there_to_check(
    browser: Any, site_url: str, page_paths: dict[str, str]
) -> None:
    """The "search" page kind really shows results, for posts from the council searched for."""
    with kind_page(browser, site_url, page_paths, "search") as (page, _):
        titles = page.locator(".md-search-result__item h1").all_inner_texts()
        assert "Overly cautious social media policies do more harm than good" in titles
        assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")


# -- Keyboard -------------------------------------------------------------------------------------

# What the keyboard has reached: the element itself, or for the theme's hidden colour-scheme
# options, the visible button that shows their focus. Its box, whether it is inside the fixed
# header, whether anything covers its centre, and its outline.
FOCUS_STATE = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.matches('input.md-option') && el.nextElementSibling) el = el.nextElementSibling;
  const box = el.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const style = getComputedStyle(el);
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const onTop = document.elementFromPoint(x, y);
  return {
    what: el.outerHTML.slice(0, 120),
    top: box.top, bottom: box.bottom, width: box.width, height: box.height,
    inHeader: !!el.closest('.md-header'),
    headerBottom: header.bottom,
    covered: !!onTop && !(el.contains(onTop) || onTop.contains(el)),
    onTop: onTop ? onTop.outerHTML.slice(0, 80) : null,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
  };
}"""


def tab_through(page: Any, key: str, limit: int = 400) -> list[dict[str, Any]]:
    """Press ``key`` until focus leaves the page or comes round again; what each press reached."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press(key)
        wait_until_settled(page)
        state = page.evaluate(FOCUS_STATE)
        if state is None or (seen and state["what"] == seen[0]["what"]):
            return seen
        seen.append(state)
    raise AssertionError(f"{key} never left the page after {limit} presses")


@pytest.fixture(scope="module")
def post_focus_stops(browser: Any, site_url: str, page_paths: dict[str, str]) -> list[Any]:
    """Everything Tab reaches on a post, forwards from the top and backwards from the bottom."""
    with site_page(browser, site_url, page_paths["post"], height=700) as (page, _):
        forwards = tab_through(page, "Tab")
        page.keyboard.press("End")
        page.evaluate("document.activeElement.blur()")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        backwards = tab_through(page, "Shift+Tab")
    assert len(forwards) > 20 and len(backwards) > 20
    return forwards + backwards


def test_focus_is_always_visible(post_focus_stops: list[dict[str, Any]]) -> None:
    invisible = [
        s["what"]
        for s in post_focus_stops
        if s["outlineStyle"] == "none" or s["outlineWidth"] < 2 or s["width"] * s["height"] == 0
    ]
    assert not invisible, "no visible focus on:\n" + "\n".join(invisible)


def test_focus_is_never_under_the_sticky_header(post_focus_stops: list[dict[str, Any]]) -> None:
    hidden = [
        f"{s['what']} (top {s['top']:.0f}), under {s['onTop']}"
        for s in post_focus_stops
        if not s["inHeader"] and s["covered"]
    ]
    assert not hidden, "focus under the header or covered:\n" + "\n".join(hidden)


@pytest.mark.parametrize("kind", [k for k in KIND_IDS if k != "search"])
def test_skip_link_comes_first_and_goes_to_the_main_heading(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str
) -> None:
    with kind_page(browser, site_url, page_paths, kind) as (page, _):
        page.keyboard.press("Tab")
        skip = page.evaluate(
            """() => { const a = document.activeElement; const box = a.getBoundingClientRect();
                 return {cls: a.className, text: a.textContent.trim(), href: a.getAttribute('href'),
                         inView: box.top >= 0 && box.bottom <= innerHeight && box.width > 0}; }"""
        )
        assert "md-skip" in skip["cls"].split() and skip["text"] == "Skip to content", skip
        assert skip["inView"], "the skip link is not on screen when it has focus"
        page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")
        heading_id = page.evaluate("document.querySelector('.md-content h1').id")
        assert skip["href"] == f"#{heading_id}"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        after_heading = page.evaluate(
            """() => { const h1 = document.querySelector('.md-content h1');
                 const el = document.activeElement;
                 return h1.contains(el) ||
                        !!(h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }"""
        )
        assert after_heading, "after the skip link, Tab did not continue from the main heading"


# -- Targets, link text and reflow ----------------------------------------------------------------

# Links, buttons and other controls a pointer can hit: their size, and whether they sit in a line
# of text (WCAG 2.5.8 exempts those), judged by the text around them outside any other control.
TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
                   'label[for], [role=button], [tabindex]:not([tabindex="-1"])';
  const controls = 'a[href], button, label, input, select, textarea, summary';
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (!el.checkVisibility({visibilityProperty: true}) || style.pointerEvents === 'none' ||
        box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= width) continue;
    let inText = false;
    if (style.display === 'inline' || style.display === 'inline-block') {
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) {
        block = block.parentElement;
      }
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let around = '';
      while (walker.nextNode()) {
        if (!walker.currentNode.parentElement.closest(controls)) {
          around += walker.currentNode.textContent;
        }
      }
      inText = /\\w/.test(around);
    }
    found.push({what: el.outerHTML.slice(0, 100), width: box.width, height: box.height, inText});
  }
  return found;
}"""


@pytest.mark.parametrize("width", SCREEN_WIDTHS)
@pytest.mark.parametrize("kind", KIND_IDS)
def test_targets_are_at_least_24_pixels(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str, width: int
) -> None:
    with kind_page(browser, site_url, page_paths, kind, width=width) as (page, _):
        targets = page.evaluate(TARGETS)
    assert len(targets) > 5
    small = [
        f"{t['width']:.1f}×{t['height']:.1f} {t['what']}"
        for t in targets
        if not t["inText"] and (t["width"] < 24 or t["height"] < 24)
    ]
    assert not small, "targets smaller than 24×24 pixels:\n" + "\n".join(small)


# Every link a screen reader lists (hidden ones are not): its accessible name, where it goes (the
# search's highlight parameter aside), and whether it goes to a part of the same page.
LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => a.checkVisibility({visibilityProperty: true}) && !a.closest('[aria-hidden=true]'))
  .map(a => {
    const url = new URL(a.href);
    url.searchParams.delete('h');
    return {
      name: (a.getAttribute('aria-label') || a.innerText || a.querySelector('img')?.alt || '')
            .replace(/\\s+/g, ' ').trim(),
      href: url.href.replace(/index\\.html(?=$|#)/, ''),
      inPage: url.pathname === location.pathname && url.hash !== '',
    };
  })"""

VAGUE = {"click here", "here", "more", "read more", "link", "this", "continue reading", "¶"}


@pytest.mark.parametrize("kind", KIND_IDS)
def test_link_text_makes_sense_on_its_own(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str
) -> None:
    with kind_page(browser, site_url, page_paths, kind) as (page, _):
        links = page.evaluate(LINKS)
    assert links
    nameless = [link["href"] for link in links if not link["name"]]
    assert not nameless, f"links without a name: {nameless}"
    vague = [link for link in links if link["name"].lower().strip(" .:") in VAGUE]
    assert not vague, f"links whose words say nothing: {vague}"
    targets: dict[str, set[str]] = {}
    # A table of contents names parts of its own page, beside the same words elsewhere.
    for link in links:
        if not link["inPage"]:
            targets.setdefault(link["name"].lower(), set()).add(link["href"])
    ambiguous = {name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1}
    assert not ambiguous, f"the same words lead to different places: {ambiguous}"


@pytest.mark.parametrize("kind", KIND_IDS)
def test_pages_fit_a_320_pixel_screen(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str
) -> None:
    with kind_page(browser, site_url, page_paths, kind, width=320) as (page, _):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_cards_show_title_council_date_and_description_at_320_pixels(
    browser: Any, site_url: str, page_paths: dict[str, str]
) -> None:
    for kind in ("home", "council"):
        with kind_page(browser, site_url, page_paths, kind, width=320) as (page, _):
            cards = page.evaluate(
                """() => [...document.querySelectorAll('.hub-card')].map(card => {
                     const box = card.getBoundingClientRect();
                     return {left: box.left, right: box.right,
                             title: card.querySelector('h3 a')?.innerText || '',
                             council: card.querySelector('.hub-card__facts a')?.innerText || '',
                             date: card.querySelector('.hub-card__facts time')?.innerText || '',
                             description: card.querySelector('.hub-card__facts + p')?.innerText
                                          || ''}; })"""
            )
        assert cards, f"{kind}: no cards"
        for card in cards:
            assert card["left"] >= 0 and card["right"] <= 320, card
            assert all(card[k] for k in ("title", "council", "date", "description")), card


# -- The statement says what is tested ------------------------------------------------------------

TESTS_FOR_CHECK: dict[str, list[Callable[..., None]]] = {
    "axe": [test_axe_finds_no_violations],
    "skip-link": [test_skip_link_comes_first_and_goes_to_the_main_heading],
    "focus-visible": [test_focus_is_always_visible],
    "focus-not-obscured": [test_focus_is_never_under_the_sticky_header],
    "target-size": [test_targets_are_at_least_24_pixels],
    "link-text": [test_link_text_makes_sense_on_its_own],
    "reflow": [test_pages_fit_a_320_pixel_screen],
}


def test_every_check_in_the_statement_has_a_test() -> None:
    from test_html_validity import TESTS_FOR_CHECK as VALIDITY_TESTS
    from test_privacy import TESTS_FOR_CHECK as PRIVACY_TESTS

    tested = set(TESTS_FOR_CHECK) | set(PRIVACY_TESTS) | set(VALIDITY_TESTS)
    assert tested == {c.id for c in CHECKS}


def test_statement_lists_the_checks_and_pages(built_site: Path) -> None:
    doc = lxml.html.parse(built_site / "accessibility" / "index.html").getroot()
    text = " ".join(doc.xpath("string(//article)").split())
    for item in (*CHECKS, *PAGE_KINDS):
        assert " ".join(item.description.split()) in text, item.id
    for heading in (
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ):
        assert heading in doc.xpath("//article//h2//text() | //article//h3//text()"), heading
