"""WordPress shortcodes (``[caption]``, ``[gallery]``, ``[embed]``, ``[audio]``, ``[video]``) as
plain HTML, and bare video addresses on a line of their own as links.

What it cannot convert it leaves in the text as typed, behind a marker, so that the post shows
it as code and the report names it at its line; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

# A shortcode's opening: [name attributes] or [name attributes /]; [[name]] is WordPress's way of
# writing the text "[name]".
OPEN_RE = re.compile(r"\[(\[?)([A-Za-z][\w-]*)(?=[\s\]/])((?:[^\]\"']|\"[^\"]*\"|'[^']*')*)\]")
ATTR_RE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+))|\"([^\"]*)\"|(\S+)")
# Shortcodes WordPress and its common plugins register: written without attributes, these are
# still shortcodes, where "[sic]" or "[1]" is text.
KNOWN = frozenset(
    {
        *("caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"),
        *("youtube", "vimeo", "soundcloud", "googlemaps", "slideshare", "twitter", "tweet"),
        *("contact-form", "contact-form-7", "contact-field", "polldaddy", "crowdsignal"),
        *("scribd", "issuu", "instagram", "facebook", "flickr", "wpvideo", "archives", "sitemap"),
    }
)
BARE_URL_RE = re.compile(r"(?m)^[ \t]*(https?://[^\s<>\"']+)[ \t]*$")
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "ted.com")
YOUTUBE_ID_RE = re.compile(
    r"(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([\w-]{6,20})"
)
VIMEO_ID_RE = re.compile(r"vimeo\.com/(?:video/)?(\d{4,12})")


@dataclass(frozen=True)
class Picture:
    """A picture a shortcode shows: its address, alt text and caption (HTML)."""

    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Leftover:
    """A shortcode left as typed, at ``offset`` in the text it was found in."""

    offset: int
    text: str
    name: str


@dataclass
class ShortcodeContext:
    """What shortcodes need from the rest of the export."""

    # Attachment id -> its picture.
    attachment: Callable[[str], Picture | None]
    # The pictures attached to the post, for a [gallery] without ids.
    attached: Callable[[], list[Picture]]
    # Whether an address may be embedded (its host is in embed_hosts).
    embeddable: Callable[[str], bool]
    # The marker a leftover is replaced by in the HTML.
    marker: Callable[[Leftover], str]


def attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    position = 0
    for match in ATTR_RE.finditer(text):
        if match.group(1):
            value = next(g for g in match.groups()[1:4] if g is not None)
            found[match.group(1).lower()] = value
        else:
            found[str(position)] = match.group(5) if match.group(5) is not None else match.group(6)
            position += 1
    return found


def figure(picture: Picture) -> str:
    img = f'<img src="{escape(picture.src)}" alt="{escape(picture.alt)}">'
    if not picture.caption.strip():
        return f"<p>{img}</p>"
    return f"<figure>{img}<figcaption>{picture.caption.strip()}</figcaption></figure>"


def embed_url(url: str) -> str:
    """The address a frame shows a video page by (YouTube, Vimeo), else the address itself."""
    youtube = YOUTUBE_ID_RE.search(url)
    if youtube:
        return f"https://www.youtube-nocookie.com/embed/{youtube.group(1)}"
    vimeo = VIMEO_ID_RE.search(url)
    if vimeo:
        return f"https://player.vimeo.com/video/{vimeo.group(1)}"
    return url


def media_link(url: str, context: ShortcodeContext, label: str = "") -> str:
    url = url.strip()
    if not re.match(r"^https?://", url, re.I):
        return ""
    frame = embed_url(url)
    if context.embeddable(frame):
        return f'<p><iframe src="{escape(frame)}" title="{escape(label or url)}"></iframe></p>'
    return f'<p><a href="{escape(url)}">{escape(label or url)}</a></p>'


def _caption(attrs: dict[str, str], inner: str) -> str:
    img = re.search(r"<img\b[^>]*>", inner, re.I)
    if img is None:
        return inner
    caption = (inner[: img.start()] + inner[img.end() :]).strip()
    caption = re.sub(r"^\s*</?a\b[^>]*>\s*|\s*</a>\s*$", "", caption)
    caption = attrs.get("caption", caption)
    credit = attrs.get("credit", "")
    if credit:
        caption = f"{caption} <small>{escape(credit)}</small>".strip()
    if not caption:
        return f"<p>{img.group(0)}</p>"
    return f"<figure>{img.group(0)}<figcaption>{caption}</figcaption></figure>"


def _gallery(attrs: dict[str, str], context: ShortcodeContext) -> str:
    ids = [i.strip() for i in attrs.get("ids", attrs.get("include", "")).split(",") if i.strip()]
    pictures = [p for p in (context.attachment(i) for i in ids) if p] if ids else context.attached()
    return "".join(figure(p) for p in pictures)


def _media(name: str, attrs: dict[str, str], inner: str, context: ShortcodeContext) -> str | None:
    url = inner.strip() or attrs.get("src", "") or attrs.get("url", "") or attrs.get("0", "")
    if name in ("audio", "video"):
        for key in ("mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm", "ogv", "flv", "wmv"):
            url = url or attrs.get(key, "")
        label = f"Listen: {url}" if name == "audio" else f"Watch: {url}"
        return media_link(url, context, label) or None
    return media_link(url, context) or None


def convert(text: str, context: ShortcodeContext) -> tuple[str, list[Leftover]]:
    """``text`` with each shortcode converted, and those left as typed."""
    out: list[str] = []
    leftovers: list[Leftover] = []
    position = 0
    while True:
        match = OPEN_RE.search(text, position)
        if match is None:
            break
        out.append(text[position : match.start()])
        escaped, name, raw_attrs = match.group(1), match.group(2), match.group(3)
        lowered = name.lower()
        end = match.end()
        inner = ""
        closing = re.compile(r"\[/" + re.escape(name) + r"\]", re.I)
        close = None if raw_attrs.rstrip().endswith("/") else closing.search(text, end)
        if close is not None:
            inner = text[end : close.start()]
            end = close.end()
        whole = text[match.start() : end]
        if escaped:
            if text[end : end + 1] == "]":
                end += 1
            out.append(whole[1:])
            position = end
            continue
        is_shortcode = lowered in KNOWN or "=" in raw_attrs or close is not None
        if not is_shortcode:
            out.append(match.group(0))
            position = match.end()
            continue
        attrs = attributes(raw_attrs.rstrip("/ "))
        converted: str | None
        if lowered in ("caption", "wp_caption"):
            converted = _caption(attrs, inner)
        elif lowered == "gallery":
            converted = _gallery(attrs, context) or None
        elif lowered in ("embed", "audio", "video", "youtube", "vimeo"):
            converted = _media(lowered, attrs, inner, context)
        else:
            converted = None
        if converted is None:
            leftover = Leftover(match.start(), whole, lowered)
            leftovers.append(leftover)
            converted = context.marker(leftover)
        out.append(converted)
        position = end
    out.append(text[position:])
    return "".join(out), leftovers


def bare_video_links(text: str, context: ShortcodeContext) -> str:
    """A video page's address alone on a line (WordPress shows it as a player) as a link."""

    def replace(match: re.Match[str]) -> str:
        url = match.group(1)
        host = re.sub(r"^https?://(www\.)?", "", url.lower()).split("/")[0]
        if not any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS):
            return match.group(0)
        return media_link(url, context)

    return BARE_URL_RE.sub(replace, text)
