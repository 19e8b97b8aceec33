"""Share cards: what a link to a page of the site shows when it is posted elsewhere.

Every page carries Open Graph and Twitter card tags (``overrides/partials/hub-share.html``) from
a ``ShareTags`` this module makes. Their picture is a card, a 1200×630 JPEG drawn here at build
time with Pillow and a font from a pinned package (``font-source-sans-pro``), never fetched:

- a post with a picture (front matter ``image``) gets its own card: its title, its authors'
  names, its council and the picture;
- a post without a picture, or whose picture cannot be used, gets its council's card;
- every other page gets the site's card.

The cards feed the feeds too: each item's enclosure is its post's card (``feeds.py``).

Everything drawn is text from a post or a data file, so it is only ever drawn as text. A picture
is read only if it is a file under ``docs/`` (not a link), within ``MAX_PICTURE_BYTES`` and
``MAX_PICTURE_PIXELS`` and of sensible proportions; anything else gets the council's card, so a
huge or odd picture cannot make the build run for minutes.

An SVG picture is drawn only if the hub's own SVG check finds nothing in it (``images.py``,
IMG010 and IMG011: no script, no entity, no reference to another file), so resvg draws it from its
own text alone. resvg (``resvg-py``) runs in a process of its own, in an empty temporary folder
that is also where it would look for a relative file, with at most ``SVG_MEMORY_BYTES`` of memory,
stopped after ``SVG_SECONDS``; and a build spends at most ``SVG_BUDGET_SECONDS`` drawing SVGs in
all, after which the posts still to draw get their council's card (and are drawn in a later
build, which has the others' cards in its cache).

Cards are kept in ``.cache/cards/`` by a hash of everything drawn on them, so a rebuild draws only
what changed, and are copied into the built site at ``assets/cards/`` (only there: nothing is
written elsewhere in the site). A picture that could not be drawn is remembered there too, by a
hash of its bytes (``<hash>.failed``), so that a picture too slow to draw costs its time once, not
in every post and every build that uses it; deleting ``.cache/cards/`` tries it again.

Engine-independent: this never imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import font_source_sans_pro
from lxml import etree
from PIL import Image, ImageDraw, ImageFont, ImageOps

from socialcouncils.content.images import svg_verdicts
from socialcouncils.content.posts import Post, PostCollection
from socialcouncils.source.docs_files import is_linked

CARD_WIDTH, CARD_HEIGHT = 1200, 630
CARD_TYPE = "image/jpeg"
CARDS_DIR = "assets/cards"
# Bump when the drawing changes, so that cached cards are drawn again.
CARD_VERSION = "1"
JPEG_QUALITY = 85

# Limits on a post's picture: past them the post gets its council's card.
MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_PICTURE_PIXELS = 30_000_000
# Longest an SVG picture may take to draw, in seconds; longest a build spends drawing SVGs in
# all; the most memory the process drawing one may take.
SVG_SECONDS = 5
SVG_BUDGET_SECONDS = 30
SVG_MEMORY_BYTES = 512 * 1024 * 1024
# An SVG whose sides differ more than this many times is drawn as its council's card.
MAX_PICTURE_RATIO = 20
RASTER_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

# The site's colours (docs/assets/stylesheets/hub.css).
BACKGROUND = "#143a55"
PANEL = "#1d4f73"
TEXT = "#ffffff"
SOFT_TEXT = "#d6e4ee"
ACCENT = "#f0a57c"

FONT_DIR = Path(font_source_sans_pro.font_directory)
BOLD_FONT = FONT_DIR / "SourceSansPro-Bold.ttf"
REGULAR_FONT = FONT_DIR / "SourceSansPro-Regular.ttf"

# The site's raster icons (scripts/make_icons.py draws them from favicon.svg), for the feeds.
ICON = "assets/images/apple-touch-icon.png"
FAVICON = "assets/images/favicon-32.png"

MARGIN = 64
PICTURE_WIDTH = 520  # the picture's part of a post's card, on the right


@dataclass(frozen=True)
class ShareTags:
    """The Open Graph and Twitter card values of one page, as text (the template escapes them)."""

    title: str
    description: str
    url: str
    type: str  # "article" for posts, "website" elsewhere
    site_name: str
    image: str  # the card's full address
    image_alt: str
    image_width: int = CARD_WIDTH
    image_height: int = CARD_HEIGHT
    image_type: str = CARD_TYPE
    twitter_card: str = "summary_large_image"
    published_time: str | None = None  # ISO 8601, posts only
    modified_time: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """One card: its name under ``assets/cards/``, what it shows and what its picture was."""

    name: str
    alt: str
    lines: tuple[tuple[str, ...], ...]  # the texts drawn, for the cache key
    picture: Path | None = None  # a post's picture, drawn beside the text

    @property
    def path(self) -> str:
        """Where the card is in the built site, relative to its root."""
        return f"{CARDS_DIR}/{self.name}.jpg"


class ShareCards:
    """The share tags of every page and the cards they name, for one build."""

    def __init__(
        self,
        collection: PostCollection,
        site_dir: Path,
        site_url: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.collection = collection
        self.project = collection.project
        self.catalogue = collection.catalogue
        self.site_dir = site_dir
        self.site_url = (site_url or self.project.site_url).rstrip("/") + "/"
        self.cache_dir = cache_dir or self.project.root / ".cache" / "cards"
        self.site_name = self.project.site_name
        self.timezone = _timezone(self.project.rss)
        # The cards written into the site in this build, by name.
        self._written: dict[str, Path] = {}
        self._post_cards: dict[str, Card] = {}
        # What is left of this build's time for drawing SVG pictures.
        self._svg_seconds_left = float(SVG_BUDGET_SECONDS)

    # -- The tags -----------------------------------------------------------------------------

    def for_post(self, post: Post) -> ShareTags:
        assert post.meta is not None
        meta = post.meta
        card = self.post_card(post)
        return ShareTags(
            title=meta.title,
            description=meta.description,
            url=self.site_url + (post.url or ""),
            type="article",
            site_name=self.site_name,
            image=self.card_url(card),
            image_alt=card.alt,
            published_time=self._iso(meta.date),
            modified_time=self._iso(meta.updated) if meta.updated else None,
            authors=tuple(self.author_names(post)),
        )

    def for_page(self, title: str, description: str, url: str) -> ShareTags:
        """A page that is not a post: the site's card. ``url`` is relative to the site root."""
        card = self.site_card()
        return ShareTags(
            title=title or self.site_name,
            description=description or self.project.site_description,
            url=self.site_url + url.lstrip("/"),
            type="website",
            site_name=self.site_name,
            image=self.card_url(card),
            image_alt=card.alt,
        )

    def _iso(self, value: dt.date | dt.datetime) -> str:
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.timezone)
        return value.isoformat()

    def author_names(self, post: Post) -> list[str]:
        authors = self.catalogue.authors
        return [authors[a].name for a in (post.meta.authors if post.meta else []) if a in authors]

    def card_url(self, card: Card) -> str:
        """The card's full address, written into the site if it is not there yet."""
        self.write(card)
        return self.site_url + card.path

    # -- The cards ----------------------------------------------------------------------------

    def site_card(self) -> Card:
        description = self.project.site_description
        return Card(
            name="site",
            alt=f"{self.site_name}: {description}" if description else self.site_name,
            lines=(("site", self.site_name, description, self._host()),),
        )

    def council_card(self, council_id: str) -> Card:
        council = self.catalogue.councils.get(council_id)
        if council is None:
            return self.site_card()
        return Card(
            name=f"councils/{council.id}",
            alt=f"{council.name} on {self.site_name}",
            lines=(("council", council.name, council.region, self.site_name, self._host()),),
        )

    def post_card(self, post: Post) -> Card:
        """A post's own card if its picture can be drawn, else its council's card."""
        key = post.url or post.source.shown
        if key not in self._post_cards:
            self._post_cards[key] = self._post_card(post)
        return self._post_cards[key]

    def _post_card(self, post: Post) -> Card:
        assert post.meta is not None
        meta = post.meta
        picture = self._picture_file(post)
        if picture is None:
            return self.council_card(meta.council)
        names = self.author_names(post)
        council = self.catalogue.councils.get(meta.council)
        council_name = council.name if council is not None else ""
        byline = f"By {_and(names)}" if names else ""
        alt = ", ".join(x for x in (meta.title, byline.replace("By ", "by ", 1), council_name) if x)
        card = Card(
            name="posts/" + _post_name(post.url or post.source.path.stem),
            alt=alt,
            lines=(("post", meta.title, byline, council_name, self.site_name),),
            picture=picture,
        )
        # A picture that cannot be drawn (unreadable, too large, odd) gives the council's card.
        return card if self._cached(card) is not None else self.council_card(meta.council)

    def _picture_file(self, post: Post) -> Path | None:
        """The post's picture, if it is a file of its own under docs/."""
        if post.meta is None or not post.meta.image:
            return None
        docs = self.project.docs_dir.resolve()
        path = (post.source.path.parent / post.meta.image).resolve()
        if docs not in path.parents or is_linked(post.source.path.parent / post.meta.image, docs):
            return None
        # Past the size limit it is not even read (its bytes are hashed for the cache key).
        try:
            usable = path.is_file() and path.stat().st_size <= MAX_PICTURE_BYTES
        except OSError:
            return None
        return path if usable else None

    def _host(self) -> str:
        return self.site_url.split("://", 1)[-1].rstrip("/")

    def write(self, card: Card) -> Path:
        """The card's file in the site, drawn (or taken from the cache) on first use."""
        if card.name in self._written:
            return self._written[card.name]
        cached = self._cached(card)
        if cached is None:
            raise ValueError(f"the card {card.name} cannot be drawn")
        target = self.site_dir / card.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        self._written[card.name] = target
        return target

    def _cached(self, card: Card) -> Path | None:
        """The card's file in the cache, drawn if it is not there; None if its picture cannot
        be drawn, could not be drawn before, or is an SVG and this build's time for drawing
        SVGs is spent."""
        cached = self.cache_dir / f"{_card_key(card)}.jpg"
        if cached.is_file():
            return cached
        failed: Path | None = None
        seconds: float | None = None
        if card.picture is not None:
            failed = self.cache_dir / f"{_picture_key(card.picture)}.failed"
            if failed.is_file():
                return None
            if _is_svg(card.picture):
                seconds = min(SVG_SECONDS, self._svg_seconds_left)
                if seconds <= 0:
                    return None
        started = time.monotonic()
        drawn = draw_card(card, svg_seconds=seconds)
        spent = time.monotonic() - started
        if seconds is not None:
            self._svg_seconds_left -= spent
        if drawn is None:
            # Remembered, unless it was stopped early only because the build's time ran short.
            if failed is not None and (
                seconds is None or seconds >= SVG_SECONDS or spent < seconds
            ):
                _write_atomically(failed, b"")
            return None
        _write_atomically(cached, drawn)
        return cached

    # -- For the feeds ------------------------------------------------------------------------

    def icon_urls(self) -> tuple[str, str] | None:
        """The site's icon and favicon, by full address, if the site has them."""
        docs = self.project.docs_dir
        if not all((docs / icon).is_file() for icon in (ICON, FAVICON)):
            return None
        return self.site_url + ICON, self.site_url + FAVICON

    def item_picture(self, post: Post) -> tuple[str, Path] | None:
        """A feed item's picture: its post's card, by full address and built file."""
        if post.meta is None:
            return None
        card = self.post_card(post)
        return self.site_url + card.path, self.write(card)


# -- Drawing --------------------------------------------------------------------------------------


def draw_card(card: Card, svg_seconds: float | None = None) -> bytes | None:
    """The card as JPEG bytes; None if its picture cannot be drawn (an SVG one within
    ``svg_seconds``, by default ``SVG_SECONDS``)."""
    kind, *texts = card.lines[0]
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    if kind == "post" and card.picture is not None:
        picture = read_picture(card.picture, (PICTURE_WIDTH, CARD_HEIGHT), svg_seconds)
        if picture is None:
            return None
        image.paste(picture, (CARD_WIDTH - PICTURE_WIDTH, 0))
        title, byline, council, site = texts
        _draw_post_text(draw, title, byline, council, site, CARD_WIDTH - PICTURE_WIDTH)
    elif kind == "council":
        name, region, site, host = texts
        _draw_banner(draw, name, region, f"{site} · {host}")
    else:
        site, description, host = texts
        _draw_banner(draw, site, description, host)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _draw_post_text(
    draw: ImageDraw.ImageDraw, title: str, byline: str, council: str, site: str, width: int
) -> None:
    draw.rectangle((0, 0, 12, CARD_HEIGHT), fill=ACCENT)
    text_width = width - 2 * MARGIN
    footer = _font(REGULAR_FONT, 28)
    draw.text((MARGIN, CARD_HEIGHT - MARGIN), site, font=footer, fill=ACCENT, anchor="ls")
    small = _font(REGULAR_FONT, 30)
    y = CARD_HEIGHT - MARGIN - 60
    for text in reversed([t for t in (byline, council) if t]):
        line = _fit_line(draw, text, small, text_width)
        draw.text((MARGIN, y), line, font=small, fill=SOFT_TEXT, anchor="ls")
        y -= 42
    _draw_block(draw, title, (MARGIN, MARGIN), text_width, y - MARGIN - 20, (60, 52, 44, 38))


def _draw_banner(draw: ImageDraw.ImageDraw, heading: str, text: str, footer: str) -> None:
    draw.rectangle((0, 0, CARD_WIDTH, 12), fill=ACCENT)
    draw.rectangle((0, CARD_HEIGHT - 110, CARD_WIDTH, CARD_HEIGHT), fill=PANEL)
    width = CARD_WIDTH - 2 * MARGIN
    bottom = _draw_block(draw, heading, (MARGIN, 90), width, 230, (80, 68, 56, 48))
    if text:
        _draw_block(
            draw, text, (MARGIN, bottom + 30), width, 150, (36, 32), REGULAR_FONT, SOFT_TEXT
        )
    small = _font(REGULAR_FONT, 30)
    line = _fit_line(draw, footer, small, width)
    draw.text((MARGIN, CARD_HEIGHT - 55), line, font=small, fill=TEXT, anchor="lm")


def _draw_block(
    draw: ImageDraw.ImageDraw,
    text: str,
    origin: tuple[int, int],
    width: int,
    height: int,
    sizes: tuple[int, ...],
    font_file: Path = BOLD_FONT,
    fill: str = TEXT,
) -> int:
    """``text`` wrapped into the box, at the largest of ``sizes`` that fits (the last size cut
    with an ellipsis if even it does not); returns the bottom of the text."""
    for size in sizes:
        font = _font(font_file, size)
        lines = _wrap(draw, text, font, width)
        leading = round(size * 1.2)
        if len(lines) * leading <= height or size == sizes[-1]:
            break
    most = max(1, height // leading)
    if len(lines) > most:
        lines = [*lines[: most - 1], _fit_line(draw, " ".join(lines[most - 1 :]), font, width)]
    x, y = origin
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill, anchor="la")
        y += leading
    return y


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Words in lines no wider than ``width``; a word wider than a line is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in " ".join(text.split()).split(" "):
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width:
            cut = _longest_prefix(draw, word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _longest_prefix(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> int:
    cut = len(text)
    while cut > 1 and draw.textlength(text[:cut], font=font) > width:
        cut -= 1
    return cut


def _fit_line(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> str:
    """``text`` on one line, cut with an ellipsis if it is too wide."""
    text = " ".join(text.split())
    if draw.textlength(text, font=font) <= width:
        return text
    cut = _longest_prefix(draw, text + "…", font, width)
    return text[: max(0, cut - 1)].rstrip() + "…"


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


# -- Reading a picture ----------------------------------------------------------------------------


def read_picture(
    path: Path, box: tuple[int, int], svg_seconds: float | None = None
) -> Image.Image | None:
    """The picture at ``path`` filling ``box`` (cropped to it, centred), or None when it cannot
    be read, is past the limits, or is an SVG that the hub's check refuses or that takes longer
    than ``svg_seconds`` (by default ``SVG_SECONDS``) to draw."""
    try:
        if path.stat().st_size > MAX_PICTURE_BYTES:
            return None
        data = path.read_bytes()
        if _is_svg(path):
            seconds = SVG_SECONDS if svg_seconds is None else svg_seconds
            picture = _rasterise_svg(data, box, seconds)
        else:
            picture = _open_raster(data, box)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, etree.XMLSyntaxError):
        return None
    if picture is None:
        return None
    return ImageOps.fit(_flatten(picture), box, Image.Resampling.LANCZOS)


def _open_raster(data: bytes, box: tuple[int, int]) -> Image.Image | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        picture = Image.open(io.BytesIO(data), formats=RASTER_FORMATS)
        width, height = picture.size
        if width * height > MAX_PICTURE_PIXELS or not _sensible(width, height):
            return None
        picture.draft("RGB", box)  # a large JPEG is decoded at a fraction of its size
        picture.load()
    return picture


def _is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def _rasterise_svg(data: bytes, box: tuple[int, int], seconds: float) -> Image.Image | None:
    """An SVG drawn by resvg, large enough to fill ``box``, if the hub's SVG check passes it
    (then it draws only itself: no other file, no script); its text in the card's font, never
    the machine's."""
    if svg_verdicts("picture.svg", data):
        return None
    size = _svg_size(data)
    if size is None:
        return None
    width, height = size
    scale = max(box[0] / width, box[1] / height)
    # In a process of its own, stopped after ``seconds``: an SVG made to take minutes to draw
    # (filters, deep patterns) costs the build no more than that. Isolated (-I): no module from
    # the repository's folder can stand in for resvg. resvg-py cannot be told to load no files,
    # so besides the check above it runs in an empty folder, which is also where it resolves a
    # relative file name, and with little memory, so that a file that never ends (/dev/zero)
    # fails at once.
    with tempfile.TemporaryDirectory(prefix="hub-card-") as folder:
        options = {
            "width": math.ceil(width * scale),
            "skip_system_fonts": True,
            "font_files": [str(REGULAR_FONT), str(BOLD_FONT)],
            "sans_serif_family": "Source Sans Pro",
            "font_family": "Source Sans Pro",
            "resources_dir": folder,
        }
        command = [sys.executable, "-I", "-c", _RASTERISE, json.dumps(options)]
        try:
            drawn = subprocess.run(
                [*command, str(SVG_MEMORY_BYTES)],
                input=data,
                capture_output=True,
                cwd=folder,
                timeout=seconds,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
    if drawn.returncode != 0:
        return None
    return Image.open(io.BytesIO(drawn.stdout), formats=("PNG",))


# Limits its own memory (where it cannot, it draws nothing), reads the SVG from standard input
# and writes the PNG to standard output.
_RASTERISE = """
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import resvg_py
svg = sys.stdin.buffer.read().decode("utf-8")
sys.stdout.buffer.write(resvg_py.svg_to_bytes(svg_string=svg, **json.loads(sys.argv[1])))
"""


def _svg_size(data: bytes) -> tuple[float, float] | None:
    """An SVG's proportions, from its ``viewBox`` or ``width`` and ``height``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4:
            width, height = float(box[2]), float(box[3])
        else:
            width = float((root.get("width") or "300").removesuffix("px"))
            height = float((root.get("height") or "150").removesuffix("px"))
    except ValueError:
        return None
    return (width, height) if _sensible(width, height) else None


def _sensible(width: float, height: float) -> bool:
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        return False
    return max(width / height, height / width) <= MAX_PICTURE_RATIO


def _flatten(picture: Image.Image) -> Image.Image:
    """RGB, with any transparency on white."""
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        ground = Image.new("RGB", rgba.size, "#ffffff")
        ground.paste(rgba, mask=rgba.getchannel("A"))
        return ground
    return picture.convert("RGB")


# -- Keeping cards --------------------------------------------------------------------------------


def _card_key(card: Card) -> str:
    """A hash of everything that makes the card: the drawing's version, the fonts, the texts and
    the picture's bytes."""
    digest = hashlib.sha256()
    fonts = [(f.name, f.stat().st_size) for f in (BOLD_FONT, REGULAR_FONT)]
    digest.update(json.dumps([CARD_VERSION, fonts, card.lines]).encode("utf-8"))
    if card.picture is not None:
        digest.update(hashlib.sha256(card.picture.read_bytes()).digest())
    return digest.hexdigest()


def _picture_key(picture: Path) -> str:
    """A hash of a picture's bytes and of what decides whether it can be drawn, for
    remembering that it could not."""
    digest = hashlib.sha256(json.dumps([CARD_VERSION, SVG_SECONDS]).encode("utf-8"))
    digest.update(hashlib.sha256(picture.read_bytes()).digest())
    return digest.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)


def _post_name(url: str) -> str:
    """A post's card name from its address: ``blog/2012/03/07/open-access/`` ->
    ``2012-03-07-open-access``."""
    parts = [p for p in url.strip("/").split("/") if p]
    return "-".join(parts[1:] if len(parts) > 1 else parts) or "post"


def _and(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _timezone(rss: dict[str, object] | None) -> dt.tzinfo:
    """The zone the feed plugin reads front-matter dates in (``default_timezone``)."""
    options = (rss or {}).get("date_from_meta")
    name = options.get("default_timezone") if isinstance(options, dict) else None
    try:
        return zoneinfo.ZoneInfo(str(name)) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC
