"""Lists of posts show each post in its author's words: never the editors' note in italics that
opens some posts, but the first paragraph after it."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import lxml.html
import pytest

from socialcouncils.content.excerpts import excerpt_lines

from conftest import REPO, find_post_page

MORE = "<!-- more -->"
POST_FILES = sorted((REPO / "docs/blog/posts").glob("*.md"))


def paragraphs(body: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", body) if block.strip()]


def editors_note_and_next(path: Path) -> tuple[str, str] | None:
    """A post's opening note in italics and its first plain paragraph after it, read apart from
    the code under test: a paragraph is a block that starts with a letter or a quotation mark."""
    blocks = paragraphs(frontmatter.load(path).content)
    if not blocks or not re.fullmatch(r"(?s)\*[^*\s][^*]*\*", blocks[0]):
        return None
    following = [b for b in blocks[1:] if re.match(r"[\w‘“\"']", b)]
    return blocks[0].strip("*"), following[0]


NOTED = [p for p in POST_FILES if editors_note_and_next(p)]


def words(text: str) -> str:
    return " ".join(text.split())


def excerpts_of(site: Path, title: str) -> list[tuple[str, str]]:
    """(page, excerpt text) for every list of posts on the site that shows ``title``'s excerpt."""
    found = []
    for page in sorted(site.glob("blog/**/index.html")):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        for article in doc.xpath("//article[contains(@class, 'md-post--excerpt')]"):
            content = article.xpath(".//div[contains(@class, 'md-post__content')]")[0]
            heading = content.xpath(".//h2")
            if heading and words(heading[0].text_content()) == title:
                body = [words(e.text_content()) for e in content if e.tag != "h2"]
                found.append((page.relative_to(site).as_posix(), " ".join(body)))
    return found


def test_the_site_has_posts_that_open_with_an_editors_note() -> None:
    assert NOTED, "no seed post opens with a note in italics to test with"


@pytest.mark.parametrize("path", NOTED, ids=lambda p: p.stem)
def test_lists_show_the_authors_words_not_the_editors_note(built_site: Path, path: Path) -> None:
    note_and_next = editors_note_and_next(path)
    assert note_and_next is not None
    note, first = note_and_next
    title = str(frontmatter.load(path).metadata["title"])
    shown = excerpts_of(built_site, title)
    pages = {page.split("/")[1] for page, _ in shown}
    # The blog's index, its archive, the post's category and its author's page.
    assert {"index.html", "archive", "category", "author"} <= pages, shown
    first_words = words(re.sub(r"[*_`]", "", first))[:80]
    for page, excerpt in shown:
        assert words(note)[:60] not in excerpt, f"{page} shows the editors' note"
        assert excerpt.startswith(first_words), f"{page}: {excerpt[:120]!r}"


@pytest.mark.parametrize("path", NOTED, ids=lambda p: p.stem)
def test_the_post_page_keeps_its_editors_note(built_site: Path, path: Path) -> None:
    note_and_next = editors_note_and_next(path)
    assert note_and_next is not None
    doc = find_post_page(built_site, str(frontmatter.load(path).metadata["title"]))[1]
    (body,) = doc.xpath("//div[@class='hub-post-body']")
    assert words(body.text_content()).startswith(words(note_and_next[0])[:60])


# -- The rule, on Markdown ------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    return text.split("\n")


def test_a_note_is_replaced_by_the_first_paragraph_after_it() -> None:
    source = lines(
        "# Title\n\n*This is a guest post by Jo.*\n\n<!-- more -->\n\n"
        '!!! note "Date"\n    Undated.\n\n> A quote.\n\n- a list\n\nJo writes here.\n\nMore."'
    )
    result = excerpt_lines(source, MORE)
    assert result is not None
    assert "\n".join(result).startswith("# Title\n\nJo writes here.\n\n<!-- more -->")


@pytest.mark.parametrize(
    "body",
    [
        "A plain opening paragraph.\n\n<!-- more -->\n\nMore.",
        "*Italic* start, then plain words.\n\n<!-- more -->\n\nMore.",
        "**A bold note.**\n\n<!-- more -->\n\nMore.",
        "* a list item in italics style*\n\n<!-- more -->\n\nMore.",
        "*Only a note.*\n\n<!-- more -->\n\n```\n\ncode\n\n```",
    ],
    ids=["plain", "italic-word", "bold", "list", "nothing-after"],
)
def test_a_post_without_a_note_keeps_its_excerpt(body: str) -> None:
    assert excerpt_lines(lines(f"# Title\n\n{body}"), MORE) is None
