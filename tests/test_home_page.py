"""The home page's lists of posts: each post is listed once, however many lists it fits."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html

POST_ADDRESS = re.compile(r"(?:^|/)blog/\d{4}/\d\d/\d\d/[^/]+/?$")


def home(site: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / "index.html").read_text(encoding="utf-8"))


def test_no_post_is_listed_twice_on_the_home_page(built_site: Path) -> None:
    (content,) = home(built_site).xpath("//div[@class='md-content']")
    links = [href for href in content.xpath(".//a/@href") if POST_ADDRESS.search(href)]
    assert links, "the home page lists posts"
    twice = [href for href, n in Counter(h.rstrip("/") for h in links).items() if n > 1]
    assert not twice, f"listed more than once: {twice}"


def test_the_case_studies_section_lists_them_or_leads_to_them(built_site: Path) -> None:
    """Case studies already among the latest posts are not listed again; the section then
    leads to every case study instead of standing empty."""
    doc = home(built_site)
    (heading,) = doc.xpath("//h2[@id='case-studies']")
    after = heading.getnext()
    assert after is not None
    shown = after.xpath(".//h3/a/@href") + after.xpath(".//a/@href")
    assert shown, "the Case studies section lists no case study and links to none"
    for href in shown:
        assert (built_site / href / "index.html").is_file(), href
