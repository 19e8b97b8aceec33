"""The browser harness itself: Debian's Chromium loads the served site and requests are recorded;
and every kind of page loads with no failed request and no error in the browser's console."""

from __future__ import annotations

from typing import Any

import pytest

from socialcouncils.pages.accessibility import PAGE_KINDS
from socialcouncils.site.browser import record_requests

from conftest import kind_page

pytestmark = pytest.mark.browser


def test_home_page_loads_in_chromium(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    requests = record_requests(page)
    response = page.goto(site_url)
    assert response is not None and response.status == 200
    assert page.title().startswith("Social Councils")
    assert requests.urls[0] == site_url
    page.close()


@pytest.mark.parametrize("kind", [k.id for k in PAGE_KINDS])
def test_every_request_succeeds_and_the_console_shows_no_error(
    browser: Any, site_url: str, page_paths: dict[str, str], kind: str
) -> None:
    """Council and category pages name their own feeds, beside which the theme's script asks for
    a sitemap.xml (socialcouncils.feeds.hub_feeds): each is there, as is everything else a page asks for."""
    with kind_page(browser, site_url, page_paths, kind) as (page, requests):
        page.wait_for_load_state("networkidle")
        assert requests.urls, "no request recorded"
        assert requests.failures == []
        assert requests.console_errors == []


def test_the_log_sees_failed_requests_and_console_errors(browser: Any, site_url: str) -> None:
    """The check above can fail: a missing file and a script error are both caught."""
    with kind_page(browser, site_url, {"about": "about/"}, "about") as (page, requests):
        page.evaluate("fetch('missing.xml').catch(() => null); console.error('broken')")
        page.wait_for_load_state("networkidle")
        assert requests.failures == [f"404 {site_url}about/missing.xml"]
        assert "broken" in requests.console_errors
