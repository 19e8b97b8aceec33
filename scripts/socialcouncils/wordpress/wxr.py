"""Reading a WordPress export (WXR 1.1 or 1.2, Tools → Export) as a stream, safely.

The file comes from a council's old blog and is read like any stranger's file: lxml's
``iterparse`` with entity expansion off, no DTD loaded, no network and no huge-tree mode, so an
entity bomb or an external entity (XXE) is never expanded or fetched; a file with a DOCTYPE is
refused outright (a WordPress export never has one). Each ``<item>`` is read into plain data and
cleared as soon as it ends, so memory stays flat however long the blog.

Namespaces are matched by their WordPress prefix, so 1.1 and 1.2 exports read the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

WP_NS_PREFIX = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
VERSIONS = ("1.1", "1.2")


class BadExport(Exception):
    """The file cannot be imported at all: one message, at a line where one is known."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True)
class Author:
    id: str
    login: str
    display_name: str


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    author_url: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str
    user_id: str
    line: int


@dataclass(frozen=True)
class Term:
    domain: str
    nicename: str
    name: str


@dataclass
class Item:
    """One ``<item>`` of the export: a post, page, attachment, menu entry or other kind."""

    line: int
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    # The line of the first line of the content, to place what is found in it.
    content_line: int = 0
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    post_parent: str = ""
    password: str = ""
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Export:
    path: Path
    version: str
    site_title: str
    base_url: str
    authors: dict[str, Author]
    items: list[Item]


def _local(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an element's tag; ('', '') for comments and the like."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _wp(tag: object) -> str | None:
    """The local name of a tag in WordPress's namespace, else None."""
    ns, name = _local(tag)
    return name if ns.startswith(WP_NS_PREFIX) and "/excerpt/" not in ns else None


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _children(element: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        name = _wp(child.tag)
        if name:
            values[name] = _text(child)
    return values


def _comment(element: etree._Element) -> Comment:
    values = _children(element)
    return Comment(
        id=values.get("comment_id", ""),
        author=values.get("comment_author", ""),
        author_url=values.get("comment_author_url", ""),
        date=values.get("comment_date", ""),
        date_gmt=values.get("comment_date_gmt", ""),
        content=values.get("comment_content", ""),
        approved=values.get("comment_approved", ""),
        type=values.get("comment_type", ""),
        parent=values.get("comment_parent", "0"),
        user_id=values.get("comment_user_id", "0"),
        line=element.sourceline or 0,
    )


SIMPLE_WP_FIELDS = {
    "post_id": "post_id",
    "post_date": "post_date",
    "post_date_gmt": "post_date_gmt",
    "post_name": "post_name",
    "status": "status",
    "post_type": "post_type",
    "post_parent": "post_parent",
    "post_password": "password",
    "attachment_url": "attachment_url",
}


def _item(element: etree._Element) -> Item:
    item = Item(line=element.sourceline or 0)
    for child in element:
        ns, name = _local(child.tag)
        wp = _wp(child.tag)
        if ns == "" and name in ("title", "link"):
            setattr(item, name, _text(child).strip())
        elif ns == DC_NS and name == "creator":
            item.creator = _text(child).strip()
        elif ns == CONTENT_NS and name == "encoded":
            item.content = _text(child)
            item.content_line = child.sourceline or item.line
        elif ns.startswith(WP_NS_PREFIX) and ns.endswith("/excerpt/") and name == "encoded":
            item.excerpt = _text(child)
        elif ns == "" and name == "category":
            item.terms.append(
                Term(child.get("domain", ""), child.get("nicename", ""), _text(child).strip())
            )
        elif wp == "postmeta":
            values = _children(child)
            if values.get("meta_key"):
                item.meta[values["meta_key"]] = values.get("meta_value", "")
        elif wp == "comment":
            item.comments.append(_comment(child))
        elif wp in SIMPLE_WP_FIELDS:
            setattr(item, SIMPLE_WP_FIELDS[wp], _text(child).strip())
    return item


def _events(path: Path) -> Iterator[tuple[str, etree._Element]]:
    try:
        context = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        first = True
        for event, element in context:
            if first:
                first = False
                if element.getroottree().docinfo.doctype:
                    raise BadExport(
                        "the file has a DOCTYPE, which a WordPress export never has",
                        element.sourceline or 1,
                    )
            yield event, element
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        raise BadExport(f"the file is not well-formed XML: {exc.msg}", line, col + 1) from None
    except OSError as exc:
        raise BadExport(f"the file cannot be read: {exc}") from None


def read_export(path: Path) -> Export:
    """Every item of the export, or ``BadExport`` if it is not a whole WordPress export."""
    version = ""
    site_title = ""
    base_url = ""
    authors: dict[str, Author] = {}
    items: list[Item] = []
    depth = 0
    root_checked = False
    for event, element in _events(path):
        ns, name = _local(element.tag)
        if event == "start":
            depth += 1
            if not root_checked:
                root_checked = True
                if name != "rss":
                    raise BadExport(
                        f"the file is XML but not a WordPress export (its root is <{name}>, not <rss>)",
                        element.sourceline or 1,
                    )
            continue
        depth -= 1
        wp = _wp(element.tag)
        parent = element.getparent()
        in_channel = parent is not None and _local(parent.tag) == ("", "channel")
        if name == "item" and ns == "" and in_channel:
            items.append(_item(element))
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
        elif in_channel and wp == "wxr_version":
            version = _text(element).strip()
        elif in_channel and wp == "author":
            values = _children(element)
            login = values.get("author_login", "")
            authors[login] = Author(
                values.get("author_id", ""), login, values.get("author_display_name", "")
            )
        elif in_channel and wp == "base_blog_url":
            base_url = _text(element).strip()
        elif in_channel and ns == "" and name == "title":
            site_title = _text(element).strip()
        elif in_channel and ns == "" and name == "link" and not base_url:
            base_url = _text(element).strip()
    if not version:
        raise BadExport(
            "the file is not a WordPress export: it has no <wp:wxr_version>",
            items[0].line if items else 1,
        )
    if version not in VERSIONS:
        raise BadExport(
            f"WXR version {version} is not one this importer reads ({', '.join(VERSIONS)})"
        )
    return Export(path, version, site_title, base_url, authors, items)
