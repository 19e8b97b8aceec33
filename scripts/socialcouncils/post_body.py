"""What a post's Markdown body contains, with the file line and column of every part.

Python-Markdown keeps no source positions: its block parser cuts the text into blocks it rewrites
(indentation stripped, raw HTML stashed away) and its output tree carries no line numbers, so
rendering the post and reading the HTML would say *what* is wrong but not *where*. Other Markdown
libraries that do keep line maps (markdown-it, for one) implement CommonMark, which parses
images, references and raw HTML differently from the Python-Markdown the site is built with.
So the body is scanned here, once, using Python-Markdown's own pieces wherever they exist:

- fenced code blocks, inline code spans and HTML comments are blanked out first (same length,
  same line breaks, so every offset still points at the same place), because nothing in them is
  rendered;
- reference definitions (``[id]: path "title"``) are found with the expression of
  Python-Markdown's own ``ReferenceProcessor``;
- images (``![alt](src)``, ``![alt][id]``, ``![alt]``) and links are parsed by Python-Markdown's
  own inline processors, called at each ``![`` or ``[`` of each paragraph; they return start and
  end indices, which map back to lines and columns;
- attribute lists (``{: .class key="value" }``, from the attr_list extension) are read with
  attr_list's own ``get_attrs_and_remainder``;
- raw HTML tags come from the standard library's ``html.parser``, which reports each tag's
  line and column.

Known limit: indented code blocks are not blanked, because admonition bodies are indented the same
way and must be checked; an example written in an indented code block is checked as if it were
live (write examples in fenced code blocks).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

Attrs = list[tuple[str, str | None]]

FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
CODE_SPAN_RE = re.compile(r"(?<![`\\])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
BRACKET_RE = re.compile(r"!?\[")
# An attribute list anywhere in the text, up to its first closing brace.
ATTR_LIST_RE = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
# attr_list's own expression for a list straight after an inline element, unanchored here so that
# it can be matched at an offset.
INLINE_ATTR_LIST_RE = re.compile(AttrListTreeprocessor.BASE_RE)
OPEN_BRACKET_RE = re.compile(r"\[")


@dataclass(frozen=True, slots=True)
class Spot:
    """A 1-based line and column in the post file."""

    line: int
    col: int


@dataclass
class RefDef:
    """``[id]: url "title"``: ``spot`` is where the url is written."""

    id: str
    url: str
    spot: Spot


@dataclass
class MdImage:
    """A Markdown image. ``ref`` is set for ``![alt][id]``; ``src`` is None when id is undefined."""

    src: str | None
    alt: str
    spot: Spot
    attrs: Attrs = field(default_factory=list)
    ref: RefDef | None = None
    ref_id: str = ""


@dataclass
class MdLink:
    href: str
    spot: Spot


@dataclass
class AttrList:
    attrs: Attrs
    spot: Spot
    text: str


@dataclass
class Tag:
    """A raw HTML start tag; ``attr_spot`` finds where one attribute is written."""

    name: str
    attrs: Attrs
    spot: Spot
    text: str
    lines: LineMap = field(repr=False)
    offset: int

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.attrs)

    def attr_spot(self, name: str) -> Spot:
        match = re.search(rf"(?<![\w:-]){re.escape(name)}\s*(?:=|\s|/?>)", self.text, re.IGNORECASE)
        if match is None:
            return self.spot
        return self.lines.spot(self.offset + match.start())


@dataclass(slots=True)
class BodyScan:
    images: list[MdImage] = field(default_factory=list)
    links: list[MdLink] = field(default_factory=list)
    refs: dict[str, RefDef] = field(default_factory=dict)
    attr_lists: list[AttrList] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)


class LineMap:
    """Turns offsets in a post body, whose first line is ``first_line`` of its file, into file
    lines and columns.

    Each part of a body is found in order, so the line of an offset is counted on from the one
    before; an offset before it is counted from the start.
    """

    __slots__ = ("_line", "_offset", "_starts", "first_line", "text")

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self._offset = 0
        self._line = first_line
        self._starts: list[int] | None = None

    def spot(self, offset: int) -> Spot:
        if offset < self._offset:
            self._offset, self._line = 0, self.first_line
        self._line += self.text.count("\n", self._offset, offset)
        self._offset = offset
        return Spot(self._line, offset - self.text.rfind("\n", 0, offset))

    def offset(self, line: int, col: int) -> int:
        """The offset of ``line`` (1-based, in the body) and ``col`` (0-based), as html.parser
        reports a position."""
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        return self._starts[line - 1] + col


def _blank(text: str) -> str:
    """Spaces in place of every character but the line breaks."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def mask_code_and_comments(text: str) -> str:
    """``text`` with fenced code, code spans and HTML comments blanked, keeping every offset."""
    # Each search below reads the whole body; a single character is found fastest, so it is
    # looked for first.
    ticks = "`" in text
    if (ticks and "```" in text) or ("~" in text and "~~~" in text):
        text = _mask_fences(text)
    if "<!--" in text:
        text = COMMENT_RE.sub(lambda m: _blank(m.group(0)), text)
    if ticks:
        text = CODE_SPAN_RE.sub(lambda m: _blank(m.group(0)), text)
    return text


def _mask_fences(text: str) -> str:
    out = list(text)
    offset = 0
    fence: str | None = None
    fence_start = 0
    for line in text.split("\n"):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence, fence_start = match.group(1), offset
        elif fence is not None and match and _closes(fence, match.group(1), line[match.end() :]):
            out[fence_start : offset + len(line)] = _blank(text[fence_start : offset + len(line)])
            fence = None
        offset += len(line) + 1
    if fence is not None:
        out[fence_start:] = _blank(text[fence_start:])
    return "".join(out)


def _closes(fence: str, marker: str, rest: str) -> bool:
    """A fence closes with the same character, at least as many times, and nothing after."""
    return marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip()


class _Processors(threading.local):
    """Python-Markdown's own inline processors, one set per thread (they hold the references)."""

    def __init__(self) -> None:
        self.md = markdown.Markdown()
        # Set by the inline tree processor when it runs; the processors read it to unescape.
        self.md.treeprocessors["inline"].stashed_nodes = {}
        patterns = self.md.inlinePatterns
        self.image = [patterns[n] for n in ("image_link", "image_reference", "short_image_ref")]
        self.link = [patterns[n] for n in ("link", "reference", "short_reference")]


_processors = _Processors()


def _escaped(text: str, index: int) -> bool:
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


class _TagCollector(HTMLParser):
    def __init__(self, lines: LineMap) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = lines
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        line, col = self.getpos()
        self.tags.append(
            Tag(
                name=tag,
                attrs=attrs,
                spot=Spot(self.lines.first_line + line - 1, col + 1),
                text=self.get_starttag_text() or "",
                lines=self.lines,
                offset=self.lines.offset(line, col),
            )
        )

    handle_startendtag = handle_starttag


def scan_body(body: str, first_line: int) -> BodyScan:
    """Every image, link, reference, attribute list and HTML tag in a post body."""
    scan = BodyScan()
    text = mask_code_and_comments(body)
    # Most bodies are plain prose: each part below is looked for only when the character it
    # starts with is in the text at all.
    if not any(mark in text for mark in "[{<"):
        return scan
    lines = LineMap(text, first_line)

    taken: list[tuple[int, int]] = []
    # A reference definition always has ']:' ; its expression is slow to fail on long prose.
    for match in ReferenceProcessor.RE.finditer(text) if "]:" in text else ():
        ref_id = match.group(1).strip().lower()
        url = match.group(2).lstrip("<").rstrip(">")
        ref = RefDef(ref_id, url, lines.spot(match.start(2)))
        scan.refs.setdefault(ref_id, ref)
        taken.append((match.start(), match.end()))

    processors = _processors
    processors.md.references = {k: (r.url, None) for k, r in scan.refs.items()}
    block_start = 0
    for block in PARAGRAPH_BREAK_RE.split(text) if "[" in text else ():
        _scan_block(block, block_start, lines, taken, scan)
        block_start += len(block)
        block_start = _next_block_start(text, block_start)

    for match in ATTR_LIST_RE.finditer(text) if "{" in text else ():
        attrs, _ = get_attrs_and_remainder(match.group(1))
        scan.attr_lists.append(AttrList(attrs, lines.spot(match.start()), match.group(0)))

    if "<" in text:
        collector = _TagCollector(lines)
        collector.feed(text)
        collector.close()
        scan.tags = collector.tags
    return scan


def _next_block_start(text: str, end_of_block: int) -> int:
    match = PARAGRAPH_BREAK_RE.match(text, end_of_block)
    return match.end() if match else end_of_block


def _scan_block(
    block: str, base: int, lines: LineMap, taken: list[tuple[int, int]], scan: BodyScan
) -> None:
    if "[" not in block:
        return
    image_end = link_end = -1
    for match in BRACKET_RE.finditer(block):
        index = match.start()
        absolute = base + index
        if index < image_end or any(a <= absolute < b for a, b in taken):
            continue
        is_image = match.group(0) == "!["
        if is_image and _escaped(block, index):
            is_image, index = False, index + 1
        elif _escaped(block, index):
            continue
        if is_image:
            image_end = _read_image(block, index, base, lines, scan) or image_end
        elif index >= link_end:
            # A link's text may hold an image, but not another link.
            link_end = _read_link(block, index, base, lines, scan) or link_end


def _read_image(block: str, index: int, base: int, lines: LineMap, scan: BodyScan) -> int | None:
    inline = _processors.image[0]
    for processor in _processors.image:
        match = processor.compiled_re.match(block, index)
        if match is None:
            continue
        element, start, end = processor.handleMatch(match, block)
        if end is None or start is None:
            continue
        tail = INLINE_ATTR_LIST_RE.match(block, end)
        image = MdImage(
            src=None if element is None else element.get("src", ""),
            alt="" if element is None else element.get("alt", ""),
            spot=lines.spot(base + start),
            attrs=get_attrs_and_remainder(tail.group(1))[0] if tail else [],
        )
        if processor is not inline:
            image.ref_id = _reference_id(processor, match, block)
            image.ref = scan.refs.get(image.ref_id)
        scan.images.append(image)
        return end
    return None


def _reference_id(processor: Any, match: re.Match[str], block: str) -> str:
    """The id of ``![alt][id]``, ``![alt][]`` or ``![alt]``, as Python-Markdown looks it up."""
    text, index, _ = processor.getText(block, match.end(0))
    ref_id, _, _ = processor.evalId(block, index, text)
    return str(processor.NEWLINE_CLEANUP_RE.sub(" ", ref_id or ""))


def _read_link(block: str, index: int, base: int, lines: LineMap, scan: BodyScan) -> int | None:
    """Read a link at ``index``; only inline links are kept (a reference's address is checked
    where it is defined)."""
    # Matched here rather than with the processors' own expression, which refuses '[' after '!':
    # after an escaped exclamation mark Python-Markdown does read a link.
    match = OPEN_BRACKET_RE.match(block, index)
    assert match is not None
    inline = _processors.link[0]
    for processor in _processors.link:
        element, start, end = processor.handleMatch(match, block)
        if element is None or start is None:
            continue
        if processor is inline:
            scan.links.append(MdLink(element.get("href", ""), lines.spot(base + start)))
        return int(end) if end is not None else None
    return None
