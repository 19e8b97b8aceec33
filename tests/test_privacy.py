"""Privacy: no page asks another host for anything when it loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from socialcouncils.accessibility import COLOUR_SCHEMES, PAGE_KINDS

from browser import site_page
from conftest import kind_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", COLOUR_SCHEMES)
@pytest.mark.parametrize("kind", [k.id for k in PAGE_KINDS])
def test_no_request_leaves_the_site(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str, scheme: str
) -> None:
    with kind_page(browser, site_url, page_paths, kind, scheme=scheme) as (page, requests):
        page.wait_for_load_state("networkidle")
        assert requests.urls, "no request recorded"
        assert requests.third_party(site_url) == []


def test_the_request_log_sees_other_hosts(browser: Any, site_url: str) -> None:
    """The check above can fail: a page that loads a picture from elsewhere is caught."""
    with site_page(browser, site_url, "about/") as (page, requests):
        page.evaluate("new Image().src = 'https://example.org/tracker.gif'")
        page.wait_for_load_state("networkidle")
        assert requests.third_party(site_url) == ["https://example.org/tracker.gif"]


TESTS_FOR_CHECK: dict[str, list[Callable[..., None]]] = {
    "no-third-party": [test_no_request_leaves_the_site],
}
