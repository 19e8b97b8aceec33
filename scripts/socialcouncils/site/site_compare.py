"""Two builds of the site compared file by file, to show that two engines build the same site.

Only what says which engine built a file, or when, may differ, and only that is left out before
the comparison (``without_build_stamps``):

- each page's ``<meta name="generator">`` (the engine's name and version);
- a feed channel's ``<pubDate>`` and ``<lastBuildDate>``, the time of the build (each item's
  dates come from its post and are compared);
- the sitemap's ``<lastmod>`` dates, which are the day of the build, and the time in the gzip
  header of ``sitemap.xml.gz`` (its content is compared as the sitemap is).

Everything else, and the set of file paths, must be the same byte for byte.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

_GENERATOR = re.compile(rb'(<meta name="generator" content=")[^"]*(")')
_CHANNEL_DATE = re.compile(rb"(<(pubDate|lastBuildDate)>)[^<]*(</\2>)")
_LASTMOD = re.compile(rb"(<lastmod>)[^<]*(</lastmod>)")
_FIRST_ITEM = b"<item>"


def without_build_stamps(name: str, data: bytes) -> bytes:
    """A built file's bytes with what names the engine and the time of the build blanked.

    ``name`` is the file's name, which says what kind of file it is.
    """
    if name.endswith(".gz"):
        return without_build_stamps(name.removesuffix(".gz"), gzip.decompress(data))
    if name.endswith(".html"):
        return _GENERATOR.sub(rb"\1\2", data)
    if name == "sitemap.xml":
        return _LASTMOD.sub(rb"\1\2", data)
    if name.endswith(".xml") and b"<rss" in data:
        head, item, items = data.partition(_FIRST_ITEM)
        return _CHANNEL_DATE.sub(rb"\1\3", head) + item + items
    return data


@dataclass(frozen=True)
class Difference:
    """One file that is not the same in both builds: where, and its first line that differs."""

    path: str
    line: int
    first: str
    second: str


@dataclass
class Comparison:
    files_compared: int = 0
    only_in_first: list[str] = field(default_factory=list)
    only_in_second: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.only_in_first or self.only_in_second or self.differences)


def built_files(site: Path) -> set[str]:
    """Every file of a built site, by its path in the site."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def compare_sites(first: Path, second: Path) -> Comparison:
    """Compare two built sites file by file, build stamps left out."""
    ours, theirs = built_files(first), built_files(second)
    result = Comparison(only_in_first=sorted(ours - theirs), only_in_second=sorted(theirs - ours))
    for rel in sorted(ours & theirs):
        result.files_compared += 1
        name = rel.rsplit("/", 1)[-1]
        a = without_build_stamps(name, (first / rel).read_bytes())
        b = without_build_stamps(name, (second / rel).read_bytes())
        if a != b:
            result.differences.append(_first_difference(rel, a, b))
    return result


def _first_difference(rel: str, a: bytes, b: bytes) -> Difference:
    lines_a, lines_b = a.splitlines(), b.splitlines()
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=False), 1):
        if line_a != line_b:
            return Difference(rel, number, _shown(line_a), _shown(line_b))
    number = min(len(lines_a), len(lines_b)) + 1
    extra = lines_a[number - 1 :] or lines_b[number - 1 :] or [b""]
    first = _shown(extra[0]) if len(lines_a) >= number else "(end of file)"
    second = _shown(extra[0]) if len(lines_b) >= number else "(end of file)"
    return Difference(rel, number, first, second)


def _shown(line: bytes, limit: int = 160) -> str:
    text = line.decode("utf-8", errors="replace").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
