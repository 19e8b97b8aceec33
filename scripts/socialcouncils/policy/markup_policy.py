"""What HTML a post may contain: one allow-list, enforced by nh3 (Ammonia).

Posts, data files and settings come from pull requests by people the editors may not know.
Everything that carries their content to readers passes through ``MarkupPolicy.sanitize``: the
body of every page and every excerpt in a list (the Markdown extension in ``markdown_render``),
feed items (``feeds``) and the search index (the build's hook). Ammonia parses HTML the way
browsers do (html5ever), so what it keeps is what a browser would see: no second reading of the
HTML can disagree with it.

The allow-list is the elements, attributes and class names below, the URL schemes of links, and
the rules of ``_keep_attribute``: a picture's address is a path on this site, never another
website; an ``<iframe>`` must come from a host in ``embed_hosts`` (mkdocs.yml ``extra: hub:``),
and it only loads when a reader asks (``embed_placeholders``). Everything else is removed; the
post check (``rendered_body``) reports each removal at the post's own line, so an officer hears
of it before review.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import nh3
from pygments.token import STANDARD_TYPES
from selectolax.lexbor import LexborHTMLParser

ELEMENTS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup"),
        *("dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li"),
        *("mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub"),
        *("summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u"),
        *("ul", "var", "wbr"),
    }
)
# Removed together with everything inside them, rather than leaving their text behind: their
# content is code, styles or markup that browsers parse by rules of their own.
REMOVED_WITH_CONTENT = frozenset(
    {
        *("applet", "embed", "frame", "frameset", "math", "noembed", "noframes", "noscript"),
        *("object", "plaintext", "script", "select", "style", "svg", "template", "textarea"),
        *("title", "xmp"),
    }
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "title", "lang", "dir"}),
    "a": frozenset({"href", "aria-label"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "iframe": frozenset({"src", "width", "height", "allowfullscreen"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "th": frozenset({"colspan", "rowspan", "scope", "style"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
}
# Admonition and collapsible-block types the theme styles (Material for MkDocs).
ADMONITION_TYPES = frozenset(
    {
        *("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important"),
        *("success", "check", "done", "question", "help", "faq", "warning", "caution"),
        *("attention", "failure", "fail", "missing", "danger", "error", "bug", "example"),
        *("quote", "cite"),
    }
)
# The class of a picture that only decorates, so screen readers skip it (``images``).
DECORATIVE_CLASS = "decorative"
CLASSES: dict[str, frozenset[str]] = {
    "div": frozenset({"admonition", "highlight", "footnote", "linenodiv", *ADMONITION_TYPES}),
    "details": ADMONITION_TYPES,
    "p": frozenset({"admonition-title"}),
    # Permalinks, footnotes, the heading link of a post's excerpt in a list (``toclink``), and
    # the theme's buttons.
    "a": frozenset(
        {"headerlink", "footnote-ref", "footnote-backref", "toclink"}
        | {"md-button", "md-button--primary"}
    ),
    "img": frozenset({DECORATIVE_CLASS}),
    # Code highlighting: Pygments' token classes, and the parts pymdownx.highlight adds (line
    # numbers, highlighted lines, a file name).
    "span": frozenset(name for name in STANDARD_TYPES.values() if name)
    | {"normal", "hll", "filename", "linenos", "special"},
    "table": frozenset({"highlighttable"}),
    "td": frozenset({"linenos", "code"}),
    "th": frozenset({"filename"}),
}
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Ids the theme and the hub's own page parts use: a post's element with one of them would take
# their place (the theme reads its settings from ``#__config``).
RESERVED_IDS = frozenset({"comments", "related-posts", "responses", "hub-giscus"})
# Letters, digits and the marks heading and footnote ids are made of; never a leading underscore.
ID_RE = re.compile(r"^[A-Za-z0-9][\w:.-]*$", re.ASCII)
# Where the tags plugin puts a list of tags (``<!-- material/tags -->``): a heading with the id
# "<page's file>:<start>-<end>/slug", which it replaces with the list after the page is sanitized.
TAGS_LISTING_ID_RE = re.compile(r"^[A-Za-z0-9][\w./-]*\.md:\d+-\d+/slug$", re.ASCII)
NUMBER_RE = re.compile(r"^\d{1,4}$")
SIZE_RE = re.compile(r"^\d{1,4}(?:px|%)?$")
TEXT_ALIGN_RE = re.compile(r"^text-align:\s*(?:left|right|center);?$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
VALUES: dict[str, re.Pattern[str]] = {
    "colspan": NUMBER_RE,
    "rowspan": NUMBER_RE,
    "span": NUMBER_RE,
    "start": NUMBER_RE,
    "value": NUMBER_RE,
    "width": SIZE_RE,
    "height": SIZE_RE,
    "style": TEXT_ALIGN_RE,
    "lang": LANG_RE,
    "dir": re.compile(r"^(?:ltr|rtl|auto)$"),
    "loading": re.compile(r"^(?:lazy|eager)$"),
    "type": re.compile(r"^[1aAiI]$"),
    "scope": re.compile(r"^(?:row|col|rowgroup|colgroup)$"),
}
# Browsers drop these from anywhere in an address, and spaces and controls from either end.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_address(url: str) -> bool:
    """Whether a browser would fetch ``url`` from this site: a path, never another host.

    Browsers read a backslash as a slash, so ``\\\\host/x`` and ``//host/x`` both name another
    website.
    """
    cleaned = _IGNORED_IN_URL.sub("", url).strip("\x00 \x0c\x0b\x1f")
    return not (
        "\\" in cleaned
        or cleaned.startswith("//")
        or _SCHEME_RE.match(cleaned)
        or any(ord(c) < 0x20 for c in cleaned)
    )


def embed_host(url: str, hosts: Iterable[str]) -> str | None:
    """The host of an https address on one of ``hosts`` (a host allows its subdomains), else None."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or "\\" in url:
        return None
    for allowed in hosts:
        allowed = allowed.lower().strip(".")
        if host == allowed or host.endswith("." + allowed):
            return host
    return None


def usable_id(value: str) -> bool:
    """An id of a post's own: words, never one of the theme's ('__…') or the hub's; or the tags
    plugin's mark of where its list goes."""
    return (bool(ID_RE.match(value)) and value not in RESERVED_IDS) or bool(
        TAGS_LISTING_ID_RE.match(value)
    )


@dataclass(frozen=True)
class MarkupPolicy:
    """The allow-list with the site's embed hosts; ``sanitize`` is the one way HTML gets out."""

    embed_hosts: tuple[str, ...] = ()
    # Outputs that give pictures their full address (feeds) may name this site's own host.
    own_host: str | None = None

    def __post_init__(self) -> None:
        cleaner = nh3.Cleaner(
            tags=set(ELEMENTS),
            clean_content_tags=set(REMOVED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
            attribute_filter=self._keep_attribute,
            url_schemes=set(LINK_SCHEMES),
            # Comments stay: they are never shown, and the blog cuts excerpts at <!-- more -->.
            strip_comments=False,
            link_rel=None,
        )
        object.__setattr__(self, "_cleaner", cleaner)
        # Seconds spent sanitizing, for the build's report of what it cost.
        object.__setattr__(self, "_seconds", [0.0])

    def sanitize(self, html: str) -> str:
        """``html`` with everything the allow-list does not name removed."""
        started = time.perf_counter()
        clean = str(self._cleaner.clean(html))  # type: ignore[attr-defined]
        self._seconds[0] += time.perf_counter() - started  # type: ignore[attr-defined]
        return clean

    @property
    def seconds(self) -> float:
        """How long ``sanitize`` has taken, in all, in this process."""
        return float(self._seconds[0])  # type: ignore[attr-defined]

    def _keep_attribute(self, tag: str, name: str, value: str) -> str | None:
        if name == "id":
            return value if usable_id(value) else None
        if tag == "img" and name == "src":
            return value if local_address(value) or self._on_own_host(value) else None
        if tag == "iframe" and name == "src":
            return value if embed_host(value, self.embed_hosts) else None
        rule = VALUES.get(name)
        if rule is not None and not rule.match(value.strip()):
            return None
        return value

    def _on_own_host(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        return (
            self.own_host is not None
            and parts.scheme in ("http", "https")
            and (parts.hostname or "").lower() == self.own_host
            and "\\" not in url
        )


def parse_fragment(html: str) -> LexborHTMLParser:
    """``html`` parsed as a browser parses the inside of a ``<div>`` (scripts enabled, so
    ``<noscript>`` holds text, as it does for readers)."""
    return LexborHTMLParser(html, is_fragment=True, scripting=True)


def embed_placeholders(html: str) -> str:
    """Each ``<iframe>`` left by ``sanitize`` as a button that loads it when a reader asks.

    Until then the page asks nothing of the other website (``assets/javascripts/embeds.js``
    makes the frame on a click). A frame whose address the sanitizer removed is dropped.
    """
    if "<iframe" not in html:
        return html
    tree = LexborHTMLParser(f"<div>{html}</div>", is_fragment=True)
    holder = tree.css_first("div")
    assert holder is not None
    for frame in holder.css("iframe"):
        src = frame.attributes.get("src")
        if not src:
            frame.decompose()
            continue
        host = urlsplit(src).hostname or "another website"
        title = frame.attributes.get("title") or f"content from {host}"
        placeholder = LexborHTMLParser(embed_placeholder(src, title, host), is_fragment=True)
        frame.replace_with(placeholder.css_first("div"))  # type: ignore[arg-type]
    return holder.inner_html or ""


def embed_placeholder(src: str, title: str, host: str) -> str:
    return (
        '<div class="hub-embed">'
        f'<p class="hub-embed__note">This post shows “{escape(title)}” from {escape(host)}.'
        " It loads only when you ask, because the other website may record your visit.</p>"
        '<p><button type="button" class="md-button hub-embed__load"'
        f' data-hub-embed-src="{escape(src)}" data-hub-embed-title="{escape(title)}">'
        f"Show “{escape(title)}”</button>"
        f' <a href="{escape(src)}">Open it on {escape(host)}</a></p>'
        "</div>"
    )
