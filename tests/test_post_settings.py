"""Every setting in the officers' table changes the built site, or is checked.

One fixture site holds a post with every optional setting an officer can set, a plain post with
none of them, and a draft. Each setting has a test that compares the two posts' built pages (or
the draft's absence); a guard test fails when the schema gains an officers' key that no test here
covers.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Callable

import lxml.html
import pytest

from socialcouncils.content.schema import field_docs, required_keys

from conftest import REPO, Build, heading_text, make_project, run_mkdocs_build

PICTURE = REPO / "docs" / "blog" / "posts" / "the-benefits-of-open-access" / "coventry-skyline.svg"

COMMON = """\
description: "A post used to check that each setting an officer may set changes the built site."
authors:
  - helen-reynolds
council: monmouthshire
categories:
  - Case studies
tags:
  - facebook
"""

BODY = """
The first paragraph of this post, which ends at the line below.

<!-- more -->

The rest of the post.
"""

EVERY_SETTING = f"""---
title: "A post with every setting set"
date: 2012-03-07
{COMMON}image: every-setting/skyline.svg
image_alt: "A skyline at night, drawn for this test"
image_credit: "Drawing: the test's own, CC BY 4.0"
original_url: https://example.org/2012/03/07/every-setting/
original_site: "The Original Blog"
comments: false
slug: a-chosen-address
updated: 2012-04-01
---
{BODY}"""

NO_SETTING = f"""---
title: "A post with no optional setting"
date: 2012-03-08
{COMMON}original_url: https://example.org/2012/03/08/no-setting/
---
{BODY}"""

DRAFT = f"""---
title: "A draft post that is not ready"
date: 2012-03-09
{COMMON}draft: true
---
{BODY}"""


@pytest.fixture(scope="module")
def settings_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = make_project(
        tmp_path_factory.mktemp("settings") / "project",
        posts={"every-setting.md": EVERY_SETTING, "no-setting.md": NO_SETTING, "draft.md": DRAFT},
    )
    (project / "docs" / "blog" / "posts" / "every-setting").mkdir()
    shutil.copy(PICTURE, project / "docs" / "blog" / "posts" / "every-setting" / "skyline.svg")
    return run_mkdocs_build(project)


def page(build: Build, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((build.site / url / "index.html").read_text(encoding="utf-8"))


def every(build: Build) -> lxml.html.HtmlElement:
    return page(build, "blog/2012/03/07/a-chosen-address")


def plain(build: Build) -> lxml.html.HtmlElement:
    return page(build, "blog/2012/03/08/a-post-with-no-optional-setting")


def text(doc: lxml.html.HtmlElement, xpath: str) -> str:
    return " ".join(" ".join(node.itertext()) for node in doc.xpath(xpath))


def test_image_image_alt_and_image_credit_make_the_lead_picture(settings_site: Build) -> None:
    figure = every(settings_site).xpath('//figure[@class="hub-lead-picture"]')
    assert len(figure) == 1
    (img,) = figure[0].xpath("img")
    assert img.get("src").endswith("every-setting/skyline.svg")
    assert img.get("alt") == "A skyline at night, drawn for this test"
    assert text(figure[0], "figcaption") == "Drawing: the test's own, CC BY 4.0"
    where = posixpath.normpath(posixpath.join("blog/2012/03/07/a-chosen-address/", img.get("src")))
    assert (settings_site.site / where).is_file()
    assert not plain(settings_site).xpath('//figure[@class="hub-lead-picture"]')


def test_original_url_and_original_site_say_where_it_first_appeared(settings_site: Build) -> None:
    (link,) = every(settings_site).xpath('//p[@class="hub-byline__original"]/a')
    assert link.get("href") == "https://example.org/2012/03/07/every-setting/"
    assert link.text_content() == "The Original Blog"
    said = text(every(settings_site), '//p[@class="hub-byline__original"]')
    assert said.startswith("First published on") and "7 March 2012" in said
    # Without original_site, the address's host names the site.
    plain_said = text(plain(settings_site), '//p[@class="hub-byline__original"]')
    assert "example.org" in plain_said


def test_comments_false_removes_the_comments_section(settings_site: Build) -> None:
    assert not every(settings_site).xpath('//*[@id="comments"]')
    assert plain(settings_site).xpath('//*[@id="comments"]')


def test_slug_sets_the_address(settings_site: Build) -> None:
    assert (settings_site.site / "blog/2012/03/07/a-chosen-address/index.html").is_file()
    assert not (settings_site.site / "blog/2012/03/07/a-post-with-every-setting-set").exists()


def test_updated_is_shown_in_the_byline(settings_site: Build) -> None:
    times = every(settings_site).xpath('//p[@class="hub-byline__when"]//time/@datetime')
    assert "2012-04-01" in times
    assert "Updated" in text(every(settings_site), '//p[@class="hub-byline__when"]')
    assert "Updated" not in text(plain(settings_site), '//p[@class="hub-byline__when"]')


def test_draft_reaches_no_page_and_no_feed(settings_site: Build) -> None:
    for path in settings_site.site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            assert "A draft post that is not ready" not in path.read_text(encoding="utf-8"), path


def test_the_required_settings_are_shown(settings_site: Build) -> None:
    doc = plain(settings_site)
    assert heading_text(doc) == "A post with no optional setting"
    assert doc.xpath('//meta[@name="description"]/@content') == [
        "A post used to check that each setting an officer may set changes the built site."
    ]
    byline = text(doc, '//div[@class="hub-byline"]')
    for shown in ("Helen Reynolds", "Monmouthshire", "8 March 2012", "Case studies", "facebook"):
        assert shown in byline, shown


# Which test above shows each optional setting; a required one is checked when missing (PM001),
# and shown by test_the_required_settings_are_shown.
COVERED: dict[str, Callable[[Build], None]] = {
    "image": test_image_image_alt_and_image_credit_make_the_lead_picture,
    "image_alt": test_image_image_alt_and_image_credit_make_the_lead_picture,
    "image_credit": test_image_image_alt_and_image_credit_make_the_lead_picture,
    "original_url": test_original_url_and_original_site_say_where_it_first_appeared,
    "original_site": test_original_url_and_original_site_say_where_it_first_appeared,
    "comments": test_comments_false_removes_the_comments_section,
    "slug": test_slug_sets_the_address,
    "updated": test_updated_is_shown_in_the_byline,
    "draft": test_draft_reaches_no_page_and_no_feed,
}


def test_every_officers_setting_has_a_test_here() -> None:
    officers = {doc.name for doc in field_docs() if doc.for_officers}
    assert officers - set(required_keys()) == set(COVERED)
    assert set(required_keys()) <= officers
