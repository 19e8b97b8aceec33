"""Markup that must never reach readers: the rules for a post's source and for the built site.

Posts come from pull requests by people the editors may not know, and Python-Markdown passes raw
HTML and attribute lists through untouched. Every rule here is an error, reported with file, line
and column. The same ``check_tag`` judges a raw HTML tag in a post and an element in a built page.

| code    | meaning |
| ------- | ------- |
| HTML001 | a ``<script>`` element |
| HTML002 | a ``<style>`` element |
| HTML003 | a ``<form>`` element |
| HTML004 | an ``<iframe>``, ``<frame>``, ``<embed>`` or ``<object>`` whose address is not an https address on a host listed in ``embed_hosts`` (mkdocs.yml, ``extra: hub:``; empty by default). A listed host also allows its subdomains. |
| HTML005 | an event-handler attribute (``onclick=``, ``onerror=``, any ``on…=``), in raw HTML or in an attribute list such as ``{: onclick="…" }`` |
| HTML006 | a ``javascript:``, ``vbscript:`` or ``data:`` address in a link (``href``, ``xlink:href``, ``action``, ``formaction``), or a ``javascript:``/``vbscript:`` address in any other attribute |
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the built-site check imports this module and needs neither
    from .front_matter import PostSource
    from .post_body import BodyScan

MARKUP_CODES: dict[str, str] = {
    "HTML001": "a <script> element",
    "HTML002": "a <style> element",
    "HTML003": "a <form> element",
    "HTML004": "an embedded frame or object from a host not on the allow-list",
    "HTML005": "an event-handler attribute (on...=)",
    "HTML006": "a javascript:, vbscript: or data: address",
}

EMBED_TAGS = {"iframe": "src", "frame": "src", "embed": "src", "object": "data"}
LINK_ATTRS = frozenset({"href", "xlink:href", "action", "formaction"})
URL_ATTRS = LINK_ATTRS | {"src", "data", "poster", "background", "cite", "srcset", "codebase"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
LINK_SCHEMES = (*SCRIPT_SCHEMES, "data:")
# Browsers ignore ASCII tabs, line breaks and controls inside a scheme: "java\tscript:" runs.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")
EVENT_ATTR_RE = re.compile(r"^on[a-z]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One unsafe thing; ``attr`` names the attribute it is in, when it is in one."""

    code: str
    message: str
    hint: str
    attr: str | None = None


def url_scheme(url: str) -> str:
    """The scheme a browser would see (lowercase, with the characters it ignores removed)."""
    cleaned = _IGNORED_IN_SCHEME.sub("", html.unescape(url)).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) + ":" if match else ""


def check_attribute(name: str, value: str | None) -> Finding | None:
    """An unsafe attribute, whether written in raw HTML or in an attribute list."""
    name = name.lower()
    if EVENT_ATTR_RE.match(name) and value is not None:
        return Finding(
            "HTML005",
            f"the '{name}' attribute runs code in readers' browsers",
            f'remove {name}="…"; posts cannot run code',
            name,
        )
    if name not in URL_ATTRS or not value:
        return None
    schemes = LINK_SCHEMES if name in LINK_ATTRS else SCRIPT_SCHEMES
    urls = srcset_urls(value) if name == "srcset" else [value]
    for url in urls:
        scheme = url_scheme(url)
        if scheme in schemes:
            return Finding(
                "HTML006",
                f"a {scheme} address in '{name}' is not allowed",
                "link to a web page with an address starting with https://",
                name,
            )
    return None


def srcset_urls(value: str) -> list[str]:
    """The addresses in a ``srcset`` ("a.png 1x, b.png 2x")."""
    return [c.split()[0] for c in value.split(",") if c.strip()]


def embed_allowed(url: str | None, hosts: Iterable[str]) -> bool:
    if not url:
        return False
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    return any(host == h or host.endswith("." + h) for h in (h.lower().strip(".") for h in hosts))


def check_tag(
    name: str, attrs: Sequence[tuple[str, str | None]], hosts: Iterable[str]
) -> list[Finding]:
    """Everything unsafe about one element: the element itself, then each attribute."""
    name = name.lower()
    found: list[Finding] = []
    if name == "script":
        found.append(
            Finding(
                "HTML001",
                "<script> is not allowed in a post: it would run code in every reader's browser",
                "remove it; to show code as text, put it in a fenced code block (``` lines)",
            )
        )
    elif name == "style":
        found.append(
            Finding(
                "HTML002",
                "<style> is not allowed in a post: it can change or hide any part of the page",
                "remove it; the site's own styles apply to every post",
            )
        )
    elif name == "form":
        found.append(
            Finding(
                "HTML003",
                "<form> is not allowed in a post: it could send readers' details anywhere",
                "link to the form on your council's website instead",
            )
        )
    elif name in EMBED_TAGS:
        values = dict(attrs)
        url = values.get(EMBED_TAGS[name])
        if "srcdoc" in values or not embed_allowed(url, hosts):
            where = urlsplit((url or "").strip()).hostname or url or "no address"
            found.append(
                Finding(
                    "HTML004",
                    f"<{name}> from {where} is not allowed: only https addresses on hosts the editors have approved can be embedded",
                    "link to it instead, or ask the editors to add the host to 'embed_hosts' in mkdocs.yml",
                )
            )
    for attr, value in attrs:
        finding = check_attribute(attr, value)
        if finding is not None:
            found.append(finding)
    return found


# What ``check_tag`` could find anything wrong with, selected by libxml2 so that the built-site
# check calls Python only for those: the tags above, and any attribute that is an on... handler
# or holds a ':' without being a plain http(s) address. The result mixes elements and
# attributes; ``suspect_elements`` turns it into elements.
SUSPECTS_XPATH = " | ".join(
    [
        *(f"descendant-or-self::{tag}" for tag in ("script", "style", "form", *EMBED_TAGS)),
        "descendant-or-self::*/@*[starts-with(name(), 'on')"
        " or (contains(., ':') and not(starts-with(., 'http')))]",
    ]
)


def suspect_elements(found: Iterable[object]) -> list[object]:
    """The elements of an XPath result of elements and attribute values, each once, in order."""
    elements: dict[int, object] = {}
    for item in found:
        element = item.getparent() if isinstance(item, str) else item  # type: ignore[attr-defined]
        elements.setdefault(id(element), element)
    return list(elements.values())


def check_markup(source: PostSource, scan: BodyScan, hosts: Iterable[str]) -> None:
    """Report every unsafe tag, attribute, attribute list and link in a post body."""
    hosts = list(hosts)
    for tag in scan.tags:
        for finding in check_tag(tag.name, tag.attrs, hosts):
            spot = tag.attr_spot(finding.attr) if finding.attr else tag.spot
            source.add(spot.line, spot.col, finding.code, finding.message, finding.hint)
    for attr_list in scan.attr_lists:
        for key, value in attr_list.attrs:
            unsafe = check_attribute(key, value)
            if unsafe is not None:
                col = attr_list.spot.col + max(attr_list.text.find(key), 0)
                source.add(attr_list.spot.line, col, unsafe.code, unsafe.message, unsafe.hint)
    for url, spot in [(link.href, link.spot) for link in scan.links] + [
        (ref.url, ref.spot) for ref in scan.refs.values()
    ]:
        bad_link = check_attribute("href", url)
        if bad_link is not None:
            source.add(spot.line, spot.col, bad_link.code, bad_link.message, bad_link.hint)
