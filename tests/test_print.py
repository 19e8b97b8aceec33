"""A page printed (to PDF, by Chromium) is the reading, not the screen: no menus, search,
Subscribe band, related posts, Comments or footer; pictures with their captions under them; and
each link to another website with its address after its text."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import pypdf
import pytest

from socialcouncils.site.browser import site_page

from conftest import find_post_page, published_posts

pytestmark = pytest.mark.browser


def printed_text(page: Any) -> str:
    """The text of the page printed to an A4 PDF, its words one space apart."""
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in reader.pages)
    # PDF text carries ligatures ("ﬁ") as single characters.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def words(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def a_post_with_related_posts_and_comments(site: Path) -> tuple[str, lxml.html.HtmlElement]:
    for title in published_posts():
        folder, doc = find_post_page(site, title)
        if doc.xpath("//h2[@id='related-posts']") and doc.xpath("//section[@class='hub-comments']"):
            return folder.relative_to(site).as_posix() + "/", doc
    raise AssertionError("no post has both related posts and comments to test with")


def test_a_printed_post_is_its_text_without_the_screens_parts(
    browser: Any, site_url: str, built_site: Path
) -> None:
    path, doc = a_post_with_related_posts_and_comments(built_site)
    (title,) = doc.xpath("//article//h1")
    body = doc.xpath("//div[@class='hub-post-body']/p")
    related = [words(a) for a in doc.xpath("//h2[@id='related-posts']/following::h3/a")]
    comments = [words(a) for a in doc.xpath("//section[@class='hub-comments']//a")]
    subscribe = [words(a) for a in doc.xpath("//aside[@class='hub-subscribe']//a")]
    with site_page(browser, site_url, path) as (page, _):
        text = printed_text(page)
    assert words(title).rstrip("¶") in text
    assert words(body[0])[:60] in text and words(body[-1])[:60] in text
    byline = doc.xpath("//p[@class='hub-byline__who']")[0]
    assert words(byline)[:40] in text
    for absent in ["Related posts", "Comments", "Skip to content", "Back to top", "Subscribe"]:
        assert absent not in text, f"{absent!r} is printed"
    for part in [*related, *comments, *subscribe]:
        assert part not in text, f"{part!r} is printed"
    assert "Made with" not in text  # the footer
    assert "Posts are © their authors" not in text


def test_a_printed_link_to_another_website_shows_its_address(
    browser: Any, site_url: str, built_site: Path
) -> None:
    doc = lxml.html.fromstring((built_site / "about/index.html").read_text(encoding="utf-8"))
    (content,) = doc.xpath("//article")
    links = content.xpath(".//a")
    outside = [a for a in links if re.match(r"https?://", a.get("href", ""))]
    inside = [a for a in links if a.get("href", "").startswith(("../", "./", "#"))]
    assert outside and inside, "the About page links to this site and to others"
    with site_page(browser, site_url, "about/") as (page, _):
        text = printed_text(page)
    # Long addresses break across lines on paper: compare without spaces.
    squeezed = text.replace(" ", "")
    for a in outside:
        assert f"({a.get('href')})" in squeezed, f"{a.get('href')} is not printed"
    for a in inside:
        assert f"({a.get('href')})" not in squeezed, "an address inside the site is printed"


def test_a_printed_picture_has_its_caption_under_it(
    browser: Any, site_url: str, built_site: Path
) -> None:
    captioned = []
    for title in published_posts():
        folder, doc = find_post_page(built_site, title)
        if doc.xpath("//div[@class='hub-post-body']//p/img[following-sibling::*[1][self::em]]"):
            captioned.append(folder.relative_to(built_site).as_posix() + "/")
    assert captioned, "no post has a picture with a caption to test with"
    with site_page(browser, site_url, captioned[0], width=1280) as (page, _):
        page.emulate_media(media="print")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.hub-post-body p > img + em')].map(em => {
                 const img = em.previousElementSibling.getBoundingClientRect();
                 const cap = em.getBoundingClientRect();
                 return {imgBottom: img.bottom, capTop: cap.top, imgLeft: img.left,
                         capLeft: cap.left};
               })"""
        )
    assert boxes
    for box in boxes:
        assert box["capTop"] >= box["imgBottom"] - 1, f"the caption is beside the picture: {box}"
        assert abs(box["capLeft"] - box["imgLeft"]) < 2, box
