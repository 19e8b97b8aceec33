"""The Comments section at the end of every post: e-mail link, permalink, GitHub discussion, and
giscus loaded only when the reader asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import lxml.html
import pytest
import yaml

from socialcouncils.site.browser import RequestLog, record_requests, serve_directory
from socialcouncils.source.settings import GiscusSettings

from conftest import (
    NO_COMMENTS_TITLE,
    REPO,
    Build,
    edit_config,
    heading_text,
    make_project,
    post_pages,
    published_posts,
    run_mkdocs_build,
)

CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
EDITORS = CONFIG["extra"]["comments"]["editors_email"]
GISCUS: dict[str, str | bool] = {
    "repo": "socialcouncils/comments-test",
    "repo_id": "R_test123",
    "category": "Comments",
    "category_id": "DIC_test456",
    "mapping": "specific",
    "reactions_enabled": False,
    "theme": "preferred_color_scheme",
    "lang": "en",
}
GISCUS_SCRIPT = "https://giscus.app/client.js"


def comments_section(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    found = doc.xpath("//section[@aria-labelledby='comments']")
    return found[0] if found else None


def link_texts(section: lxml.html.HtmlElement) -> dict[str, str]:
    return {" ".join(a.text_content().split()): a.get("href") for a in section.xpath(".//a")}


def check_email_and_permalink(title: str, doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    section = comments_section(doc)
    assert section is not None, f"{title}: no Comments section"
    assert heading_text(section, ".//h2[@id='comments']") == "Comments"
    links = link_texts(section)
    mail = links.get(f"E-mail the editors about “{title}”")
    assert mail is not None, f"{title}: no e-mail link in {list(links)}"
    address = urlsplit(mail)
    assert address.scheme == "mailto" and unquote(address.path) == EDITORS
    assert parse_qs(address.query)["subject"] == [f"Comment on “{title}”"]
    canonical = doc.xpath("//head/link[@rel='canonical']/@href")[0]
    assert links.get(f"Permanent link to “{title}”") == canonical
    return section


# -- The real site --------------------------------------------------------------------------------


def test_every_post_ends_with_a_comments_section(built_site: Path) -> None:
    pages = post_pages(built_site)
    assert len(pages) == len(published_posts())
    for title, doc in pages.items():
        section = check_email_and_permalink(title, doc)
        # Nothing in the section talks to another site by itself.
        assert not section.xpath(".//script | .//iframe | .//img")
        # The section is the last thing in the post.
        article = doc.xpath("//article")[0]
        assert article.xpath("./*[last()]")[0] is section


def test_other_pages_have_no_comments_section(built_site: Path) -> None:
    for path in ("index.html", "about/index.html", "councils/leeds/index.html"):
        doc = lxml.html.fromstring((built_site / path).read_text(encoding="utf-8"))
        assert comments_section(doc) is None, path


# -- No giscus settings, and a post with comments: false ------------------------------------------


def test_without_giscus_settings_the_build_passes_and_shows_the_email_link(
    variant_site: Build,
) -> None:
    assert variant_site.returncode == 0, variant_site.output
    for title, doc in post_pages(variant_site.site).items():
        if title == NO_COMMENTS_TITLE:
            continue
        section = check_email_and_permalink(title, doc)
        assert not section.xpath(".//button"), "a Show comments button without giscus settings"
        assert not [h for h in link_texts(section).values() if "github.com" in h]


def test_a_post_with_comments_false_has_no_comments_section(variant_site: Build) -> None:
    doc = post_pages(variant_site.site)[NO_COMMENTS_TITLE]
    assert comments_section(doc) is None
    assert not doc.xpath("//*[@id='comments']")


# -- giscus configured ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def giscus_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = make_project(tmp_path_factory.mktemp("giscus") / "project")
    edit_config(project, lambda config: config["extra"]["comments"].update(giscus=GISCUS))
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    return build


def expected_attributes(doc: lxml.html.HtmlElement) -> dict[str, str]:
    """The giscus script's data-* attributes for a post: the settings in mkdocs.yml, and the
    hub's default for each one mkdocs.yml leaves out."""
    defaults = {name: field.default for name, field in GiscusSettings.model_fields.items()}
    attributes = {
        f"data-{key.replace('_', '-')}": "1"
        if value is True
        else "0"
        if value is False
        else str(value)
        for key, value in {**defaults, **GISCUS}.items()
    }
    canonical = doc.xpath("//head/link[@rel='canonical']/@href")[0]
    attributes["data-term"] = urlsplit(canonical).path.lstrip("/")
    return attributes


def test_the_show_comments_button_carries_the_giscus_settings(giscus_site: Build) -> None:
    for title, doc in post_pages(giscus_site.site).items():
        section = check_email_and_permalink(title, doc)
        buttons = section.xpath(".//button")
        assert len(buttons) == 1
        button = buttons[0]
        assert button.get("type") == "button"
        assert " ".join(button.text_content().split()) == "Show comments"
        assert button.get("hidden") is not None, "shown before its script can work"
        assert section.get_element_by_id(button.get("aria-controls")) is not None
        data = {
            name.replace("data-giscus-", "data-"): value
            for name, value in button.attrib.items()
            if name.startswith("data-giscus-") and name != "data-giscus-src"
        }
        assert data == expected_attributes(doc)
        assert button.get("data-giscus-src") == GISCUS_SCRIPT
        discussion = link_texts(section)[f"Read or join the discussion of “{title}” on GitHub"]
        assert discussion.startswith(f"https://github.com/{GISCUS['repo']}/discussions?")
        assert data["data-term"] in parse_qs(urlsplit(discussion).query)["discussions_q"][0]


@pytest.fixture(scope="module")
def giscus_url(giscus_site: Build) -> Iterator[str]:
    with serve_directory(giscus_site.site) as url:
        yield url


def post_urls(site: Path, base_url: str) -> list[str]:
    return [
        base_url + p.parent.relative_to(site).as_posix() + "/"
        for p in sorted((site / "blog").glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"))
    ]


def open_page(browser: Any, base_url: str) -> tuple[Any, RequestLog, list[str]]:
    """A browser page that reaches only ``base_url``: giscus's script is answered by an empty
    stand-in (the real giscus is never reached) and any other outside request is blocked.
    Returns the page, every request it makes, and the requests the stand-in answered."""
    page = browser.new_page()
    requests = record_requests(page)
    stood_in: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(base_url):
            route.continue_()
        elif url == GISCUS_SCRIPT:
            stood_in.append(url)
            route.fulfill(status=200, content_type="text/javascript", body="/* stand-in */")
        else:
            route.abort()

    page.route("**/*", route)
    return page, requests, stood_in


@pytest.mark.browser
def test_no_post_asks_another_site_for_anything_on_load(
    browser: Any, built_site: Path, site_url: str
) -> None:
    page, requests, _ = open_page(browser, site_url)
    urls = post_urls(built_site, site_url)
    assert len(urls) == len(published_posts())
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.close()
    assert requests.third_party(site_url) == []


@pytest.mark.browser
def test_giscus_loads_only_when_the_reader_asks(
    browser: Any, giscus_site: Build, giscus_url: str
) -> None:
    page, requests, stood_in = open_page(browser, giscus_url)
    page.goto(post_urls(giscus_site.site, giscus_url)[0])
    page.wait_for_load_state("networkidle")
    assert requests.third_party(giscus_url) == [], "a third-party request before any click"
    assert page.locator("#hub-giscus script").count() == 0

    button = page.get_by_role("button", name="Show comments")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works
    script = page.locator("#hub-giscus script")
    script.wait_for(state="attached")
    assert script.get_attribute("src") == GISCUS_SCRIPT
    doc = lxml.html.fromstring(page.content())
    for name, value in expected_attributes(doc).items():
        assert script.get_attribute(name) == value, name
    assert page.locator("[data-hub-show-comments]").get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "hub-giscus"
    page.wait_for_load_state("networkidle")
    assert stood_in == [GISCUS_SCRIPT]
    assert requests.third_party(giscus_url) == [GISCUS_SCRIPT]
    page.close()
