"""A post's body as readers get it: rendered with the site's Markdown, judged by the markup policy,
and every finding traced back to the line and column of the post file.

Python-Markdown keeps no source positions, so the rendering says *what* readers would get and a
search of the source says *where* it was written:

- the pictures and the unsafe markup are read from the rendered HTML, parsed as a browser parses
  it, and what sanitizing would remove is what ``html_changes`` finds between the rendering and
  its sanitized copy;
- each finding is then found in the source by what was written there: the element's ``<tag``,
  the attribute's name, the address or class as typed. Findings of one kind are matched to their
  places in order. Where the source has more places than the rendering has findings (the same
  markup shown as an example in a code block, say), each place is tried: the source is rendered
  again with that place blanked out, and the place that makes a finding go away is the one.

Reading a post costs a rendering; ``ReadingCache`` keeps each post's reading, by the hash of its
body and of the code and settings that read it, so that only changed posts are rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import secrets
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from html import escape
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown.treeprocessors import Treeprocessor

from socialcouncils.content.markdown_render import MarkdownSettings, markdown_for
from socialcouncils.policy.html_changes import CLASS, ELEMENT, Change, changes, normalized
from socialcouncils.policy.markup_policy import DECORATIVE_CLASS, MarkupPolicy, parse_fragment

# An image reference whose definition is missing stays in the text as written.
UNRESOLVED_IMAGE_RE = re.compile(r"!\[[^\]\n]*\](?:\[[^\]\n]*\])?(?!\()")


@dataclass(frozen=True, slots=True)
class Spot:
    """A 1-based line and column in the post file."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class RenderedImage:
    """A picture in the rendered post. ``raw_html``: written as an HTML ``<img>``, whose path the
    build does not adjust."""

    src: str
    alt: str | None
    decorative: bool
    raw_html: bool
    spot: Spot


@dataclass(frozen=True, slots=True)
class MarkupFinding:
    change: Change
    spot: Spot


@dataclass(frozen=True, slots=True)
class UnresolvedImage:
    text: str
    spot: Spot


# Where a body's excerpt mark is: between blocks (where the blog cuts its excerpt), inside
# another block (a table, a list, a collapsed block), or nowhere.
BETWEEN_BLOCKS, INSIDE_A_BLOCK, NOWHERE = "between blocks", "inside a block", "nowhere"


@dataclass(slots=True)
class BodyReading:
    images: list[RenderedImage] = field(default_factory=list)
    markup: list[MarkupFinding] = field(default_factory=list)
    unresolved: list[UnresolvedImage] = field(default_factory=list)
    excerpt_mark: str = NOWHERE
    excerpt_spot: Spot = Spot(1, 1)

    def to_json(self, first_line: int) -> dict[str, Any]:
        """Lines counted from the body's first line, so that the reading does not depend on
        how long the front matter above it is."""

        def rel(spot: Spot) -> list[int]:
            return [spot.line - first_line, spot.col]

        return {
            "images": [[i.src, i.alt, i.decorative, i.raw_html, rel(i.spot)] for i in self.images],
            "markup": [[*asdict(f.change).values(), rel(f.spot)] for f in self.markup],
            "unresolved": [[u.text, rel(u.spot)] for u in self.unresolved],
            "excerpt": [self.excerpt_mark, rel(self.excerpt_spot)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], first_line: int) -> BodyReading:
        def spot(rel: list[int]) -> Spot:
            return Spot(rel[0] + first_line, rel[1])

        return cls(
            [RenderedImage(s, a, d, r, spot(at)) for s, a, d, r, at in data["images"]],
            [MarkupFinding(Change(*c[:4]), spot(c[4])) for c in data["markup"]],
            [UnresolvedImage(t, spot(at)) for t, at in data["unresolved"]],
            data["excerpt"][0],
            spot(data["excerpt"][1]),
        )


class BodyReader:
    """Renders post bodies with the site's Markdown and judges them with the markup policy."""

    def __init__(
        self, settings: MarkdownSettings, policy: MarkupPolicy, excerpt_mark: str = "<!-- more -->"
    ) -> None:
        self.settings = settings
        self.policy = policy
        self.excerpt_mark = excerpt_mark
        self.md = markdown_for(settings)
        # Pictures written in Markdown are marked as they are made, with a name no post can
        # know, so that the reading tells them from pictures written as HTML.
        self.mark = f"data-hub-markdown-{secrets.token_hex(8)}"
        self.md.treeprocessors.register(_MarkPictures(self.mark), "hub_mark_pictures", 0)
        self.fingerprint = _fingerprint(repr((self.settings, self.policy, excerpt_mark)))

    def render(self, text: str) -> tuple[str, list[RenderedPicture]]:
        """The HTML, before sanitizing (and without the marks), and its pictures."""
        self.md.reset()
        marked = self.md.convert(text)
        tree = parse_fragment(marked)
        pictures = _pictures(tree, self.mark)
        return marked.replace(f' {self.mark}=""', ""), pictures

    def changes_in(self, text: str) -> list[Change]:
        html, _ = self.render(text)
        clean = self.policy.sanitize(html)
        return [] if normalized(html) == normalized(clean) else changes(html, clean)

    def images_in(self, text: str) -> list[str]:
        return [picture.src for picture in self.render(text)[1]]

    def read(self, body: str, first_line: int) -> BodyReading:
        html, images = self.render(body)
        tree = parse_fragment(html)
        clean = self.policy.sanitize(html)
        same = (tree.html or "").strip() == normalized(clean) if html.strip() else True
        found = [] if same else changes(html, clean)
        locator = SourceLocator(body, first_line)
        reading = BodyReading()
        spots = locator.locate(found, needles_for, lambda text, c: self.changes_in(text).count(c))
        reading.markup = [MarkupFinding(c, spot) for c, spot in zip(found, spots, strict=True)]
        sources = [picture.src for picture in images]
        spots = locator.locate(sources, _src_needles, lambda text, s: self.images_in(text).count(s))
        reading.images = [
            RenderedImage(p.src, p.alt, p.decorative, p.raw_html, spot)
            for p, spot in zip(images, spots, strict=True)
        ]
        texts = list(_unresolved_image_texts(tree))
        spots = locator.locate(texts, lambda t: [re.compile(re.escape(t))], None)
        reading.unresolved = [UnresolvedImage(t, s) for t, s in zip(texts, spots, strict=True)]
        if self.excerpt_mark in body:
            reading.excerpt_mark = _mark_place(tree, self.excerpt_mark)
            reading.excerpt_spot = locator.spot(body.index(self.excerpt_mark))
        return reading


@dataclass(frozen=True, slots=True)
class RenderedPicture:
    src: str
    alt: str | None
    decorative: bool
    raw_html: bool


class _MarkPictures(Treeprocessor):
    """Marks each picture of the Markdown tree (pictures written as HTML are not in it)."""

    def __init__(self, mark: str) -> None:
        super().__init__()
        self.mark = mark

    def run(self, root: Element) -> None:
        for image in root.iter("img"):
            image.set(self.mark, "")


def _pictures(tree: Any, mark: str) -> list[RenderedPicture]:
    """Each picture of the rendered post, in order."""
    found = []
    for element in tree.css("img") if tree.root is not None else ():
        attrs = element.attributes
        classes = (attrs.get("class") or "").split()
        found.append(
            RenderedPicture(
                attrs.get("src") or "",
                attrs.get("alt") if "alt" in attrs else None,
                DECORATIVE_CLASS in classes,
                mark not in attrs,
            )
        )
    return found


def _mark_place(tree: Any, mark: str) -> str:
    """Whether the rendered body has the excerpt mark between its blocks (the blog cuts the
    excerpt there), or only inside another block, where cutting would leave it unclosed."""
    content = mark.removeprefix("<!--").removesuffix("-->").strip()
    nested = False
    for node in tree.root.traverse(include_text=True) if tree.root is not None else ():
        if node.is_comment_node and (node.comment_content or "").strip() == content:
            if node.parent is None:
                return BETWEEN_BLOCKS
            nested = True
    return INSIDE_A_BLOCK if nested else NOWHERE


def _unresolved_image_texts(tree: Any) -> Iterator[str]:
    """``![alt][id]`` left as text, outside code (where it is only an example)."""
    if tree.root is None:
        return
    for node in tree.root.traverse(include_text=True):
        if node.is_text_node and "![" in (node.text_content or ""):
            if any(a.tag in ("code", "pre") for a in _ancestors(node)):
                continue
            yield from (m.group(0) for m in UNRESOLVED_IMAGE_RE.finditer(node.text_content))


def _ancestors(node: Any) -> Iterator[Any]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


# -- Finding the source of each finding --------------------------------------------------------


Needles = Callable[[Any], list[re.Pattern[str]]]


class SourceLocator:
    """Finds where each finding of a rendered post was written in its source, and turns offsets
    into file lines and columns."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body
        self.first_line = first_line

    def spot(self, offset: int) -> Spot:
        line = self.first_line + self.body.count("\n", 0, offset)
        return Spot(line, offset - self.body.rfind("\n", 0, offset))

    def places(self, needles: list[re.Pattern[str]]) -> list[int]:
        """Where any of the needles occurs, in order (a needle's group ``at`` marks the place);
        the last needle is looked for only when the others are nowhere."""
        *telling, fallback = needles
        for group in (telling, [fallback]):
            found = sorted(
                {
                    m.start("at") if "at" in m.re.groupindex else m.start()
                    for n in group
                    for m in n.finditer(self.body)
                }
            )
            if found:
                return found
        return []

    def locate(
        self,
        findings: list[Any],
        needles: Needles,
        count_in: Callable[[str, Any], int] | None,
    ) -> list[Spot]:
        """The place of each finding. Equal findings take their places in order; where there are
        more places than findings, and ``count_in`` says how many of a finding the source would
        give, only the places whose blanking makes one go away are taken."""
        by_kind: dict[Any, list[int]] = defaultdict(list)
        for index, finding in enumerate(findings):
            by_kind[finding].append(index)
        spots: dict[int, Spot] = {}
        for finding, indexes in by_kind.items():
            places = self.places(needles(finding))
            if len(places) > len(indexes) and count_in is not None:
                places = self._confirmed(finding, len(indexes), places, count_in)
            for position, index in enumerate(indexes):
                spots[index] = self.spot(places[min(position, len(places) - 1)] if places else 0)
        return [spots[index] for index in range(len(findings))]

    def _confirmed(
        self, finding: Any, wanted: int, places: list[int], count_in: Callable[[str, Any], int]
    ) -> list[int]:
        """The places whose blanking makes one of the ``wanted`` findings go away; the others
        after them, if fewer are confirmed."""
        confirmed: list[int] = []
        for place in places:
            end = place + 1
            while end < len(self.body) and (self.body[end].isalnum() or self.body[end] in "-_:"):
                end += 1
            filler = "".join("q" if c == "z" else "z" for c in self.body[place:end])
            blanked = self.body[:place] + filler + self.body[end:]
            if count_in(blanked, finding) < wanted:
                confirmed.append(place)
                if len(confirmed) == wanted:
                    return confirmed
        return confirmed + [p for p in places if p not in confirmed]


def _tag_needle(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<\s*{re.escape(tag)}(?=[\s/>]|$)", re.I)


def _name_needle(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w:.-]){re.escape(name)}(?=\s*=|[\s/>}}]|$)", re.I)


def _word_needle(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def _literal_needles(value: str) -> list[re.Pattern[str]]:
    forms = dict.fromkeys([value, escape(value, quote=False), escape(value)])
    return [re.compile(re.escape(form)) for form in forms if form]


def _src_needles(src: str) -> list[re.Pattern[str]]:
    """Where a picture's address is written: after ``src=``, in ``![alt](…)`` or in a reference
    ``[id]: …``; anywhere, only when it is in none of those."""
    if not src:
        return [_tag_needle("img")]
    forms = "|".join(re.escape(f) for f in dict.fromkeys([src, escape(src)]))
    return [
        re.compile(rf"\bsrc\s*=\s*[\"']?(?P<at>{forms})", re.I),
        re.compile(rf"\]\(\s*<?(?P<at>{forms})"),
        re.compile(rf"^[ ]{{0,3}}\[[^\]\n]+\]:\s*<?(?P<at>{forms})", re.M),
        re.compile(rf"(?<![\w.-])(?P<at>{forms})(?![\w.-])"),
    ]


def needles_for(change: Change) -> list[re.Pattern[str]]:
    """What to look for in the source of a change: most telling first."""
    if change.kind == ELEMENT:
        return [_tag_needle(change.tag), _tag_needle(change.tag)]
    if change.kind == CLASS:
        return [_word_needle(change.name), _word_needle(change.name)]
    literal = _literal_needles(change.value) if change.value.strip() else []
    if change.name in ("href", "src", "id") and literal:
        return [*literal, _name_needle(change.name)]
    return [_name_needle(change.name), _name_needle(change.name)]


# -- The cache ---------------------------------------------------------------------------------

# The modules whose code decides a reading: a change to any of them reads every post again.
_READING_MODULES = (
    "socialcouncils.content.rendered_body",
    "socialcouncils.policy.html_changes",
    "socialcouncils.policy.markup_policy",
    "socialcouncils.content.markdown_render",
    "socialcouncils.content.permalinks",
)
_READING_LIBRARIES = ("nh3", "selectolax", "Markdown", "pymdown-extensions", "Pygments")


@cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in _READING_MODULES:
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin is not None, module
        digest.update(Path(spec.origin).read_bytes())
    for library in _READING_LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def _fingerprint(settings: str) -> str:
    return hashlib.sha256(f"{_code_fingerprint()}\n{settings}".encode()).hexdigest()[:16]


class ReadingCache:
    """Each post's last reading, by post file, in one JSON file (``.cache/`` of the project).

    It holds at most one reading a post, and a reading is used only when the post's body and the
    code and settings that read it are the same (the key).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self.entries = loaded
            except (OSError, ValueError):
                pass

    @staticmethod
    def key(body: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{fingerprint}\n{body}".encode()).hexdigest()

    def reading(self, post: str, body: str, first_line: int, reader: BodyReader) -> BodyReading:
        key = self.key(body, reader.fingerprint)
        entry = self.entries.get(post)
        if entry is not None and entry.get("key") == key:
            try:
                return BodyReading.from_json(entry["reading"], first_line)
            except (KeyError, TypeError, ValueError):
                pass
        reading = reader.read(body, first_line)
        self.entries[post] = {"key": key, "reading": reading.to_json(first_line)}
        self.changed = True
        return reading

    def save(self) -> None:
        """Write the readings, if any changed; a cache that cannot be written is not an error.

        The file is written whole under another name, then put in place in one step: checks
        run at the same time (a test suite's workers, a build and a preview) each read a whole
        file, never half of one, and the last to finish is kept.
        """
        if self.path is None or not self.changed:
            return
        temporary: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.entries, out, separators=(",", ":"))
            os.replace(temporary, self.path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return
        self.changed = False
