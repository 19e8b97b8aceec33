"""The built site: every picture a page or feed shows is there, no page asks another website for
anything as it loads, and what posts carry to pages, feeds and the search index passes the markup
policy.

Every built page is read as a browser reads it (lexbor, with scripts enabled):

- its pictures (``<img src>``, ``srcset``, ``<source srcset>``, ``og:image``/``twitter:image``)
  must be files of the built site; an address on the site's own ``site_url`` counts as a file;
- everything a browser loads by itself (pictures, scripts, stylesheets, icons, frames, media,
  ``url()`` in styles, a page refresh) must come from the site itself;
- no element anywhere has an event handler or a ``javascript:`` address, and there is no
  ``<base>``;
- a post's body (``hub-post-body``) and each excerpt in a list (``md-post__content``) are what
  the markup policy leaves unchanged.

In every feed (RSS or Atom ``*.xml``, JSON Feed ``*.json``), each picture must be an absolute
address (one on the site's own address must exist) and item HTML must pass the policy; so must
every entry of the search index. Problems name the built file and line, and the source the
broken address came from (the post an excerpt or feed item belongs to, ``.authors.yml`` for
avatars); that map from addresses to sources is only built when there is a problem to explain.

A page is checked in two steps. ``scan_page`` reads what the page shows from its HTML alone; the
site check then judges the pictures and loads against the files of the whole site. The first
step needs nothing but the page, so a build can scan each page as soon as it is rendered
(``page_scanner``) and hand the scans to the check; any page without a scan is read here.

| code   | meaning |
| ------ | ------- |
| IMG040 | a page or feed shows a picture that is not in the built site (or an address that is not a file or an http(s) address) |
| IMG041 | a feed gives a picture a relative address, which feed readers cannot follow |
| HTML020 | a page loads something from another website as it opens (a picture, script, style, frame or refresh) |
| HTML001–HTML011 | post content on a page, in a feed or in the search index that the markup policy would change, or an event handler, ``javascript:`` address or ``<base>`` anywhere on a page (see ``markup``) |
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from socialcouncils.policy.html_changes import changes, normalized
from socialcouncils.content.markup import describe
from socialcouncils.policy.markup_policy import MarkupPolicy, local_address, parse_fragment
from socialcouncils.problems import Problem
from socialcouncils.source.project import Project, is_markdown

SITE_CODES: dict[str, str] = {
    "IMG040": "a picture that is not in the built site",
    "IMG041": "a relative picture address in a feed",
    "HTML020": "a page that loads something from another website as it opens",
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
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
)
# What a browser fetches by itself, as soon as the page loads: element -> its address attributes.
LOADS: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "script": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
LOADED_LINKS = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "prefetch"}
    | {"dns-prefetch", "preconnect", "manifest", "mask-icon", "prerender"}
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "ping"}
    | {"xlink:href", "codebase", "longdesc", "manifest"}
)
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I | re.S)
REFRESH_URL_RE = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.I)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")
# Where a post's content sits in a built page: a post's body, each excerpt in a list, and each
# of its archived responses (``responses_html``).
POST_CONTENT = ".hub-post-body, .md-post__content, .hub-response__text"
# Parts of those that the hub writes after the policy: embeds waiting for a click, and the
# excerpt's "Continue reading" link.
HUB_PARTS = ".hub-embed, nav.md-post__action"

FEED_HINT = "the feed is written by the build: check the feed plugin's settings in mkdocs.yml"
LOAD_HINT = "save the file in the site (a picture in the post's folder) and point to it there"
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
    origin: Origin


@dataclass(frozen=True)
class PageLoad:
    """Something the page fetches by itself as it loads."""

    what: str
    url: str


@dataclass(frozen=True)
class PageMarkup:
    """Markup that must not be on a page. ``needle`` is text of it to find its line by."""

    code: str
    message: str
    hint: str
    needles: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class PageScan:
    """What one built page shows and loads, read from its HTML alone."""

    images: tuple[PageImage, ...]
    markup: tuple[PageMarkup, ...]
    loads: tuple[PageLoad, ...] = ()


def scan_page(html: bytes, hosts: Iterable[str]) -> PageScan | None:
    """Read a built page (None if it is no HTML document)."""
    if b"<" not in html:
        return None
    tree = LexborHTMLParser(html, scripting=True)
    if tree.body is None or tree.head is None:
        return None
    images: list[PageImage] = []
    loads: list[PageLoad] = []
    markup: list[PageMarkup] = []
    for element in tree.root.traverse() if tree.root is not None else ():
        if not element.is_element_node:
            continue
        images.extend(PageImage(w, u, _origin(element)) for w, u in _page_images(element))
        loads.extend(_loads(element))
        markup.extend(_page_rules(element))
    policy = MarkupPolicy(tuple(hosts))
    for script in tree.css(".md-content script"):
        markup.append(
            PageMarkup(
                "HTML001",
                "a <script> in the page's content would run code in every reader's browser",
                "remove it; to show code as text, put it in a fenced code block (``` lines)",
                ((script.html or "")[:80],),
                _origin(script),
            )
        )
    for region in tree.css(POST_CONTENT):
        markup.extend(_policy_findings(region, policy, _origin(region)))
    return PageScan(tuple(images), tuple(markup), tuple(loads))


def _policy_findings(
    region: LexborNode, policy: MarkupPolicy, origin: Origin
) -> Iterator[PageMarkup]:
    """What the markup policy would change in a region of a page: post content must be what it
    leaves, once the hub's own parts are set aside."""
    for part in region.css(HUB_PARTS):
        part.decompose()
    html = region.inner_html or ""
    clean = policy.sanitize(html)
    if normalized(html) == normalized(clean):
        return
    for change in changes(html, clean):
        code, message, hint = describe(change, policy.embed_hosts)
        needles = (change.value, change.name, f"<{change.tag}")
        yield PageMarkup(code, message, hint, needles, origin)


def _scheme(url: str) -> str:
    return _IGNORED_IN_SCHEME.sub("", url).lower()


def _page_rules(element: LexborNode) -> Iterator[PageMarkup]:
    """Markup that runs code or sends the page elsewhere, wherever it is on the page."""
    tag = element.tag or ""
    attrs = element.attributes
    if tag == "base":
        yield PageMarkup(
            "HTML007",
            "the page has a <base> element, which would send its links and scripts elsewhere",
            "remove it",
            ("<base",),
            Origin(),
        )
    for name, value in attrs.items():
        if name.lower().startswith("on"):
            yield PageMarkup(
                "HTML005",
                f"the '{name}' attribute runs code in readers' browsers",
                f'remove {name}="…"',
                (f"{name}=", name),
                _origin(element),
            )
        elif name in URL_ATTRIBUTES and value and _scheme(value).startswith(SCRIPT_SCHEMES):
            yield PageMarkup(
                "HTML006",
                f"a {value.split(':')[0]}: address in '{name}' is not allowed",
                "link to a web page with an address starting with https://",
                (value[:40], name),
                _origin(element),
            )


def _loads(element: LexborNode) -> Iterator[PageLoad]:
    tag = element.tag or ""
    attrs = element.attributes
    for name in LOADS.get(tag, ()):
        value = attrs.get(name)
        if value:
            urls = _srcset_urls(value) if name == "srcset" else [value]
            yield from (PageLoad(f"<{tag} {name}>", url) for url in urls)
    rel = set((attrs.get("rel") or "").lower().split())
    if tag == "link" and attrs.get("href") and LOADED_LINKS & rel:
        yield PageLoad(f"<link rel={attrs.get('rel')}>", attrs["href"] or "")
    if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
        found = REFRESH_URL_RE.search(attrs.get("content") or "")
        yield PageLoad("<meta http-equiv=refresh>", found.group(1) if found else "//refresh")
    css = attrs.get("style") or (element.text() if tag == "style" else "")
    for match in CSS_URL_RE.finditer(css or ""):
        yield PageLoad("a url() in a style", match.group(2) or match.group(4) or "")


def _srcset_urls(value: str) -> list[str]:
    """The addresses in a ``srcset`` ("a.png 1x, b.png 2x")."""
    return [c.split()[0] for c in value.split(",") if c.strip()]


def _origin(element: LexborNode) -> Origin:
    links: list[str] = []
    parent = element.parent
    while parent is not None:
        classes = (parent.attributes.get("class") or "").split()
        if "md-author" in classes or "md-profile__description" in classes:
            return Origin(tuple(links), authors=True)
        if parent.tag == "article" and "md-post--excerpt" in classes:
            links += [
                a.attributes.get("href") or ""
                for a in parent.css("a.toclink, nav.md-post__action a")
            ]
        parent = parent.parent
    return Origin(tuple(links))


def _page_images(element: LexborNode) -> Iterator[tuple[str, str]]:
    """(what, address) for each picture an element shows."""
    tag = element.tag
    attrs = element.attributes
    if tag == "meta":
        key = attrs.get("property") or attrs.get("name") or ""
        if key.lower() in IMAGE_META and attrs.get("content") is not None:
            yield f"the preview picture ({key})", attrs["content"] or ""
        return
    if tag == "img" and attrs.get("src") is not None:
        yield "the picture", attrs["src"] or ""
    if tag in ("img", "source") and attrs.get("srcset"):
        for url in _srcset_urls(attrs["srcset"] or ""):
            yield "the picture (srcset)", url


@dataclass
class SiteReport:
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0


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


def line_in(path: Path, *needles: str) -> int:
    """The line of a file on which the first of ``needles`` that it holds appears (1 when it
    holds none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    for needle in needles:
        forms = [needle, needle.replace("&", "&amp;"), json.dumps(needle)[1:-1]]
        for form in dict.fromkeys(forms):
            at = text.find(form) if form else -1
            if at >= 0:
                return text.count("\n", 0, at) + 1
    return 1


class SiteChecker:
    """One run over a built site. ``sources`` is called at most once, when a problem or a feed
    item first needs to name a source file."""

    def __init__(
        self,
        project: Project,
        site_dir: Path,
        sources: Sources | None = None,
        hosts: Iterable[str] | None = None,
        reported: Container[str] = (),
    ) -> None:
        """``reported``: sources whose problems were already reported where they are written;
        what they break in the built site is not reported again."""
        self.project = project
        self.site_dir = site_dir
        self.reported = reported
        self.hosts = project.hub.embed_hosts if hosts is None else tuple(hosts)
        self._sources_factory = sources
        self._sources: dict[str, str] | None = None
        site = urlsplit(project.site_url)
        self.site_host = (site.hostname or "").lower()
        self.site_prefix = site.path if site.path.endswith("/") else site.path + "/"
        # Feeds and the search index give this site's pictures their full address.
        self.policy = MarkupPolicy(self.hosts, own_host=self.site_host or None)
        self.files: set[str] = set()
        self.report = SiteReport()

    # -- Where things come from ---------------------------------------------------------------

    def source_for(self, url: str) -> str | None:
        if self._sources is None:
            self._sources = self._sources_factory() if self._sources_factory else {}
        return self._sources.get(url)

    def shown(self, path: Path) -> str:
        """A built file as messages name it: under ``site/`` even when a live preview builds
        into a temporary folder."""
        if not path.is_relative_to(self.site_dir):
            return self.project.display(path)
        label = self.project.display(self.site_dir)
        label = label if not Path(label).is_absolute() else "site"
        return f"{label}/{path.relative_to(self.site_dir).as_posix()}"

    # -- Addresses ----------------------------------------------------------------------------

    def locate(self, url: str, base_dir: str) -> tuple[str, str]:
        """Classify an address used from folder ``base_dir``: (OK|EXTERNAL|BROKEN|NOT_A_FILE, path)."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") or (not local_address(url) and parts.netloc):
            if not self.site_host or (parts.hostname or "").lower() != self.site_host:
                return EXTERNAL, url
            path = unquote(parts.path)
            if not path.startswith(self.site_prefix):
                return BROKEN, path
            rel = path[len(self.site_prefix) :]
        elif parts.scheme or parts.netloc or not parts.path or not local_address(url):
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
        data: list[str] = []
        root = str(self.site_dir)
        for folder, _, names in os.walk(root):
            rel_folder = os.path.relpath(folder, root)
            for name in names:
                rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
                self.files.add(rel)
                if name.endswith(".html"):
                    pages.append(rel)
                elif name.endswith((".xml", ".json")):
                    data.append(rel)
        pages.sort()
        unread = [rel for rel in pages if rel not in scans]
        if read_pages is not None and unread:
            scans = {**scans, **read_pages(self.site_dir, unread, self.hosts)}
        for rel in pages:
            if rel in scans:
                self.check_scan(rel, scans[rel])
            else:
                self.check_page(rel)
        for rel in sorted(data):
            self.check_data_file(rel)
        return self.report

    def add(
        self, path: Path, line: int, code: str, message: str, hint: str, origin: str | None
    ) -> None:
        if origin and origin in self.reported:
            return
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
        for load in scan.loads:
            if self.locate(load.url, base)[0] == EXTERNAL or not _fetchable_here(load.url):
                self.add(
                    path,
                    line_in(path, load.url),
                    "HTML020",
                    f"{load.what} loads '{load.url[:80]}' from another website as the page opens",
                    LOAD_HINT,
                    self.page_origin(rel, Origin()),
                )
        for found in scan.markup:
            self.add(
                path,
                line_in(path, *found.needles),
                found.code,
                found.message,
                found.hint,
                self.page_origin(rel, found.origin),
            )

    def check_page_image(self, rel: str, path: Path, base: str, image: PageImage) -> None:
        url, what = image.url, image.what
        status, target = self.locate(url, base)
        if status in (OK, EXTERNAL):  # a picture on another website is a load (HTML020)
            return
        origin = self.page_origin(rel, image.origin)
        if status == NOT_A_FILE:
            message = f"{what} '{url[:80]}' is not a picture file or an http(s) address"
        else:
            message = f"{what} '{url}' is not in the built site (looked for {target or '/'})"
        self.add(
            path,
            line_in(path, url),
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

    # -- Feeds and the search index -----------------------------------------------------------

    def check_data_file(self, rel: str) -> None:
        path = self.site_dir / rel
        try:
            with path.open("rb") as handle:
                head = handle.read(1024)
        except OSError:
            return
        if rel.endswith(".json"):
            if b"jsonfeed.org/version" in head:
                self.check_json_feed(path)
            elif rel.endswith("search_index.json"):
                self.check_search_index(path)
        elif b"<rss" in head or b"<feed" in head:
            self.check_xml_feed(path)

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
            self.add(
                path,
                line,
                "HTML020",
                f"{what} '{url[:80]}' is on another website",
                LOAD_HINT,
                origin,
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

    def check_markup(
        self, path: Path, line: int, html: str | None, origin: str | None, feed: bool = True
    ) -> None:
        """HTML in a feed or the search index: what the policy would change in it, and (in a
        feed) its pictures."""
        if not html or "<" not in html:
            return
        for element in parse_fragment(html).css("img") if feed else ():
            for what, url in _page_images(element):
                self.check_feed_image(path, line, what, url, origin)
        clean = self.policy.sanitize(html)
        if normalized(html) == normalized(clean):
            return
        for change in changes(html, clean):
            code, message, hint = describe(change, self.hosts)
            self.add(path, line, code, message, hint, origin)

    def check_xml_feed(self, path: Path) -> None:
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
                self.check_markup(path, element.sourceline, element.text, origin)

    def check_json_feed(self, path: Path) -> None:
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
                self.check_markup(path, line_of(html[:60]) if html else 1, html, origin)

    def check_search_index(self, path: Path) -> None:
        """Each entry's title and text, which the theme shows as HTML in search results."""
        try:
            raw = path.read_text(encoding="utf-8")
            index = json.loads(raw)
        except (OSError, ValueError):
            return
        docs = index.get("docs") if isinstance(index, dict) else None
        self.report.files_checked += 1
        for doc in docs if isinstance(docs, list) else []:
            if not isinstance(doc, dict):
                continue
            origin = self.source_for(str(doc.get("location", "")).split("#")[0])
            for key in ("title", "text"):
                value = doc.get(key)
                if isinstance(value, str) and "<" in value:
                    self.check_markup(path, 1, value, origin, feed=False)


def _fetchable_here(url: str) -> bool:
    """An address the browser would fetch from this site, or not at all (``data:`` pictures)."""
    return local_address(url) or url.strip().lower().startswith(("http:", "https:", "data:image/"))


def _address(target: str) -> str:
    """A resolved link target as a page address: 'x/index.html', 'x/' and 'x' are all 'x/'."""
    return page_url(target) if target.endswith(".html") else target.rstrip("/") + "/"


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
    scans: Mapping[str, PageScan | None] | None = None,
    read_pages: PageReader | None = None,
    reported: Container[str] = (),
) -> SiteReport:
    """Check a built site; ``sources`` gives address -> source file, asked only on a problem;
    ``reported`` are the sources whose problems are reported already (see ``SiteChecker``).

    ``scans`` are pages already read with ``scan_page``, by path in the site; ``read_pages``
    reads the rest at once (``page_scanner.read_on_every_core``), else they are read one by one.
    """
    return SiteChecker(project, site_dir, sources, reported=reported).run(scans, read_pages)
