"""Every feed in the built site, parsed with lxml and checked against the feed rules (feed_rules.py).

The same rules are applied to mkdocs-rss-plugin's default output, which breaks them: that is how
we know the rules can fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import frontmatter
import lxml.html
import pytest
import yaml
from feed_rules import (
    ExpectedPost,
    Violation,
    json_items,
    json_violations,
    post_violations,
    rss_items,
    rss_violations,
)
from lxml import etree

from conftest import (
    DRAFT_TITLE,
    NO_COMMENTS_TITLE,
    REPO,
    Build,
    edit_config,
    find_post_page,
    heading_text,
    make_project,
    run_mkdocs_build,
)

CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
FEED_ITEMS = CONFIG["extra"]["hub"]["feed_items"]
COUNCILS = yaml.safe_load((REPO / "docs/blog/.councils.yml").read_text())["councils"]
POST_FILES = sorted((REPO / "docs/blog/posts").glob("*.md"))


def front_matter(path: Path) -> dict[str, Any]:
    return dict(frontmatter.load(path).metadata)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- Reading a built site -------------------------------------------------------------------------


def rss_feeds(site: Path) -> list[Path]:
    """Every RSS feed in the site, wherever it is."""
    found = []
    for path in sorted(site.rglob("*.xml")):
        try:
            if etree.parse(str(path)).getroot().tag == "rss":
                found.append(path)
        except etree.XMLSyntaxError:
            found.append(path)  # a broken feed is still a feed to report
    return found


def json_feeds(site: Path) -> list[Path]:
    """Every JSON Feed in the site (search indexes and other JSON files are not feeds)."""
    found = []
    for path in sorted(site.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed"):
            found.append(path)
    return found


def feed_url(site: Path, path: Path) -> str:
    return SITE_URL + path.relative_to(site).as_posix()


def post_page(site: Path, title: str) -> lxml.html.HtmlElement | None:
    for index in (site / "blog").glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"):
        doc = lxml.html.fromstring(index.read_text(encoding="utf-8"))
        if heading_text(doc) == title:
            return doc
    return None


def expected_posts(docs: Path, site: Path) -> list[dict[str, Any]]:
    """Every published post of a project, newest first, from its front matter and built page."""
    posts = []
    for path in sorted((docs / "blog" / "posts").glob("*.md")):
        post = front_matter(path)
        if post.get("draft"):
            continue
        page = post_page(site, post["title"])
        paragraphs = page.xpath(
            "//article//p[not(@class)][not(ancestor::div[contains(@class, 'admonition')])]"
        ) if page is not None else []  # fmt: skip
        first = " ".join(paragraphs[0].text_content().split()) if paragraphs else ""
        posts.append(
            {
                "council": post["council"],
                "expected": ExpectedPost(
                    title=post["title"],
                    date=post["date"],
                    description=post["description"],
                    categories=(*post["categories"], *post["tags"]),
                    comments=post.get("comments", True),
                    first_paragraph=first,
                ),
            }
        )
    return sorted(posts, key=lambda p: p["expected"].date, reverse=True)


def posts_for_page(posts: list[dict[str, Any]], page: str) -> list[ExpectedPost]:
    """The posts a feed whose channel links to ``page`` must hold."""
    if page == "":
        return [p["expected"] for p in posts]
    if page.startswith("councils/"):
        council = page.split("/")[1]
        return [p["expected"] for p in posts if p["council"] == council]
    if page.startswith("blog/category/"):
        category = page.split("/")[2]
        return [p["expected"] for p in posts if slug(p["expected"].categories[0]) == category]
    raise AssertionError(f"a feed for an unexpected page: {page!r}")


def every_violation(site: Path, docs: Path, limit: int) -> list[Violation]:
    """All feed rules, on every feed in ``site``, against the posts in ``docs``."""
    posts = expected_posts(docs, site)
    found: list[Violation] = []
    for path in rss_feeds(site):
        name = path.relative_to(site).as_posix()
        found += rss_violations(path, feed_url(site, path)) + picture_violations(site, path)
        link = etree.parse(str(path)).getroot().findtext("channel/link") or ""
        expected = posts_for_page(posts, link.removeprefix(SITE_URL))
        found += post_violations(name, rss_items(path), expected, limit, is_rss=True)
    for path in json_feeds(site):
        name = path.relative_to(site).as_posix()
        found += json_violations(path, feed_url(site, path)) + picture_violations(site, path)
        page = json.loads(path.read_text(encoding="utf-8")).get("home_page_url", "")
        expected = posts_for_page(posts, page.removeprefix(SITE_URL))
        found += post_violations(name, json_items(path), expected, limit, is_rss=False)
    return found


def picture_violations(site: Path, path: Path) -> list[Violation]:
    """Each item's picture (RSS enclosure, JSON image) is a file of the built site, of that size."""
    found = []
    if path.suffix == ".xml":
        pictures = [
            (e.get("url") or "", e.get("length"))
            for e in etree.parse(str(path)).getroot().iterfind("channel/item/enclosure")
        ]
    else:
        items = json.loads(path.read_text(encoding="utf-8")).get("items") or []
        pictures = [(str(i["image"]), None) for i in items if i.get("image")]
    for url, length in pictures:
        built = site / url.removeprefix(SITE_URL)
        if not url.startswith(SITE_URL) or not built.is_file():
            found.append(Violation("picture", path.name, f"no such file in the site: {url}"))
        elif length is not None and length != str(built.stat().st_size):
            found.append(Violation("picture", path.name, f"{url} is not {length} bytes long"))
    return found


def report(found: list[Violation]) -> str:
    return "\n".join(str(v) for v in found)


# -- The plugin's default output ------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real posts, built with a plain ``- rss`` and none of the hub's feed work.

    ``use_git: false`` lets it run in a folder without git history. The hub's hook is left out
    too: with it, the build would finish the feeds, and the plugin (which reads every page by
    default) stops on the hub's generated pages, which have no source file.
    """
    project = make_project(tmp_path_factory.mktemp("default-rss") / "project")

    def plain_rss(config: dict[str, Any]) -> None:
        config.pop("hooks")
        config["plugins"] = [
            p for p in config["plugins"] if not (isinstance(p, dict) and "rss" in p)
        ] + [{"rss": {"use_git": False}}]

    edit_config(project, plain_rss)
    build = run_mkdocs_build(project, strict=False)
    assert build.returncode == 0, build.output
    return build


def test_the_default_plugin_output_breaks_the_feed_rules(default_plugin_site: Build) -> None:
    site = default_plugin_site.site
    assert rss_feeds(site) and json_feeds(site), "the plugin wrote no feeds"
    found = every_violation(site, site.parent / "docs", limit=20)
    rules = {v.rule for v in found}
    # The failures the W3C validator reports on it: <image><url>None</url>, <author> without
    # an e-mail address; and what the posts say: dates are build dates, not publication dates.
    assert {"channel-image", "author-email", "front-matter-date"} <= rules, report(found)
    # No full text, no comments link, nulls in the JSON Feed.
    assert {"full-content", "comments-url", "json-null"} <= rules, report(found)
    # Pictures addressed from the site root instead of where the blog puts them.
    assert "picture" in rules, report(found)


# -- The real site --------------------------------------------------------------------------------


def test_every_feed_in_the_site_follows_the_feed_rules(built_site: Path) -> None:
    assert rss_feeds(built_site) and json_feeds(built_site)
    found = every_violation(built_site, REPO / "docs", FEED_ITEMS)
    assert found == [], report(found)


def test_there_is_a_feed_for_the_site_each_council_and_each_category(built_site: Path) -> None:
    posts = [front_matter(p) for p in (REPO / "docs/blog/posts").glob("*.md")]
    categories = {slug(p["categories"][0]) for p in posts}
    expected = {"feed.xml"} | {f"councils/{c}/feed.xml" for c in COUNCILS}
    expected |= {f"blog/category/{c}/feed.xml" for c in categories}
    found = {p.relative_to(built_site).as_posix() for p in rss_feeds(built_site)}
    assert found == expected
    json_found = {p.relative_to(built_site).as_posix() for p in json_feeds(built_site)}
    assert json_found == {name.replace(".xml", ".json") for name in expected}


@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_each_council_feed_holds_exactly_that_councils_posts(
    built_site: Path, council_id: str
) -> None:
    posts = [front_matter(p) for p in (REPO / "docs/blog/posts").glob("*.md")]
    expected = sorted(p["title"] for p in posts if p["council"] == council_id)
    feed = built_site / "councils" / council_id / "feed.xml"
    assert sorted(i.title for i in rss_items(feed)) == expected
    assert sorted(i.title for i in json_items(feed.with_suffix(".json"))) == expected
    channel = etree.parse(str(feed)).getroot().find("channel")
    assert channel is not None
    assert COUNCILS[council_id]["name"] in (channel.findtext("title") or "")
    assert channel.findtext("link") == f"{SITE_URL}councils/{council_id}/"


def test_the_rules_see_a_feed_that_mixes_councils(built_site: Path, tmp_path: Path) -> None:
    """A council feed with another council's post in it is reported."""
    feed = built_site / "councils" / "coventry" / "feed.xml"
    other = etree.parse(str(built_site / "councils" / "leeds" / "feed.xml"))
    tree = etree.parse(str(feed))
    channel = tree.getroot().find("channel")
    assert channel is not None
    channel.append(other.getroot().find("channel/item"))
    mixed = tmp_path / "feed.xml"
    tree.write(str(mixed))
    posts = posts_for_page(expected_posts(REPO / "docs", built_site), "councils/coventry/")
    found = post_violations("mixed", rss_items(mixed), posts, FEED_ITEMS, is_rss=True)
    assert [v.rule for v in found] == ["post-list"]


def test_feeds_are_the_newest_posts_first_and_cut_to_the_set_length(
    built_site: Path, tmp_path: Path
) -> None:
    """With ``feed_items: 2`` every feed holds its two newest posts (checked by post-list)."""
    project = make_project(tmp_path / "project")
    edit_config(project, lambda config: config["extra"]["hub"].update(feed_items=2))
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    items = rss_items(build.site / "feed.xml")
    assert len(items) == 2
    dates = [i.published for i in rss_items(built_site / "feed.xml")]
    assert dates == sorted(dates, key=lambda d: d or dt.datetime.min, reverse=True)
    found = every_violation(build.site, project / "docs", 2)
    assert found == [], report(found)


# -- Links to the feeds ---------------------------------------------------------------------------


def html_pages(site: Path) -> list[Path]:
    return [*sorted(site.rglob("index.html")), site / "404.html"]


def page_url(site: Path, page: Path) -> str:
    if page.name == "404.html":
        return SITE_URL + "404.html"
    return SITE_URL + page.parent.relative_to(site).as_posix().removeprefix(".") + "/"


def test_every_page_links_the_site_feed_and_its_own(built_site: Path) -> None:
    site_feeds = {SITE_URL + "feed.xml", SITE_URL + "feed.json"}
    for page in html_pages(built_site):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        base = page_url(built_site, page).replace("404.html", "")
        links = {
            (link.get("type"), urljoin(base, link.get("href")))
            for link in doc.xpath("//head/link[@rel='alternate']")
        }
        hrefs = {href for _, href in links}
        where = page.relative_to(built_site)
        assert site_feeds <= hrefs, f"{where} does not link the site feed"
        for kind, href in links:
            assert (built_site / href.removeprefix(SITE_URL)).is_file(), f"{where}: {href}"
            assert kind in {"application/rss+xml", "application/feed+json"}
            # The theme's script asks for the sitemap beside each feed a page links.
            sitemap = urljoin(href, "sitemap.xml").removeprefix(SITE_URL)
            assert (built_site / sitemap).is_file(), f"{where}: no {sitemap}"
        rel = page.parent.relative_to(built_site).as_posix()
        if re.fullmatch(r"councils/[a-z-]+|blog/category/[a-z-]+", rel):
            own = {f"{SITE_URL}{rel}/feed.xml", f"{SITE_URL}{rel}/feed.json"}
            assert own <= hrefs, f"{where} does not link its own feed"
            sitemap = (built_site / rel / "sitemap.xml").read_text(encoding="utf-8")
            assert f"<loc>{SITE_URL}{rel}/</loc>" in sitemap, f"{where}: not in its sitemap"
        elif re.fullmatch(r"blog/\d{4}/\d\d/\d\d/[^/]+", rel):
            extra = hrefs - site_feeds
            assert len(extra) == 2, f"{where} should link its council's feed: {links}"
            assert all(h.startswith(f"{SITE_URL}councils/") for h in extra), where
        else:
            assert len(links) == 2, f"{where} links feeds that are not its own: {links}"


@pytest.mark.parametrize("path", POST_FILES, ids=lambda p: p.stem)
def test_each_post_page_announces_its_councils_feed(built_site: Path, path: Path) -> None:
    """In the head, for feed readers, and in the Subscribe band beside the site feed's link."""
    meta = front_matter(path)
    if meta.get("draft"):
        pytest.skip("a draft has no page")
    folder, doc = find_post_page(built_site, meta["title"])
    council = COUNCILS[meta["council"]]
    expected = built_site / "councils" / meta["council"] / "feed.xml"
    url = SITE_URL + folder.relative_to(built_site).as_posix() + "/"
    heads = [
        link
        for link in doc.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']")
        if council["name"] in link.get("title", "")
    ]
    assert len(heads) == 1, f"no feed of {council['name']} in the head"
    target = built_site / urljoin(url, heads[0].get("href")).removeprefix(SITE_URL)
    assert target.resolve() == expected.resolve() and target.is_file()
    assert etree.parse(str(target)).findtext("channel/title").endswith(council["name"])
    band = doc.xpath("//aside[@aria-label='Subscribe']//a[contains(@href, 'feed.xml')]")
    texts = {" ".join(a.text_content().split()): a.get("href") for a in band}
    own = texts.get(f"Subscribe to posts from {council['name']} (RSS feed)")
    assert own == heads[0].get("href"), texts
    assert "Subscribe to all posts (RSS feed)" in texts


def test_every_page_shows_a_subscribe_link_with_an_icon_and_a_line_about_rss(
    built_site: Path,
) -> None:
    for page in html_pages(built_site):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site)
        band = doc.xpath("//aside[@aria-label='Subscribe']")
        assert len(band) == 1, where
        links = band[0].xpath(".//a[contains(@href, 'feed.xml')]")
        assert links, where
        for link in links:
            assert link.xpath(".//svg"), f"{where}: the Subscribe link has no icon"
            assert " ".join(link.text_content().split()).startswith("Subscribe to "), where
        assert "RSS" in band[0].xpath("string(.//p)"), f"{where}: no line explaining RSS"
    council = lxml.html.fromstring((built_site / "councils/leeds/index.html").read_text())
    texts = [" ".join(a.text_content().split()) for a in council.xpath("//aside//a")]
    assert "Subscribe to posts from Leeds City Council (RSS feed)" in texts


def test_the_about_page_lists_every_feed_address(built_site: Path) -> None:
    doc = lxml.html.fromstring((built_site / "about" / "index.html").read_text(encoding="utf-8"))
    hrefs = set(doc.xpath("//article//a/@href"))
    for path in rss_feeds(built_site) + json_feeds(built_site):
        assert feed_url(built_site, path) in hrefs
    assert doc.get_element_by_id("subscribe") is not None


# -- Drafts and posts without comments ------------------------------------------------------------


def test_drafts_never_appear_in_a_feed(variant_site: Build) -> None:
    assert variant_site.returncode == 0, variant_site.output
    site = variant_site.site
    for path in rss_feeds(site):
        assert DRAFT_TITLE not in [i.title for i in rss_items(path)], path
    for path in json_feeds(site):
        assert DRAFT_TITLE not in [i.title for i in json_items(path)], path
    assert post_page(site, DRAFT_TITLE) is None
    found = every_violation(site, site.parent / "docs", FEED_ITEMS)
    assert found == [], report(found)


def test_a_post_with_comments_false_has_no_comments_element(variant_site: Build) -> None:
    site = variant_site.site
    feeds = [site / "feed.xml", site / "councils/leeds/feed.xml"]
    for path in feeds:
        items = {i.title: i for i in rss_items(path)}
        assert items[NO_COMMENTS_TITLE].comments is None
        others = [i for title, i in items.items() if title != NO_COMMENTS_TITLE]
        assert all(i.comments == i.guid + "#comments" for i in others)


def test_feed_dates_are_the_front_matter_dates() -> None:
    """A check on the check: a build date in place of the post's date is reported."""
    post = ExpectedPost("A title", dt.date(2012, 3, 7), "D", (), True, "")
    item_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    from feed_rules import FeedItem

    item = FeedItem("A title", item_date, "D", (), "g#comments", "", "g")
    assert [v.rule for v in post_violations("f", [item], [post], 20, True)] == ["front-matter-date"]
