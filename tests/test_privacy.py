"""Privacy and weight: no page asks another host for anything, and a post is no heavier than
Material's default page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socialcouncils.pages.accessibility import COLOUR_SCHEMES, PAGE_KINDS
from socialcouncils.site.browser import site_page
from socialcouncils.site.page_weight import compare, make_default_project, newest_post

from conftest import REPO, kind_page, run_mkdocs_build

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


def test_post_page_is_no_heavier_than_materials_default(
    browser: Any, built_site: Path, tmp_path: Path
) -> None:
    post = newest_post(REPO / "mkdocs.yml")
    default = run_mkdocs_build(make_default_project(tmp_path / "default", post), strict=False)
    assert default.returncode == 0, default.output
    comparison = compare(browser, built_site, post, default.site)
    ours, theirs = comparison.ours, comparison.default
    # Both pages really were weighed: the theme's CSS and JavaScript, and the post itself.
    for weight in (ours, theirs):
        assert weight.bytes_of("CSS") > 50_000 and weight.bytes_of("JavaScript") > 100_000
        assert weight.bytes_of("HTML") > 5_000
    assert ours.refused == [] and ours.bytes_of("fonts") == 0
    assert ours.page_bytes <= theirs.page_bytes, (
        f"a post weighs {ours.page_bytes} bytes, Material's default page {theirs.page_bytes}: "
        f"{ours.by_kind} against {theirs.by_kind}"
    )


TESTS_FOR_CHECK: dict[str, list[Callable[..., None]]] = {
    "no-third-party": [test_no_request_leaves_the_site],
}
