"""The rules a published feed must meet, as checks on a built site's files.

RSS rules follow what the W3C Feed Validation Service reports as an error or a warning for an
RSS 2.0 feed; JSON rules follow JSON Feed 1.1. The post rules check a feed against the posts'
front matter (dates, descriptions, comments, drafts), which a validator cannot know.

Every check returns a list of ``Violation``; an empty list means the feed passes. The same checks
run on mkdocs-rss-plugin's default output (which must break them) and on the real site's feeds
(which must not).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"atom": ATOM, "content": CONTENT, "dc": DC}

# RFC 822 dates as RSS 2.0 uses them (four-digit year), with an offset or a named zone.
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d{2}:\d{2}(:\d{2})? ([+-]\d{2}[03]0|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$"
)
# A full URI made only of the characters a URI may hold (RFC 2396); http(s) needs a host.
FULL_URI = re.compile(r"^[a-zA-Z][0-9a-zA-Z+\-.]*:(//)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+$")
ABSOLUTE_REF = re.compile(r"^\w+:")
EMAIL_WITH_NAME = re.compile(r"^[\w.+'-]+@([\w-]+\.)+[\w-]+ \(.+\)$")
MIME_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
IMAGE_SUFFIXES = (".gif", ".jpeg", ".jpg", ".png")

CHANNEL_ELEMENTS = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
    "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
    "rating", "textInput", "skipHours", "skipDays", "item",
}  # fmt: skip
ITEM_ELEMENTS = {
    "title", "link", "description", "author", "category", "comments", "enclosure", "guid",
    "pubDate", "source",
}  # fmt: skip
SINGLE_CHANNEL_ELEMENTS = CHANNEL_ELEMENTS - {"category", "item"}
SINGLE_ITEM_ELEMENTS = ITEM_ELEMENTS - {"category"}

# HTML elements and attributes the validator accepts inside descriptions and content; anything
# else is reported as a security risk (scripts, styles, frames, plug-ins) or as not HTML (SVG).
SAFE_ELEMENTS = {
    "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "big",
    "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del",
    "details", "dfn", "dir", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "font",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins", "kbd", "label",
    "li", "main", "map", "mark", "menu", "meter", "nav", "ol", "p", "picture", "pre", "progress",
    "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span", "strike", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track",
    "tt", "u", "ul", "var", "video", "wbr",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "abbr", "align", "alt", "border", "cellpadding", "cellspacing", "cite", "class", "colspan",
    "datetime", "dir", "headers", "height", "href", "hreflang", "id", "lang", "loading",
    "longdesc", "name", "open", "poster", "preload", "rel", "rev", "reversed", "rowspan", "scope",
    "sizes", "span", "src", "srcset", "start", "summary", "tabindex", "target", "title", "type",
    "valign", "width",
}  # fmt: skip


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: [{self.rule}] {self.message}"


class _Report:
    def __init__(self, where: str) -> None:
        self.where = where
        self.found: list[Violation] = []

    def add(self, rule: str, message: str, where: str = "") -> None:
        self.found.append(Violation(rule, f"{self.where}{where}", message))


# -- Shared checks --------------------------------------------------------------------------------


def _full_uri(report: _Report, rule: str, value: str | None, what: str, where: str = "") -> None:
    value = (value or "").strip()
    if not FULL_URI.match(value):
        report.add(rule, f"{what} must be a full URL of plain URL characters: {value!r}", where)
    elif value.lower().startswith(("http:", "https:")) and not re.match(r"^\w+://[^/]", value):
        report.add(rule, f"{what} must name a host: {value!r}", where)


def check_html(report: _Report, html: str, what: str, where: str) -> None:
    """Descriptions and content: safe HTML only, every link and image address absolute."""
    if not html.strip():
        return
    try:
        holder = lxml.html.fragment_fromstring(html, create_parent="div")
    except etree.ParserError as exc:
        report.add("html", f"{what} is not HTML: {exc}", where)
        return
    for element in holder.iter(etree.Element):
        if element is holder:
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in SAFE_ELEMENTS:
            report.add("unsafe-html", f"{what} contains <{tag}>", where)
        for name in element.attrib:
            if name not in SAFE_ATTRIBUTES and not name.startswith("data-"):
                report.add("unsafe-html", f"{what} has a {name!r} attribute on <{tag}>", where)
        for name in ("href", "src"):
            ref = (element.get(name) or "").strip()
            if name in element.attrib and not ABSOLUTE_REF.match(ref):
                report.add("relative-url", f"{what} has a relative {name}: {ref!r}", where)
        for candidate in (element.get("srcset") or "").split(","):
            ref = candidate.strip().split(" ")[0]
            if ref and not ABSOLUTE_REF.match(ref):
                report.add("relative-url", f"{what} has a relative srcset: {ref!r}", where)


def _rfc822(report: _Report, value: str | None, what: str, where: str, now: dt.datetime) -> None:
    value = (value or "").strip()
    if not RFC822.match(value):
        report.add("rfc822-date", f"{what} must be an RFC 822 date: {value!r}", where)
        return
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.tzinfo is None:  # "-0000": UTC, zone unknown
        parsed = parsed.replace(tzinfo=dt.UTC)
    if parsed.strftime("%a") != value[:3]:
        report.add("rfc822-date", f"{what} names the wrong day of the week: {value!r}", where)
    if parsed.year < 1990 or parsed > now + dt.timedelta(minutes=10):
        report.add("implausible-date", f"{what} is before 1990 or in the future: {value!r}", where)


# -- RSS 2.0 --------------------------------------------------------------------------------------


def rss_violations(path: Path, feed_url: str, now: dt.datetime | None = None) -> list[Violation]:
    """What the W3C Feed Validation Service would report for the RSS 2.0 feed at ``path``."""
    now = now or dt.datetime.now(dt.UTC)
    report = _Report(path.name)
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as exc:
        report.add("well-formed", f"not well-formed XML: {exc}")
        return report.found
    if root.tag != "rss" or root.get("version") != "2.0":
        report.add("rss-version", "the root must be <rss version='2.0'>")
        return report.found
    channel = root.find("channel")
    if channel is None:
        report.add("channel-required", "no <channel>")
        return report.found
    _check_channel(report, channel, feed_url, now)
    guids: set[str] = set()
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f" item {number} ({item.findtext('title')!r})"
        _check_item(report, item, where, now, guids)
    return report.found


def _children(parent: etree._Element) -> list[str]:
    return [c.tag for c in parent if isinstance(c.tag, str)]


def _check_channel(report: _Report, channel: Any, feed_url: str, now: dt.datetime) -> None:
    tags = _children(channel)
    for tag in ("title", "link", "description"):
        if not (channel.findtext(tag) or "").strip():
            report.add("channel-required", f"the channel needs a non-empty <{tag}>")
    for tag in set(tags):
        if not tag.startswith("{") and tag not in CHANNEL_ELEMENTS:
            report.add("unknown-element", f"<{tag}> is not an RSS 2.0 channel element")
        if tag in SINGLE_CHANNEL_ELEMENTS and tags.count(tag) > 1:
            report.add("duplicate-element", f"the channel has more than one <{tag}>")
    _full_uri(report, "channel-link", channel.findtext("link"), "the channel <link>")
    if channel.findtext("description") and "</" in channel.findtext("description"):
        report.add("channel-required", "the channel <description> should not contain HTML")
    if not channel.findtext("language"):
        report.add("channel-language", "the channel should name its <language>")
    selfs = channel.findall("atom:link[@rel='self']", NS)
    if len(selfs) != 1:
        report.add("self-link", f'the channel needs one atom:link rel="self" ({len(selfs)} found)')
    for link in selfs:
        if link.get("href") != feed_url:
            report.add("self-link", f"atom:link rel=self is {link.get('href')!r}, not {feed_url!r}")
        if link.get("type") != "application/rss+xml":
            report.add("self-link", "atom:link rel=self must have type application/rss+xml")
    image = channel.find("image")
    if image is not None:
        url = (image.findtext("url") or "").strip()
        _full_uri(report, "channel-image", url, "the channel image <url>")
        if not url.lower().endswith(IMAGE_SUFFIXES):
            report.add("channel-image", f"the channel image must be GIF, JPEG or PNG: {url!r}")
        if image.findtext("title") != channel.findtext("title"):
            report.add("channel-image", "the channel image's title must be the channel's title")
        if image.findtext("link") != channel.findtext("link"):
            report.add("channel-image", "the channel image's link must be the channel's link")
    for tag in ("pubDate", "lastBuildDate"):
        if channel.find(tag) is not None:
            _rfc822(report, channel.findtext(tag), f"the channel <{tag}>", "", now)
    ttl = channel.findtext("ttl")
    if ttl is not None and not (ttl.isdigit() and int(ttl) > 0):
        report.add("channel-ttl", f"<ttl> must be a positive whole number: {ttl!r}")
    for tag in ("managingEditor", "webMaster"):
        value = channel.findtext(tag)
        if value is not None and not EMAIL_WITH_NAME.match(value.strip()):
            report.add("author-email", f"<{tag}> must be 'address (Name)': {value!r}")


def _check_item(report: _Report, item: Any, where: str, now: dt.datetime, guids: set[str]) -> None:
    tags = _children(item)
    for tag in set(tags):
        if not tag.startswith("{") and tag not in ITEM_ELEMENTS:
            report.add("unknown-element", f"<{tag}> is not an RSS 2.0 item element", where)
        if tag in SINGLE_ITEM_ELEMENTS | {f"{{{CONTENT}}}encoded"} and tags.count(tag) > 1:
            report.add("duplicate-element", f"the item has more than one <{tag}>", where)
    title = item.findtext("title") or ""
    if not title.strip():
        report.add("item-required", "the item needs a non-empty <title>", where)
    if "</" in title:
        report.add("item-required", "the item <title> should not contain HTML", where)
    if item.find("description") is None:
        report.add("item-required", "the item needs a <description>", where)
    _full_uri(report, "item-link", item.findtext("link"), "the item <link>", where)
    guid = item.find("guid")
    if guid is None:
        report.add("guid", "the item should have a <guid>", where)
    else:
        value = (guid.text or "").strip()
        if guid.get("isPermaLink", "true") == "true":
            _full_uri(report, "guid", value, "a permalink <guid>", where)
            if value != (item.findtext("link") or "").strip():
                report.add("guid", "the permalink <guid> should be the item's <link>", where)
        if value in guids:
            report.add("guid-unique", f"the guid {value!r} is used twice", where)
        guids.add(value)
    _rfc822(report, item.findtext("pubDate"), "the item <pubDate>", where, now)
    authors = item.findall("author")
    creators = item.findall("dc:creator", NS)
    if authors and creators:
        report.add("author-email", "an item must not have both <author> and dc:creator", where)
    for author in authors:
        if not EMAIL_WITH_NAME.match((author.text or "").strip()):
            report.add("author-email", f"<author> must be 'address (Name)': {author.text!r}", where)
    if not authors and not creators:
        report.add("creator", "the item names no author (<author> or dc:creator)", where)
    for category in item.findall("category"):
        if not (category.text or "").strip() or "</" in (category.text or ""):
            report.add("category", "a <category> must be plain, non-empty text", where)
    if item.find("comments") is not None:
        _full_uri(report, "comments-url", item.findtext("comments"), "<comments>", where)
    for enclosure in item.findall("enclosure"):
        url = enclosure.get("url") or ""
        if not re.match(r"^https?://[^/]", url):
            report.add("enclosure", f"the enclosure url must be a full http(s) URL: {url!r}", where)
        if not (enclosure.get("length") or "").isdigit():
            report.add(
                "enclosure",
                f"the enclosure length must be a number: {enclosure.get('length')!r}",
                where,
            )
        if not MIME_TYPE.match(enclosure.get("type") or ""):
            report.add("enclosure", "the enclosure type must be a media type", where)
    source = item.find("source")
    if source is not None:
        _full_uri(report, "source", source.get("url"), "the <source> url", where)
    check_html(report, item.findtext("description") or "", "the <description>", where)
    encoded = item.find("content:encoded", NS)
    if encoded is not None:
        check_html(report, encoded.text or "", "content:encoded", where)
        if "description" not in tags[: tags.index(encoded.tag)]:
            report.add("content-order", "content:encoded must come after <description>", where)


# -- JSON Feed 1.1 --------------------------------------------------------------------------------


def _nulls(value: Any, path: str = "") -> Iterable[str]:
    if value is None:
        yield path or "(feed)"
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _nulls(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for number, child in enumerate(value):
            yield from _nulls(child, f"{path}[{number}]")


def json_violations(path: Path, feed_url: str) -> list[Violation]:
    """What breaks JSON Feed 1.1 in the feed at ``path``."""
    report = _Report(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        report.add("json", f"not JSON: {exc}")
        return report.found
    if data.get("version") != "https://jsonfeed.org/version/1.1":
        report.add("json-version", f"version must be JSON Feed 1.1: {data.get('version')!r}")
    for where in _nulls(data):
        report.add("json-null", f"{where} is null: leave out what is unknown")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        report.add("json-required", "the feed needs a title")
    _full_uri(report, "json-url", data.get("home_page_url"), "home_page_url")
    if data.get("feed_url") != feed_url:
        report.add("self-link", f"feed_url is {data.get('feed_url')!r}, not {feed_url!r}")
    if not isinstance(data.get("language", ""), str) or data.get("language") == "None":
        report.add("json-required", f"language must be a language code: {data.get('language')!r}")
    ids: set[str] = set()
    for number, item in enumerate(data.get("items") or [], start=1):
        where = f" item {number} ({item.get('title')!r})"
        if not isinstance(item.get("id"), str) or not item["id"]:
            report.add("json-required", "the item needs an id", where)
        elif item["id"] in ids:
            report.add("guid-unique", f"the id {item['id']!r} is used twice", where)
        ids.add(str(item.get("id")))
        _full_uri(report, "item-link", item.get("url"), "the item url", where)
        if not item.get("content_html") and not item.get("content_text"):
            report.add("json-required", "the item needs content_html or content_text", where)
        for key in ("date_published", "date_modified"):
            if key in item:
                try:
                    parsed = dt.datetime.fromisoformat(str(item[key]))
                except ValueError:
                    parsed = None
                if parsed is None or parsed.tzinfo is None:
                    report.add("json-date", f"{key} must be an RFC 3339 date-time", where)
        for author in item.get("authors") or []:
            if not isinstance(author, dict) or not author.get("name"):
                report.add("creator", "each author needs a name", where)
        if not all(isinstance(t, str) and t.strip() for t in item.get("tags") or []):
            report.add("category", "tags must be non-empty text", where)
        if "image" in item:
            _full_uri(report, "enclosure", item.get("image"), "the item image", where)
        check_html(report, str(item.get("content_html") or ""), "content_html", where)
    return report.found


# -- Against the posts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedPost:
    """What a feed must say about one post, from its front matter."""

    title: str
    date: dt.date
    description: str
    categories: tuple[str, ...]
    comments: bool
    first_paragraph: str  # the start of the post's body as the built page shows it


@dataclass(frozen=True)
class FeedItem:
    title: str
    published: dt.datetime | None
    description: str
    categories: tuple[str, ...]
    comments: str | None
    content: str
    guid: str


def rss_items(path: Path) -> list[FeedItem]:
    root = etree.parse(str(path)).getroot()
    items = []
    for item in root.iterfind("channel/item"):
        date = item.findtext("pubDate")
        items.append(
            FeedItem(
                title=item.findtext("title") or "",
                published=email.utils.parsedate_to_datetime(date) if date else None,
                # An RSS description is HTML: the text a reader shows is what it decodes to.
                description=html.unescape(item.findtext("description") or ""),
                categories=tuple(c.text or "" for c in item.findall("category")),
                comments=item.findtext("comments"),
                content=item.findtext("content:encoded", namespaces=NS) or "",
                guid=item.findtext("guid") or "",
            )
        )
    return items


def json_items(path: Path) -> list[FeedItem]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        FeedItem(
            title=str(item.get("title", "")),
            published=dt.datetime.fromisoformat(item["date_published"])
            if item.get("date_published")
            else None,
            description=str(item.get("summary", "")),
            categories=tuple(item.get("tags") or ()),
            comments=None,
            content=str(item.get("content_html", "")),
            guid=str(item.get("id", "")),
        )
        for item in data.get("items") or []
    ]


def _text(html: str) -> str:
    if not html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def post_violations(
    name: str, items: list[FeedItem], expected: list[ExpectedPost], limit: int, is_rss: bool
) -> list[Violation]:
    """The feed holds exactly the newest ``limit`` of ``expected`` (newest first), as published."""
    report = _Report(name)
    want = [p.title for p in expected][:limit]
    got = [i.title for i in items]
    if got != want:
        report.add("post-list", f"the feed holds {got}, not {want} (newest first)")
    by_title = {p.title: p for p in expected}
    for item in items:
        where = f" ({item.title!r})"
        post = by_title.get(item.title)
        if post is None:
            continue
        if item.published is None or item.published.date() != post.date:
            report.add("front-matter-date", f"published {item.published}, not {post.date}", where)
        if item.description != post.description:
            report.add("description", "the description is not the front-matter description", where)
        for category in post.categories:
            if category not in item.categories:
                report.add("category", f"{category!r} is missing from the categories", where)
        if post.first_paragraph not in _text(item.content):
            report.add("full-content", "the item does not hold the whole post", where)
        if is_rss and post.comments and item.comments != item.guid + "#comments":
            report.add(
                "comments-url", f"<comments> is {item.comments!r}, not the post's #comments", where
            )
        if is_rss and not post.comments and item.comments is not None:
            report.add(
                "comments-url", "the post has comments: false but the item has <comments>", where
            )
    return report.found
