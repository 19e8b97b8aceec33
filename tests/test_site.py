"""The real site, built in strict mode: seed posts, council pages, indexes and the home page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import (
    REPO,
    find_post_page,
    heading_text,
    make_project,
    post_meta,
    post_pages,
    published_posts,
    run_mkdocs_build,
)

POSTS = sorted((REPO / "docs/blog/posts").glob("*.md"))


META = [post_meta(p) for p in POSTS]
COUNCILS = yaml.safe_load((REPO / "docs/blog/.councils.yml").read_text())["councils"]
AUTHORS = yaml.safe_load((REPO / "docs/blog/.authors.yml").read_text())["authors"]


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.is_file(), f"missing page {url}"
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def test_every_published_post_has_its_page(built_site: Path) -> None:
    assert POSTS, "the site has posts"
    assert set(post_pages(built_site)) == set(published_posts())


@pytest.mark.parametrize("post_file", POSTS, ids=lambda p: p.stem)
def test_each_post_page_shows_title_author_council_and_date(
    built_site: Path, post_file: Path
) -> None:
    post = post_meta(post_file)
    doc = find_post_page(built_site, post["title"])[1]
    byline = doc.xpath("string(//div[@class='hub-byline'])")
    for author in post["authors"]:
        assert AUTHORS[author]["name"] in byline
    assert COUNCILS[post["council"]]["name"] in byline
    date = post["date"]
    assert isinstance(date, dt.date)
    assert doc.xpath("//div[@class='hub-byline']//time/@datetime") == [date.isoformat()]


@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_each_council_page_lists_exactly_its_posts(built_site: Path, council_id: str) -> None:
    expected = sorted(p["title"] for p in META if p["council"] == council_id)
    doc = page(built_site, f"councils/{council_id}")
    listed = sorted(
        doc.xpath("//article[@class='hub-card']//h3/a[not(@class='headerlink')]/text()")
    )
    assert listed == expected
    assert heading_text(doc) == COUNCILS[council_id]["name"]


def test_home_page_links_to_every_council(built_site: Path) -> None:
    doc = page(built_site, "")
    hrefs = set(doc.xpath("//a/@href"))
    for council_id in COUNCILS:
        assert f"councils/{council_id}/" in hrefs


def test_tag_category_author_and_archive_pages_exist(built_site: Path) -> None:
    tags = {t for p in META for t in p["tags"]}
    for tag in tags:
        doc = page(built_site, f"tags/{tag.replace(' ', '-')}")
        assert heading_text(doc) == f"Posts tagged “{tag}”"
        listed = sorted(doc.xpath("//article[@class='hub-card']//h3/a/text()"))
        assert listed == sorted(p["title"] for p in META if tag in p["tags"]), tag
    for category in ("case-studies", "guest-posts"):
        page(built_site, f"blog/category/{category}")
    for author in AUTHORS:
        doc = page(built_site, f"blog/author/{author}")
        assert AUTHORS[author]["name"] in doc.text_content()
    years = {p["date"].year for p in META}
    for year in years:
        page(built_site, f"blog/archive/{year}")
    page(built_site, "tags")


def test_about_search_and_404_pages_exist(built_site: Path) -> None:
    about = page(built_site, "about")
    assert about.get_element_by_id("submit-a-guest-post") is not None
    assert (built_site / "search" / "search_index.json").is_file()
    assert (built_site / "404.html").is_file()


def test_strict_build_fails_on_a_warning(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + "\n[A broken link](no-such-page.md)\n")
    build = run_mkdocs_build(project)
    assert build.returncode == 1
    assert "no-such-page.md" in build.output
    assert "Aborted with 1 warnings in strict mode" in build.output


def test_generated_links_resolve_to_pages_of_the_site(built_site: Path) -> None:
    """Council pages, the home page and bylines are written as HTML, so MkDocs does not check them."""
    pages = [built_site / "index.html", *built_site.glob("councils/**/index.html")]
    pages += list(built_site.glob("tags/*/index.html"))
    pages += list((built_site / "blog").glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"))
    checked = 0
    for html_file in pages:
        doc = lxml.html.fromstring(html_file.read_text(encoding="utf-8"))
        for href in doc.xpath(
            "//*[contains(@class, 'hub-card') or contains(@class, 'hub-byline')]//a/@href"
            " | //article//ul/li/a/@href"
        ):
            if href.startswith(("http:", "https:", "#", "mailto:")):
                continue
            target = (html_file.parent / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{html_file}: {href}"
            checked += 1
    assert checked > 40


def test_tag_chips_on_posts_link_to_each_tags_own_page(built_site: Path) -> None:
    for post in META:
        doc = find_post_page(built_site, post["title"])[1]
        chips = {a.text_content(): a.get("href") for a in doc.xpath("//nav[@class='md-tags']/a")}
        assert set(chips) == set(post["tags"])
        for tag, href in chips.items():
            assert href.endswith(f"tags/{tag.replace(' ', '-')}/"), (tag, href)


def test_hub_markers_are_filled_except_in_code(tmp_path: Path) -> None:
    """A page's ``<!-- hub:... -->`` markers become lists, in Markdown (the feeds) and in HTML
    (the councils); a marker shown in a code block stays as it is written."""
    project = make_project(tmp_path / "project")
    markers = project / "docs" / "markers.md"
    markers.write_text(
        "# Markers\n\n<!-- hub:councils -->\n\n<!-- hub:feeds -->\n\n"
        "```html\n<!-- hub:councils -->\n```\n",
        encoding="utf-8",
    )
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    doc = page(build.site, "markers")
    content = doc.xpath("//article")[0]
    hrefs = content.xpath(".//a/@href")
    for council_id in COUNCILS:
        assert f"../councils/{council_id}/" in hrefs
    assert any(h.endswith("/feed.xml") for h in hrefs)
    assert [c.text_content() for c in content.xpath(".//pre/code")] == ["<!-- hub:councils -->\n"]
