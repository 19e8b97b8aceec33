"""A list's bullet stays beside the first line of its item's link when the link wraps, as on a
phone: the Comments list, tag lists and most lists of links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialcouncils.site.browser import site_page

from conftest import find_post_page, published_posts

pytestmark = pytest.mark.browser

PHONE = 375

# For each list item whose only element is a link that wraps onto more than one line: where the
# item's first line is (a zero-width text put at its start sits on the line that carries the
# bullet) and where the link's first line of text is.
WRAPPED_LINKS = """() => {
  const found = [];
  for (const a of document.querySelectorAll('.md-content li > a:only-child')) {
    const text = document.createRange();
    text.selectNodeContents(a);
    const lines = [...text.getClientRects()];
    const lineHeight = parseFloat(getComputedStyle(a).lineHeight);
    if (lines.length < 2 || lines.at(-1).top - lines[0].top < lineHeight / 2) continue;
    const start = document.createTextNode('\\u200b');
    a.parentNode.insertBefore(start, a.parentNode.firstChild);
    const here = document.createRange();
    here.selectNodeContents(start);
    const itemLine = here.getBoundingClientRect();
    start.remove();
    found.push({link: a.textContent.trim().slice(0, 60), itemTop: itemLine.top,
                itemBottom: itemLine.bottom, linkTop: lines[0].top, lineHeight});
  }
  return found;
}"""


def a_post_path(site: Path) -> str:
    folder = find_post_page(site, next(iter(published_posts())))[0]
    return folder.relative_to(site).as_posix() + "/"


def test_the_bullet_is_beside_the_first_line_of_a_wrapped_link(
    browser: Any, site_url: str, built_site: Path
) -> None:
    with site_page(browser, site_url, a_post_path(built_site), width=PHONE) as (page, _):
        items = page.evaluate(WRAPPED_LINKS)
    assert items, "the Comments list has links that wrap on a phone"
    for item in items:
        assert abs(item["itemTop"] - item["linkTop"]) < item["lineHeight"] / 2, (
            f"the bullet of “{item['link']}” is not beside its first line: {item}"
        )
