"""The browser harness itself: Debian's Chromium loads the served site and requests are recorded."""

from __future__ import annotations

from typing import Any

import pytest

from socialcouncils.site.browser import record_requests

pytestmark = pytest.mark.browser


def test_home_page_loads_in_chromium(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    requests = record_requests(page)
    response = page.goto(site_url)
    assert response is not None and response.status == 200
    assert page.title().startswith("Social Councils")
    assert requests.urls[0] == site_url
    page.close()
