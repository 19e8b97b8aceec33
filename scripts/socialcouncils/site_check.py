"""The built site: every picture a page or feed shows is there, and nothing unsafe reaches readers.

Checked in every generated HTML page (posts, the blog index, archive, category, tag, author and
council pages, where excerpts and cards carry a post's pictures to another address): each
``<img src>``, ``srcset``, ``<source srcset>`` and ``og:image``/``twitter:image`` must be a file in
the built site or an absolute http(s) address; an address on the site's own ``site_url`` counts
as a file and must exist. In every feed (RSS or Atom ``*.xml``, JSON Feed ``*.json``), each picture
(enclosures, media elements, the feed's logo, pictures in item HTML) must be an absolute address,
and one on the site's own address must exist. Page content (Material's content area, not the
theme around it) and item HTML must pass the rules in ``markup``.

Each page and feed is read once, with lxml (or json); nothing is re-read per page. Problems name
the built file and line, and the source the broken address came from (the post an excerpt or feed
item belongs to, ``.authors.yml`` for avatars); that map from addresses to sources is only built
when there is a problem to explain.

A page is checked in two steps. ``scan_page`` reads what the page shows from its HTML alone (its
pictures, where each comes from, and any unsafe markup); the site check then judges those
pictures against the files of the whole site. The first step needs nothing but the page, so a
build can scan each page as soon as it is rendered (``page_scanner``) and hand the scans to the
check; any page without a scan is read here from disk.

| code   | meaning |
| ------ | ------- |
| IMG040 | a page or feed shows a picture that is not in the built site (or an address that is not a file or an http(s) address) |
| IMG041 | a feed gives a picture a relative address, which feed readers cannot follow |
| HTML001–HTML006 | unsafe markup in page content or feed item HTML (see ``markup``) |
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .external_images import ExternalUse, OnlineSettings, check_uses
from .markup import SUSPECTS_XPATH, Finding, check_tag, srcset_urls, suspect_elements
from .problems import Problem
from .project import Project, is_markdown

SITE_CODES: dict[str, str] = {
    "IMG040": "a picture that is not in the built site",
    "IMG041": "a relative picture address in a feed",
}
OK, EXTERNAL, BROKEN, NOT_A_FILE = "ok", "external", "broken", "not a file"
IMAGE_META = frozenset(
    {"og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"}
)
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
HTML_PARSER = etree.HTMLParser(collect_ids=False)
SUSPECTS = etree.XPath(SUSPECTS_XPATH)
# The links of a post excerpt that lead to its post.
EXCERPT_LINKS = etree.XPath(
    ".//a[contains(@class, 'toclink')]/@href | .//nav[contains(@class, 'md-post__action')]//a/@href"
)
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
)

FEED_HINT = "the feed is written by the build: check the feed plugin's settings in mkdocs.yml"
Sources = Callable[[], dict[str, str]]
# Reads many built pages at once (site folder, paths in it, allowed embed hosts) -> each page's
# scan by path; pages it leaves out are read one by one.
PageReader = Callable[[Path, list[str], tuple[str, ...]], Mapping[str, "PageScan | None"]]


@dataclass(frozen=True)
class Origin:
    """Where an element of a page comes from, as its ancestors tell: the links of the post excerpt
    it sits in (the first that leads to a known source wins), else the authors file if it sits in
    an author's card, else the page's own source."""

    links: tuple[str, ...] = ()
    authors: bool = False


@dataclass(frozen=True)
class PageImage:
    what: str
    url: str
    line: int
    origin: Origin


@dataclass(frozen=True)
class PageMarkup:
    line: int
    finding: Finding
    origin: Origin


@dataclass(frozen=True)
class PageScan:
    """What one built page shows, read from its HTML alone."""

    images: tuple[PageImage, ...]
    markup: tuple[PageMarkup, ...]


def scan_page(html: bytes, hosts: Iterable[str]) -> PageScan | None:
    """Read a built page (None if it is no HTML document): every picture it shows, and unsafe
    markup in its content (Material's content area, not the theme around it)."""
    try:
        doc = etree.fromstring(html, HTML_PARSER)
    except etree.ParserError:
        return None
    if doc is None:
        return None
    images = [
        PageImage(what, url, element.sourceline or 1, _origin(element))
        for element in doc.iter("img", "source", "meta")
        for what, url in _page_images(element)
    ]
    content = doc.find(".//div[@data-md-component='content']")
    if content is None:
        content = doc.find("body")
    markup = [
        PageMarkup(element.sourceline or 1, finding, _origin(element))
        for element, finding in _unsafe(content, hosts)
    ]
    return PageScan(tuple(images), tuple(markup))


def _origin(element: Any) -> Origin:
    links: list[str] = []
    for ancestor in element.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if "md-author" in classes or "md-profile__description" in classes:
            return Origin(tuple(links), authors=True)
        if ancestor.tag == "article" and "md-post--excerpt" in classes:
            links += map(str, EXCERPT_LINKS(ancestor))
    return Origin(tuple(links))


def _unsafe(tree: Any, hosts: Iterable[str]) -> Iterator[tuple[Any, Finding]]:
    """Each element of ``tree`` with unsafe markup, with what is wrong with it."""
    if tree is None:
        return
    for element in suspect_elements(SUSPECTS(tree)):
        assert isinstance(element, etree._Element)
        for finding in check_tag(element.tag, element.items(), hosts):
            yield element, finding


@dataclass
class SiteReport:
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    external: list[ExternalUse] = field(default_factory=list)


def page_url(rel: str) -> str:
    """The address a built file is served at, relative to the site root ('' for the home page)."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def source_pages(project: Project, post_sources: dict[str, str]) -> dict[str, str]:
    """Address -> source file for every Markdown page under docs/ (posts from ``post_sources``)."""
    found: dict[str, str] = {}
    posts_dir = str(project.posts_dir)
    pages = []
    for folder, folders, names in os.walk(project.docs_dir):
        if folder == posts_dir:
            folders.clear()  # the posts' addresses are given
            continue
        pages += [Path(folder, name) for name in names if is_markdown(name)]
    for path in pages:
        rel = posixpath.splitext(path.relative_to(project.docs_dir).as_posix())[0]
        stem = posixpath.basename(rel)
        if stem in ("index", "README"):
            url = posixpath.dirname(rel)
            url = url + "/" if url else ""
        elif project.use_directory_urls:
            url = rel + "/"
        else:
            url = rel + ".html"
        found[url] = project.display(path)
    found.update(post_sources)
    return found


class SiteChecker:
    """One run over a built site. ``sources`` is called at most once, when a problem or a feed
    item first needs to name a source file."""

    def __init__(
        self,
        project: Project,
        site_dir: Path,
        sources: Sources | None = None,
        hosts: Iterable[str] | None = None,
    ) -> None:
        self.project = project
        self.site_dir = site_dir
        self.hosts = list(project.hub["embed_hosts"] or []) if hosts is None else list(hosts)
        self._sources_factory = sources
        self._sources: dict[str, str] | None = None
        site = urlsplit(project.site_url)
        self.site_host = (site.hostname or "").lower()
        self.site_prefix = site.path if site.path.endswith("/") else site.path + "/"
        self.files: set[str] = set()
        self.report = SiteReport()

    # -- Where things come from ---------------------------------------------------------------

    def source_for(self, url: str) -> str | None:
        if self._sources is None:
            self._sources = self._sources_factory() if self._sources_factory else {}
        return self._sources.get(url)

    def shown(self, path: Path) -> str:
        return self.project.display(path)

    # -- Addresses ----------------------------------------------------------------------------

    def locate(self, url: str, base_dir: str) -> tuple[str, str]:
        """Classify an address used from folder ``base_dir``: (OK|EXTERNAL|BROKEN|NOT_A_FILE, path)."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            if not self.site_host or (parts.hostname or "").lower() != self.site_host:
                return EXTERNAL, url
            path = unquote(parts.path)
            if not path.startswith(self.site_prefix):
                return BROKEN, path
            rel = path[len(self.site_prefix) :]
        elif parts.scheme or parts.netloc or not parts.path:
            return NOT_A_FILE, url
        elif parts.path.startswith("/"):
            path = unquote(parts.path)
            if not path.startswith(self.site_prefix):
                return BROKEN, path
            rel = path[len(self.site_prefix) :]
        else:
            rel = posixpath.join(base_dir, unquote(parts.path))
        rel = posixpath.normpath(rel) if rel else rel
        if not rel or rel == ".." or rel.startswith("../"):
            return BROKEN, rel
        return (OK if rel in self.files else BROKEN), rel

    # -- The run ------------------------------------------------------------------------------

    def run(
        self,
        scans: Mapping[str, PageScan | None] | None = None,
        read_pages: PageReader | None = None,
    ) -> SiteReport:
        """Check every page and feed; ``scans`` are pages already read with ``scan_page``, by
        path in the site, and ``read_pages`` reads the others all at once."""
        scans = scans or {}
        pages: list[str] = []
        feeds: list[str] = []
        root = str(self.site_dir)
        for folder, _, names in os.walk(root):
            rel_folder = os.path.relpath(folder, root)
            for name in names:
                rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
                self.files.add(rel)
                if name.endswith(".html"):
                    pages.append(rel)
                elif name.endswith((".xml", ".json")):
                    feeds.append(rel)
        pages.sort()
        unread = [rel for rel in pages if rel not in scans]
        if read_pages is not None and unread:
            scans = {**scans, **read_pages(self.site_dir, unread, tuple(self.hosts))}
        for rel in pages:
            if rel in scans:
                self.check_scan(rel, scans[rel])
            else:
                self.check_page(rel)
        for rel in sorted(feeds):
            self.check_feed_file(rel)
        return self.report

    def add(
        self, path: Path, line: int, code: str, message: str, hint: str, origin: str | None
    ) -> None:
        if origin:
            message = f"{message} (from {origin})"
        self.report.problems.append(Problem(self.shown(path), max(line, 1), 1, code, message, hint))

    # -- Pages --------------------------------------------------------------------------------

    def check_page(self, rel: str) -> None:
        try:
            html = (self.site_dir / rel).read_bytes()
        except OSError:
            return
        self.check_scan(rel, scan_page(html, self.hosts))

    def check_scan(self, rel: str, scan: PageScan | None) -> None:
        """Check one page from what ``scan_page`` read in it (None: it is no HTML document)."""
        if scan is None:
            return
        path = self.site_dir / rel
        self.report.files_checked += 1
        base = posixpath.dirname(rel)
        for image in scan.images:
            self.check_page_image(rel, path, base, image)
        for found in scan.markup:
            finding = found.finding
            self.add(
                path,
                found.line,
                finding.code,
                finding.message,
                finding.hint,
                self.page_origin(rel, found.origin),
            )

    def check_page_image(self, rel: str, path: Path, base: str, image: PageImage) -> None:
        url, what = image.url, image.what
        status, target = self.locate(url, base)
        if status == OK:
            return
        if status == EXTERNAL:
            self.report.external.append(ExternalUse(url, self.shown(path), image.line))
            return
        origin = self.page_origin(rel, image.origin)
        if status == NOT_A_FILE:
            message = f"{what} '{url[:80]}' is not a picture file or an http(s) address"
        else:
            message = f"{what} '{url}' is not in the built site (looked for {target or '/'})"
        self.add(
            path,
            image.line,
            "IMG040",
            message,
            "check the picture's path where it is written; a post's pictures go in its own folder and are written relative to the post",
            origin,
        )

    def page_origin(self, rel: str, origin: Origin) -> str | None:
        """The source of an element of page ``rel``: its excerpt's post, the authors file, or
        the page itself."""
        base = posixpath.dirname(rel)
        for href in origin.links:
            status, target = self.locate(href, base)
            if status != EXTERNAL:
                found = self.source_for(_address(target))
                if found:
                    return found
        if origin.authors:
            return self.shown(self.project.authors_file)
        return self.source_for(page_url(rel))

    def check_unsafe(self, tree: Any, path: Path, origin: str | None, first_line: int) -> None:
        """Unsafe markup in ``tree``; ``first_line`` is the file line of the tree's line 1."""
        for element, finding in _unsafe(tree, self.hosts):
            self.add(
                path,
                first_line + (element.sourceline or 1) - 1,
                finding.code,
                finding.message,
                finding.hint,
                origin,
            )

    # -- Feeds --------------------------------------------------------------------------------

    def check_feed_file(self, rel: str) -> None:
        path = self.site_dir / rel
        try:
            with path.open("rb") as handle:
                head = handle.read(1024)
        except OSError:
            return
        if rel.endswith(".json"):
            if b"jsonfeed.org/version" in head:
                self.check_json_feed(rel, path)
        elif b"<rss" in head or b"<feed" in head:
            self.check_xml_feed(rel, path)

    def feed_item_origin(self, link: str | None) -> str | None:
        if not link:
            return None
        status, target = self.locate(link, "")
        if status in (OK, BROKEN) and target:
            return self.source_for(_address(target))
        return None

    def check_feed_image(
        self, path: Path, line: int, what: str, url: str, origin: str | None
    ) -> None:
        status, target = self.locate(url, "")
        parts = urlsplit(url.strip())
        if not parts.scheme and not parts.netloc:
            self.add(
                path,
                line,
                "IMG041",
                f"{what} '{url}' is a relative address, which feed readers cannot follow",
                "feeds must give pictures their full address, starting with the site's https:// address",
                origin,
            )
        elif status == EXTERNAL:
            self.report.external.append(
                ExternalUse(url, self.shown(path), line, origin=origin or "")
            )
        elif status != OK:
            self.add(
                path,
                line,
                "IMG040",
                f"{what} '{url}' is not in the built site (looked for {target or '/'})",
                "check the picture's path where it is written (for 'image:' in front matter: relative to the post)",
                origin,
            )

    def check_item_html(self, path: Path, line: int, text: str | None, origin: str | None) -> None:
        if not text or "<" not in text:
            return
        try:
            fragment = etree.fromstring(f"<div>{text}</div>", HTML_PARSER).find("body/div")
        except (etree.ParserError, ValueError):
            return
        if fragment is None:
            return
        for element in fragment.iter("img", "source"):
            for what, url in _page_images(element):
                self.check_feed_image(path, line + (element.sourceline or 1) - 1, what, url, origin)
        self.check_unsafe(fragment, path, origin, first_line=line)

    def check_xml_feed(self, rel: str, path: Path) -> None:
        try:
            root = etree.parse(str(path), XML_PARSER).getroot()
        except etree.XMLSyntaxError as exc:
            self.add(
                path,
                exc.lineno or 1,
                "IMG040",
                f"the feed cannot be read: {exc.msg}",
                FEED_HINT,
                None,
            )
            return
        self.report.files_checked += 1
        atom = root.tag == f"{{{NS['atom']}}}feed"
        items = root.findall("atom:entry", NS) if atom else root.findall("channel/item")
        for element in root.xpath("channel/image/url | atom:logo | atom:icon", namespaces=NS):
            self.check_feed_image(
                path, element.sourceline, "the feed's logo", (element.text or "").strip(), None
            )
        for item in items:
            link = (
                item.xpath("string(atom:link[not(@rel) or @rel='alternate']/@href)", namespaces=NS)
                if atom
                else item.findtext("link")
            )
            origin = self.feed_item_origin(link)
            for element, url in _feed_item_images(item):
                self.check_feed_image(path, element.sourceline, "the item's picture", url, origin)
            for element in item.xpath(
                "description | content:encoded | atom:content | atom:summary", namespaces=NS
            ):
                if atom and element.get("type") not in ("html", "xhtml"):
                    continue
                self.check_item_html(path, element.sourceline, element.text, origin)

    def check_json_feed(self, rel: str, path: Path) -> None:
        try:
            raw = path.read_text(encoding="utf-8")
            feed = json.loads(raw)
        except (OSError, ValueError) as exc:
            self.add(path, 1, "IMG040", f"the feed cannot be read: {exc}", FEED_HINT, None)
            return
        if not isinstance(feed, dict):
            return
        self.report.files_checked += 1

        def line_of(value: str) -> int:
            at = raw.find(json.dumps(value)[1:-1])
            return raw.count("\n", 0, at) + 1 if at >= 0 else 1

        for key in ("icon", "favicon"):
            if isinstance(feed.get(key), str):
                self.check_feed_image(path, line_of(feed[key]), "the feed's logo", feed[key], None)
        for item in feed.get("items") or []:
            if not isinstance(item, dict):
                continue
            origin = self.feed_item_origin(item.get("url"))
            for key in ("image", "banner_image"):
                if isinstance(item.get(key), str):
                    self.check_feed_image(
                        path, line_of(item[key]), "the item's picture", item[key], origin
                    )
            for attachment in item.get("attachments") or []:
                if (
                    isinstance(attachment, dict)
                    and str(attachment.get("mime_type", "")).startswith("image/")
                    and isinstance(attachment.get("url"), str)
                ):
                    url = attachment["url"]
                    self.check_feed_image(path, line_of(url), "the item's picture", url, origin)
            html = item.get("content_html")
            if isinstance(html, str):
                self.check_item_html(path, line_of(html[:60]) if html else 1, html, origin)


def _address(target: str) -> str:
    """A resolved link target as a page address: 'x/index.html', 'x/' and 'x' are all 'x/'."""
    return page_url(target) if target.endswith(".html") else target.rstrip("/") + "/"


def _page_images(element: Any) -> Iterator[tuple[str, str]]:
    """(what, address) for each picture an element shows."""
    tag = element.tag
    if tag == "meta":
        key = element.get("property") or element.get("name") or ""
        if key.lower() in IMAGE_META and element.get("content") is not None:
            yield f"the preview picture ({key})", element.get("content")
        return
    if tag == "img" and element.get("src") is not None:
        yield "the picture", element.get("src")
    if element.get("srcset"):
        for url in srcset_urls(element.get("srcset")):
            yield "the picture (srcset)", url


def _feed_item_images(item: Any) -> Iterator[tuple[Any, str]]:
    for element in item.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        namespace = etree.QName(element).namespace
        url = None
        if tag == "enclosure" and str(element.get("type", "image/")).startswith("image/"):
            url = element.get("url")
        elif namespace == NS["atom"] and tag == "link" and element.get("rel") == "enclosure":
            if str(element.get("type", "image/")).startswith("image/"):
                url = element.get("href")
        elif namespace == NS["media"] and tag in ("content", "thumbnail"):
            if element.get("medium", "image") == "image" and str(
                element.get("type", "image/")
            ).startswith("image/"):
                url = element.get("url")
        elif namespace == NS["itunes"] and tag == "image":
            url = element.get("href")
        if url is not None:
            yield element, url


def check_site(
    project: Project,
    site_dir: Path,
    sources: Sources | None = None,
    online: bool = False,
    scans: Mapping[str, PageScan | None] | None = None,
    read_pages: PageReader | None = None,
) -> SiteReport:
    """Check a built site; ``sources`` gives address -> source file, asked only on a problem.

    ``scans`` are pages already read with ``scan_page``, by path in the site; ``read_pages``
    reads the rest at once (``page_scanner.read_on_every_core``), else they are read one by one.
    With ``online``, pictures on other websites are asked for too (see ``external_images``).
    """
    report = SiteChecker(project, site_dir, sources).run(scans, read_pages)
    if online:
        report.problems += check_uses(report.external, OnlineSettings.from_project(project))
    return report
