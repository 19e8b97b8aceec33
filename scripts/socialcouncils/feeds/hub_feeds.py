"""The hub's feeds: the site feed that mkdocs-rss-plugin writes, finished so that every feed
reader and the W3C Feed Validation Service accept it, and a feed per council and per category.

mkdocs-rss-plugin writes the site feed, RSS 2.0 and JSON Feed, from the posts' front matter. What
no option of the plugin does is done here, on its output, after the build:

- each author becomes ``dc:creator``, by name from the authors file (an RSS ``author`` must be
  an e-mail address, and we do not publish officers' addresses); titles, descriptions and names
  are the posts' own, as text (the plugin is given them escaped for the theme's templates);
- a channel image without a usable address (the plugin writes ``<url>None</url>``) is dropped;
  given ``FeedPictures`` (``share_cards.py``), the channel's image (JSON: ``icon``, ``favicon``)
  is the site's PNG icon and each item's picture (``enclosure``, JSON ``image``) its post's
  share card, a JPEG;
- each item gets the whole post as ``content:encoded`` (JSON: ``content_html``, with the
  front-matter description as ``summary``), with every address in it absolute, and its picture's
  real address;
- ``<comments>`` is dropped for a post whose front matter says ``comments: false``;
- each council's and category's feed is a copy of the site feed that holds only its posts;
- every feed keeps the newest ``feed_items`` posts (``extra: hub:`` in mkdocs.yml);
- beside each council's and category's feed, a ``sitemap.xml`` of the pages in its folder: the
  theme's script takes every ``<link rel="alternate">`` of a page for a version of the site in
  another language and asks for the ``sitemap.xml`` beside it, so a page that names its own feed
  would otherwise ask for a file that is not there (an error in every reader's browser console).

The plugin is set to put every post in the site feed, so that a council's feed is complete
however old its posts are; the cut to ``feed_items`` happens here, for every feed alike.
A page's own feed sits beside it: ``feed.xml`` for the home page, ``councils/<id>/feed.xml``,
``blog/category/<slug>/feed.xml`` (the file names are the plugin's ``feeds_filenames``).

Engine-independent: this reads and writes files in the built site and never imports MkDocs.
"""

from __future__ import annotations

import copy
import html
import json
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import lxml.html
from lxml import etree

from socialcouncils.content.addresses import COUNCILS_DIR, slug
from socialcouncils.content.posts import Post, PostCollection
from socialcouncils.policy.markup_policy import MarkupPolicy

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
NAMESPACES = {"atom": ATOM, "content": CONTENT, "dc": DC}
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_NAME = "sitemap.xml"

# Channel images must be GIF, JPEG or PNG.
FEED_IMAGE_SUFFIXES = (".gif", ".jpeg", ".jpg", ".png")


class FeedPictures(Protocol):
    """Where the feeds' pictures come from (``share_cards.ShareCards``): full addresses, and for
    an item the built file, whose size the enclosure gives."""

    def item_picture(self, post: Post) -> tuple[str, Path] | None: ...

    def icon_urls(self) -> tuple[str, str] | None:
        """The site's icon and its small favicon, both raster."""
        ...


@dataclass(frozen=True)
class FeedSettings:
    """Where the plugin writes the feeds and how many posts each published feed keeps."""

    rss_name: str = "feed_rss_created.xml"
    json_name: str = "feed_json_created.json"
    # The plugin also writes feeds ordered by update date; the hub does not publish them.
    unpublished: tuple[str, ...] = ("feed_rss_updated.xml", "feed_json_updated.json")
    items: int = 20
    title: str = ""
    description: str = ""

    @classmethod
    def from_project(cls, collection: PostCollection) -> FeedSettings:
        project = collection.project
        options = project.rss or {}
        names = {**_PLUGIN_FILE_NAMES, **(options.get("feeds_filenames") or {})}
        return cls(
            rss_name=str(names["rss_created"]),
            json_name=str(names["json_created"]),
            unpublished=(str(names["rss_updated"]), str(names["json_updated"])),
            items=project.hub.feed_items,
            title=str(options.get("feed_title") or project.site_name),
            description=str(options.get("feed_description") or project.site_description),
        )


_PLUGIN_FILE_NAMES = {
    "rss_created": FeedSettings.rss_name,
    "json_created": FeedSettings.json_name,
    "rss_updated": FeedSettings.unpublished[0],
    "json_updated": FeedSettings.unpublished[1],
}


@dataclass(frozen=True)
class Feed:
    """One published feed: the posts of the site, a council or a category."""

    key: str
    title: str
    description: str
    subscribe_text: str
    page: str  # the address of the feed's page, relative to the site root ("" is the home page)
    posts: tuple[str, ...]  # the addresses of its posts, relative to the site root, newest first
    rss_name: str
    json_name: str

    @property
    def rss_path(self) -> str:
        return self.page + self.rss_name

    @property
    def json_path(self) -> str:
        return self.page + self.json_name


class HubFeeds:
    """The hub's feeds, from one post collection: what they are, and finishing them after a build."""

    def __init__(
        self,
        collection: PostCollection,
        settings: FeedSettings | None = None,
        site_url: str | None = None,
        pictures: FeedPictures | None = None,
    ) -> None:
        """``site_url`` is the address the build gives the site, when it is not mkdocs.yml's
        (a live preview serves the site, and its feeds, from its own address); ``pictures``
        gives each item's picture and the channel's icon (without it, the post's own picture)."""
        self.collection = collection
        self.pictures = pictures
        self.project = collection.project
        self.settings = settings or FeedSettings.from_project(collection)
        self.site_url = (site_url or self.project.site_url).rstrip("/") + "/"
        self.policy = MarkupPolicy(self.project.hub.embed_hosts)
        self.published = collection.published()
        self.by_url = {self.site_url + p.url: p for p in self.published if p.url}
        self.feeds = self._feeds()
        self.site = self.feeds[0]
        self._by_page = {feed.page: feed for feed in self.feeds}
        self._by_key = {feed.key: feed for feed in self.feeds}
        self._built_path: Callable[[str], str | None] = _same_path

    # -- What the feeds are -------------------------------------------------------------------

    def _feed(
        self, key: str, title: str, description: str, subscribe: str, page: str, posts: list[Post]
    ) -> Feed:
        return Feed(
            key=key,
            title=title,
            description=description,
            subscribe_text=subscribe,
            page=page,
            posts=tuple(p.url for p in posts if p.url),
            rss_name=self.settings.rss_name,
            json_name=self.settings.json_name,
        )

    def _feeds(self) -> list[Feed]:
        site = self.settings.title
        feeds = [
            self._feed(
                "site",
                site,
                self.settings.description or f"New posts on {site}.",
                "Subscribe to all posts",
                "",
                self.published,
            )
        ]
        for council in sorted(self.collection.catalogue.councils.values(), key=lambda c: c.name):
            feeds.append(
                self._feed(
                    f"council:{council.id}",
                    f"{site}: {council.name}",
                    f"Guest posts and case studies from {council.name}, on {site}.",
                    f"Subscribe to posts from {council.name}",
                    f"{COUNCILS_DIR}/{council.id}/",
                    [p for p in self.published if p.meta and p.meta.council == council.id],
                )
            )
        for category in self.project.categories:
            posts = [p for p in self.published if p.meta and category in p.meta.categories]
            if not posts:
                continue  # the blog makes no page for a category without posts
            feeds.append(
                self._feed(
                    f"category:{slug(category)}",
                    f"{site}: {category}",
                    f"{category} from UK council officers, on {site}.",
                    f"Subscribe to {category.lower()}",
                    f"{self.project.blog_dir}/category/{slug(category)}/",
                    posts,
                )
            )
        return feeds

    def feeds_for(self, page_url: str | None) -> list[Feed]:
        """The feeds a page links to: the site feed, then the page's own feed if it has one (a
        council's or category's page), or for a post, its council's feed."""
        own = self._by_page.get(page_url or "") or self._council_feed_of_post(page_url)
        return [self.site] + ([own] if own is not None and own is not self.site else [])

    def _council_feed_of_post(self, page_url: str | None) -> Feed | None:
        post = self.by_url.get(self.site_url + (page_url or "")) if page_url else None
        if post is None or post.meta is None:
            return None
        return self._by_key.get(f"council:{post.meta.council}")

    def feed_list(self) -> str:
        """Markdown list of every feed with its full address, for the About page."""
        lines = []
        for feed in self.feeds:
            subject = feed.subscribe_text.removeprefix("Subscribe to ")
            # "JSON Feed" is on every line: the hidden words say which, for screen readers.
            json_name = f'JSON Feed<span class="hub-visually-hidden"> of {subject}</span>'
            lines.append(
                f"- {_sentence(subject)}: <{self.site_url}{feed.rss_path}>"
                f" ([{json_name}]({self.site_url}{feed.json_path}))"
            )
        return "\n".join(lines)

    # -- Finishing the plugin's output --------------------------------------------------------

    def finish(
        self,
        site_dir: Path,
        contents: Mapping[str, str],
        built_path: Callable[[str], str | None] | None = None,
    ) -> list[str]:
        """Rewrite the plugin's site feeds in ``site_dir`` and write the council and category feeds.

        ``contents`` maps each post's full address to its HTML body; ``built_path`` gives where
        the site engine put a file from the docs folder (path relative to the site root), since
        the blog moves post pictures. Returns problems found (a feed item that is no known post,
        a post without a body); an empty list is success.
        """
        self._built_path = built_path or _same_path
        problems = [
            f"no page body for the feed item {url}" for url in self.by_url if url not in contents
        ]
        rss_file = site_dir / self.settings.rss_name
        json_file = site_dir / self.settings.json_name
        # Only the items some feed keeps are finished, each post's body converted once.
        bodies: dict[str, str] = {}

        def body(url: str) -> str | None:
            if url not in contents:
                return None
            if url not in bodies:
                bodies[url] = self._feed_html(contents[url], url)
            return bodies[url]

        if rss_file.is_file():
            tree = etree.parse(str(rss_file), etree.XMLParser(remove_blank_text=True))
            root = self._finish_rss(tree.getroot(), body, site_dir, problems)
            for feed in self.feeds:
                _write_xml(site_dir / feed.rss_path, self._cut_rss(root, feed))
        if json_file.is_file():
            data = json.loads(json_file.read_text(encoding="utf-8"))
            data = self._finish_json(data, body, site_dir)
            for feed in self.feeds:
                _write_json(site_dir / feed.json_path, self._cut_json(data, feed))
        for name in self.settings.unpublished:
            (site_dir / name).unlink(missing_ok=True)
        self._write_folder_sitemaps(site_dir)
        return problems

    def _write_folder_sitemaps(self, site_dir: Path) -> None:
        """Beside each feed outside the site root, the site's sitemap cut to the feed's folder."""
        sitemap_file = site_dir / SITEMAP_NAME
        if not sitemap_file.is_file():
            return
        root = etree.parse(str(sitemap_file), etree.XMLParser(remove_blank_text=True)).getroot()
        for feed in self.feeds:
            if not feed.page:
                continue
            folder = self.site_url + feed.page
            cut = copy.deepcopy(root)
            for url in cut.findall(f"{{{SITEMAP}}}url"):
                if not (url.findtext(f"{{{SITEMAP}}}loc") or "").strip().startswith(folder):
                    cut.remove(url)
            _write_xml(site_dir / feed.page / SITEMAP_NAME, cut)

    def _post(self, url: str | None, problems: list[str]) -> Post | None:
        post = self.by_url.get(url or "")
        if post is None:
            problems.append(f"the feed item {url} is not a published post")
        return post

    def _author_names(self, post: Post) -> list[str]:
        authors = self.collection.catalogue.authors
        return [authors[a].name for a in (post.meta.authors if post.meta else []) if a in authors]

    def _feed_html(self, html: str, base_url: str) -> str:
        """A post body fit for a feed: passed through the markup policy, with embeds as links,
        no permalink marks, and every address absolute."""
        holder = lxml.html.fragment_fromstring(html, create_parent="div")
        for embed in holder.find_class("hub-embed"):
            # Feed readers run no scripts: the embed becomes a link to what it shows.
            button = next(iter(embed.find_class("hub-embed__load")), None)
            link = lxml.html.Element(
                "a", href=button.get("data-hub-embed-src", "") if button is not None else ""
            )
            link.text = button.get("data-hub-embed-title") if button is not None else None
            paragraph = lxml.html.Element("p")
            paragraph.append(link)
            paragraph.tail = embed.tail
            embed.getparent().replace(embed, paragraph)
        for mark in holder.find_class("headerlink"):
            mark.drop_tree()
        holder = lxml.html.fragment_fromstring(
            self.policy.sanitize(lxml.html.tostring(holder, encoding="unicode")),
            create_parent="div",
        )
        holder.make_links_absolute(base_url, resolve_base_href=False)
        inner = (holder.text or "") + "".join(
            lxml.html.tostring(child, encoding="unicode") for child in holder
        )
        return inner.strip()

    def _picture(self, post: Post, site_dir: Path) -> tuple[str, Path] | None:
        """An item's picture: its share card given ``pictures``, else the post's own picture."""
        picture = (
            self.pictures.item_picture(post)
            if self.pictures is not None
            else self._image(post, site_dir)
        )
        return picture if picture is not None and picture[1].is_file() else None

    def _channel_image(self, channel: etree._Element) -> None:
        """The channel's ``<image>``: the site's icon, before the first item."""
        icons = self.pictures.icon_urls() if self.pictures is not None else None
        if icons is None:
            return
        for stale in channel.findall("image"):
            channel.remove(stale)
        image = etree.Element("image")
        for tag, text in (
            ("url", icons[0]),
            ("title", channel.findtext("title") or ""),
            ("link", channel.findtext("link") or ""),
        ):
            etree.SubElement(image, tag).text = text
        first = channel.find("item")
        if first is not None:
            first.addprevious(image)
        else:
            channel.append(image)

    def _image(self, post: Post, site_dir: Path) -> tuple[str, Path] | None:
        """The address and built file of a post's picture (front matter ``image``)."""
        if post.meta is None or not post.meta.image:
            return None
        source = (post.source.path.parent / post.meta.image).resolve()
        try:
            src = source.relative_to(self.project.docs_dir.resolve()).as_posix()
        except ValueError:
            return None
        built = self._built_path(src)
        return (self.site_url + built, site_dir / built) if built else None

    def _finish_rss(
        self,
        root: etree._Element,
        body: Callable[[str], str | None],
        site_dir: Path,
        problems: list[str],
    ) -> etree._Element:
        root = _with_namespaces(root)
        channel = root.find("channel")
        assert channel is not None
        image = channel.find("image")
        if image is not None and not _usable_image(image.findtext("url")):
            channel.remove(image)
        self._channel_image(channel)
        items = channel.findall("item")
        for stale in _repeated_items(items, self._item_url):
            channel.remove(stale)
            items.remove(stale)
        kept = self._kept_by_any_feed([self._item_url(item) for item in items])
        for item in items:
            post = self._post(item.findtext("guid"), problems)
            if post is None or post.meta is None or self._item_url(item) not in kept:
                # Not a published post, or in no feed: each feed's copy then holds only its own.
                channel.remove(item)
                continue
            url = self.site_url + (post.url or "")
            # The site engine gives the feed plugin its pages' settings escaped for templates;
            # the feed takes them from the post itself, as text.
            _set_text(item, "title", post.meta.title)
            # An RSS description is HTML: the post's plain description is escaped as such.
            _set_text(item, "description", html.escape(post.meta.description, quote=False))
            # Each author by name, from the authors file (RSS's own <author> is an e-mail
            # address, which the hub does not publish).
            for author in item.findall("author"):
                item.remove(author)
            description = item.find("description")
            for name in reversed(self._author_names(post)):
                creator = etree.Element(f"{{{DC}}}creator")
                creator.text = name
                (description if description is not None else item[-1]).addprevious(creator)
            content = body(url)
            if description is not None and content is not None:
                encoded = etree.Element(f"{{{CONTENT}}}encoded")
                encoded.text = content
                description.addnext(encoded)
            if not post.meta.comments:
                for comments in item.findall("comments"):
                    item.remove(comments)
            for enclosure in item.findall("enclosure"):
                item.remove(enclosure)
            picture = self._picture(post, site_dir)
            if picture is not None:
                enclosure = etree.SubElement(item, "enclosure")
                enclosure.set("url", picture[0])
                enclosure.set("type", _media_type(picture[1]))
                enclosure.set("length", str(picture[1].stat().st_size))
        return root

    def _cut_rss(self, root: etree._Element, feed: Feed) -> etree._Element:
        """A copy of the finished site feed for ``feed``: its posts only, the newest first."""
        root = copy.deepcopy(root)
        channel = root.find("channel")
        assert channel is not None
        page_url = self.site_url + feed.page
        feed_url = self.site_url + feed.rss_path
        _set_text(channel, "title", feed.title)
        _set_text(channel, "description", html.escape(feed.description, quote=False))
        _set_text(channel, "link", page_url)
        for link in channel.findall("atom:link[@rel='self']", NAMESPACES):
            link.set("href", feed_url)
        image = channel.find("image")
        if image is not None:
            _set_text(image, "title", feed.title)
            _set_text(image, "link", page_url)
        kept = _keep(channel.findall("item"), self._urls(feed), self.settings.items, self._item_url)
        for item in channel.findall("item"):
            if item not in kept:
                channel.remove(item)
        for source in channel.iter("source"):
            source.set("url", feed_url)
            source.text = feed.title
        return root

    def _urls(self, feed: Feed) -> set[str]:
        return {self.site_url + url for url in feed.posts}

    def _kept_by_any_feed(self, item_urls: list[str]) -> set[str]:
        """The addresses, among the plugin's items in its order, that at least one feed keeps."""
        limit = self.settings.items
        return {
            url for feed in self.feeds for url in _keep(item_urls, self._urls(feed), limit, str)
        }

    @staticmethod
    def _item_url(item: Any) -> str:
        if isinstance(item, dict):
            return str(item.get("id", ""))
        return str(item.findtext("guid") or "")

    def _finish_json(
        self, data: dict[str, Any], body: Callable[[str], str | None], site_dir: Path
    ) -> dict[str, Any]:
        items = []
        given = [item for item in data.get("items") or [] if isinstance(item, dict)]
        stale = {id(item) for item in _repeated_items(given, self._item_url)}
        given = [item for item in given if id(item) not in stale]
        kept = self._kept_by_any_feed([self._item_url(item) for item in given])
        for item in given:
            post = self.by_url.get(str(item.get("id")))
            if post is None or post.meta is None or self._item_url(item) not in kept:
                continue
            url = self.site_url + (post.url or "")
            item["title"] = post.meta.title
            item["summary"] = post.meta.description
            item["authors"] = [{"name": name} for name in self._author_names(post)]
            content = body(url)
            if content is not None:
                item["content_html"] = content
            picture = self._picture(post, site_dir)
            item["image"] = picture[0] if picture is not None else None
            items.append(_without_empty(item))
        data["items"] = items
        icons = self.pictures.icon_urls() if self.pictures is not None else None
        if icons is not None:
            data["icon"], data["favicon"] = icons
        return _without_empty(data)

    def _cut_json(self, data: dict[str, Any], feed: Feed) -> dict[str, Any]:
        """``data`` for ``feed``; its items are shared with ``data``, not copied: both are only
        read from here on."""
        data = dict(data)
        data["title"] = feed.title
        data["description"] = feed.description
        data["home_page_url"] = self.site_url + feed.page
        data["feed_url"] = self.site_url + feed.json_path
        data["items"] = _keep(
            data.get("items") or [], self._urls(feed), self.settings.items, self._item_url
        )
        return data


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


T = TypeVar("T")


def _repeated_items(items: list[T], url_of: Callable[[T], str]) -> list[T]:
    """Items for a post that a later item is also for, which are dropped. The feed plugin keeps
    its items for the life of its process, so a live preview's plugin gives each post again on
    every rebuild, with the newest last."""
    latest = {url_of(item): item for item in items}
    return [item for item in items if latest[url_of(item)] is not item]


def _same_path(src: str) -> str | None:
    return src


def _keep(
    items: list[Any], wanted: set[str], limit: int, url_of: Callable[[Any], str]
) -> list[Any]:
    """The items whose address is wanted, in the order given (newest first), at most ``limit``."""
    return [item for item in items if url_of(item) in wanted][:limit]


def _with_namespaces(root: etree._Element) -> etree._Element:
    """The same ``<rss>`` element, declaring the namespaces the finished feed uses."""
    fresh = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, **NAMESPACES})
    fresh.text = root.text
    fresh.extend(list(root))
    return fresh


def _usable_image(url: str | None) -> bool:
    url = (url or "").strip()
    return url.startswith(("http://", "https://")) and url.lower().endswith(FEED_IMAGE_SUFFIXES)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _set_text(parent: etree._Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = etree.SubElement(parent, tag)
    element.text = text


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """JSON Feed has no null values: an unknown field is left out."""
    return {k: v for k, v in data.items() if v is not None and v != []}


def _write_xml(path: Path, root: etree._Element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
