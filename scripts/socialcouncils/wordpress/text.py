"""Plain text and dates from a WordPress export: names, titles and excerpts as the plain words
they show, and WordPress's dates in the site's time zone."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import nh3

from socialcouncils.content.plain_text import HIDDEN_CHARACTERS_RE, MARKUP_RE, nfc

SITE_ZONE = ZoneInfo("Europe/London")
EMPTY_DATE = "0000-00-00 00:00:00"
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+")


def plain(text: str) -> str:
    """``text`` without markup (what a browser would show of it), entities read, spaces single,
    hidden characters gone."""
    # Twice: a name written as "&lt;b&gt;" in the export is markup once read.
    for _ in range(2):
        text = unescape(text)
        if MARKUP_RE.search(text):
            text = unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    text = HIDDEN_CHARACTERS_RE.sub("", text)
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    text = MARKUP_RE.sub(lambda m: "< " + m.group(0)[1:], text)
    return nfc(re.sub(r"\s+", " ", text).strip())


def wp_date(gmt: str, local: str) -> dt.datetime | None:
    """A WordPress date (its UTC value when it has one) as a naive date-time in the site's time
    zone, Europe/London, the zone the feeds read post dates in."""
    for value, zone in ((gmt, dt.UTC), (local, None)):
        value = (value or "").strip()
        if not value or value == EMPTY_DATE:
            continue
        try:
            parsed = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if zone is None:
            return parsed
        return parsed.replace(tzinfo=zone).astimezone(SITE_ZONE).replace(tzinfo=None)
    return None


def summary(text: str, limits: tuple[int, int]) -> str:
    """The first sentences of ``text`` that make at least ``limits[0]`` characters, cut to at
    most ``limits[1]`` at a word."""
    low, high = limits
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= high:
        sentences = SENTENCE_END_RE.split(text)
        out = ""
        for sentence in sentences:
            out = f"{out} {sentence}".strip()
            if len(out) >= low:
                return out
        return out
    out = ""
    for sentence in SENTENCE_END_RE.split(text):
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > high:
            break
        out = candidate
        if len(out) >= low * 3:
            break
    if len(out) >= low:
        return out
    cut = text[: high - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
