"""A post's excerpt in its author's words: what lists of posts show of it.

A post's excerpt is its text up to the excerpt separator (``<!-- more -->``). Many posts came
from other blogs whose editors introduced them with a note in italics, kept at the start of the
post: "*This is a guest post by ...*". On the post's page the note belongs; in a list of posts
it would speak for the author. A post that opens with such a note (its first paragraph, wholly
in italics) has as its excerpt the first paragraph after the note instead.

``AuthorsExcerpts`` does this in the converters that render excerpts, before anything else reads
the Markdown; a post's own page is rendered as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# A paragraph wholly in italics: *...* or _..._, with no other emphasis marks of its kind inside.
_ITALIC_PARAGRAPH = re.compile(r"(?s)\A(?:\*(?![\s*])[^*]*(?<!\s)\*|_(?![\s_])[^_]*(?<!\s)_)\Z")
# The first line of a block that is not a plain paragraph: a heading, quote, list, table, picture,
# raw HTML, admonition or collapsible block, footnote or abbreviation, or anything indented.
_NOT_A_PARAGRAPH = re.compile(
    r"\s|#|>|[*+-]\s|\d+[.)]\s|\||!\[|<|!!!|\?\?\?|\[\^|\*\[|[`~]{3}|[-*_](?:\s*[-*_]){2,}\s*$"
)
_FENCE = re.compile(r"\s{0,3}(```|~~~)")


def _blocks(lines: list[str]) -> list[list[str]]:
    """``lines`` as blocks between blank lines; a fenced code block, blank lines and all, is
    one block."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fence: str | None = None
    for line in lines:
        opener = _FENCE.match(line)
        if fence is None and not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
        if opener and fence is None:
            fence = opener.group(1)
        elif opener and opener.group(1) == fence:
            fence = None
    if current:
        blocks.append(current)
    return blocks


def editors_note(block: list[str]) -> bool:
    """Whether a block of Markdown is a paragraph wholly in italics: an editors' note."""
    text = "\n".join(line.strip() for line in block)
    return not _NOT_A_PARAGRAPH.match(block[0]) and bool(_ITALIC_PARAGRAPH.match(text))


def excerpt_lines(lines: list[str], separator: str) -> list[str] | None:
    """The Markdown to render a post's excerpt from, when the post (after its title headings)
    opens with an editors' note: its headings, the first plain paragraph after the note, then
    the separator and the rest. None when the post opens otherwise, or has no paragraph after
    its note."""
    blocks = _blocks(lines)
    start = 0
    while start < len(blocks) and blocks[start][0].startswith("#"):
        start += 1
    if start == len(blocks) or not editors_note(blocks[start]):
        return None
    after = blocks[start + 1 :]
    for index, block in enumerate(after):
        if not _NOT_A_PARAGRAPH.match(block[0]) and not editors_note(block):
            rest = [line for other in after[index + 1 :] for line in [*other, ""]]
            head = [line for heading in blocks[:start] for line in [*heading, ""]]
            return [*head, *block, "", separator, "", *rest]
    return None


class AuthorsExcerpts(Extension):
    """In each converter that ``excerpt_of`` names the separator of (an excerpt's), leave out a
    post's opening editors' note (``excerpt_lines``)."""

    def __init__(self, excerpt_of: Callable[[markdown.Markdown], str | None]) -> None:
        super().__init__()
        self.excerpt_of = excerpt_of

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 25: after whitespace is normalized (30), before raw HTML is set aside (20).
        md.preprocessors.register(_LeaveOutEditorsNote(md, self.excerpt_of), "hub_excerpt", 25)


class _LeaveOutEditorsNote(Preprocessor):
    def __init__(
        self, md: markdown.Markdown, excerpt_of: Callable[[markdown.Markdown], str | None]
    ) -> None:
        super().__init__(md)
        self.excerpt_of = excerpt_of

    def run(self, lines: list[str]) -> list[str]:
        # Asked at each conversion: a converter's steps may be added after it is made.
        separator = self.excerpt_of(self.md)
        if not separator:
            return lines
        return excerpt_lines(lines, separator) or lines
