"""Reading a post file and its front matter exactly as MkDocs does, but reporting what goes wrong.

MkDocs reads files as UTF-8 (a BOM is dropped, CRLF becomes LF) and takes front matter only when
``YAML_RE`` below matches and the YAML is a mapping; otherwise it silently shows the block as page
text. The same expression is used here, so the check and the site always agree on whether front
matter was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from socialcouncils.problems import Problem
from socialcouncils.source.yaml_source import (
    Mapping,
    YamlShapeError,
    YamlSyntaxError,
    compose,
    read_mapping,
)

# What each front-matter code means, for the guide's table of codes. FM004 and FM008 are also
# raised where the values are read (post_rules.py).
FRONT_MATTER_CODES: dict[str, str] = {
    "FM001": "the file is empty",
    "FM002": "the file has no front matter, or it does not start on the first line",
    "FM003": "the front matter is not closed with a line of just '---'",
    "FM004": "a line of the front matter cannot be read",
    "FM005": "the front matter is not a set of 'key: value' lines",
    "FM006": "a key appears twice",
    "FM007": "the file is not saved as UTF-8",
    "FM008": "a value was read as true/false or a number, not as the text typed",
    "FM009": "YAML anchors, aliases or merge keys, or front matter far too long or deep",
}

# Copied from mkdocs.utils.meta so that no MkDocs import is needed; a test keeps them equal.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)

TAB_HINT = "use spaces, not tabs, to indent"
# Front matter is a few lines of settings; far longer is refused before it is read.
MAX_FRONT_MATTER = 64_000
YAML_HINTS = (
    ("mapping values are not allowed", "put the value in double quotes when it contains ': '"),
    (
        "could not find expected ':'",
        "each line needs 'key: value'; quote values that run over lines",
    ),
    ("found undefined alias", "quote values that start with '*'"),
    ("found unexpected end of stream", "close every quote you open"),
    ("expected <block end>", "check the indentation: list items line up under their key"),
    (
        "did not find expected key",
        "check for a quote that is opened but not closed on the line above",
    ),
)


@dataclass(slots=True)
class PostSource:
    """A post file read for checking. ``mapping`` is None when front matter could not be read."""

    path: Path
    shown: str
    text: str = ""
    mapping: Mapping | None = None
    body: str = ""
    body_line: int = 1
    # Whether the body was found (the front matter is closed), however its YAML reads.
    body_found: bool = False
    problems: list[Problem] = field(default_factory=list)
    # A value the blog engine reads (date, authors, categories) still holds a placeholder: the
    # engine would stop the build on it, so the build leaves the post out.
    engine_blocked: bool = False

    @property
    def front_matter_read(self) -> bool:
        """Whether MkDocs reads this front matter: one unbuildable value loses it all."""
        return self.mapping is not None and all(e.error is None for e in self.mapping.entries)

    def add(self, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, col, code, message, hint))


def decode(raw: bytes) -> tuple[str | None, str, int, int]:
    """Text as MkDocs reads it; on failure, None with the likely encoding and the position."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        from charset_normalizer import from_bytes  # only needed for files that are not UTF-8

        best = from_bytes(raw).best()
        guess = best.encoding if best is not None else "an unknown encoding"
        return None, guess, line, col
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, "utf-8", 1, 1


Report = Callable[[int, int, str, str, str], None]


def read_text(path: Path, code: str, add: Report) -> str | None:
    """A file's text as MkDocs reads it, or None with ``code`` reported through ``add`` when it
    cannot be read or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        add(
            1,
            1,
            code,
            f"cannot read the file: {exc.strerror}",
            "check the file exists and is readable",
        )
        return None
    text, encoding, line, col = decode(raw)
    if text is None:
        add(
            line,
            col,
            code,
            f"the file is not UTF-8 (it looks like {encoding})",
            "save the file as 'UTF-8' in your editor (File > Save As > Encoding)",
        )
    return text


def read_post(path: Path, shown: str) -> PostSource:
    source = PostSource(path=path, shown=shown)
    text = read_text(path, "FM007", source.add)
    if text is None:
        return source
    source.text = text
    parse_front_matter(source)
    return source


def read_page(path: Path, shown: str) -> PostSource:
    """A page of the site that is not a post: its front matter is optional and not checked, so
    only its body is read (for the markup policy and its pictures)."""
    source = PostSource(path=path, shown=shown)
    try:
        text, *_ = decode(path.read_bytes())
    except OSError:
        return source
    if text is None:
        return source
    match = YAML_RE.match(text)
    source.text = text
    source.body = text[match.end() :] if match else text
    source.body_line = text[: match.end()].count("\n") + 1 if match else 1
    source.body_found = True
    return source


def parse_front_matter(source: PostSource) -> None:
    text = source.text
    if not text or text.isspace():
        source.add(
            1,
            1,
            "FM001",
            "the file is empty",
            "start from the template in CONTRIBUTING.md, or run: make new-post",
        )
        return
    match = YAML_RE.match(text)
    if match is None:
        _report_unread_front_matter(source)
        return
    # The body is known even when the front matter cannot be read, so that its pictures and
    # markup are checked in the same run.
    source.body = text[match.end() :]
    source.body_line = text[: match.end()].count("\n") + 1
    source.body_found = True
    try:
        node = compose(match.group(1), first_line=2, max_text=MAX_FRONT_MATTER)
    except YamlShapeError as exc:
        source.add(
            exc.pos.line,
            exc.pos.col,
            "FM009",
            f"the front matter cannot be used: {exc.message}",
            "write each value out in full; posts need no YAML anchors, aliases or merge keys",
        )
        return
    except YamlSyntaxError as exc:
        hint = _syntax_hint(exc.message, text.split("\n")[exc.pos.line - 1 : exc.pos.line])
        source.add(
            exc.pos.line,
            exc.pos.col,
            "FM004",
            f"the front matter is not valid YAML: {exc.message}",
            hint,
        )
        return
    if not isinstance(node, yaml.MappingNode):
        kind = {yaml.SequenceNode: "a list", yaml.ScalarNode: "plain text"}.get(type(node), "empty")
        source.add(
            1,
            1,
            "FM005",
            f"the front matter is {kind}, not a set of 'key: value' lines",
            "write one 'key: value' per line between the two '---' lines, e.g. 'title: My post'",
        )
        return
    source.mapping = read_mapping(node)
    for first, again in source.mapping.duplicates:
        source.add(
            again.key_pos.line,
            again.key_pos.col,
            "FM006",
            f"'{again.key}' appears twice, on lines {first.key_pos.line} and {again.key_pos.line}",
            "keep one of them; the site would silently use the last one",
        )


def _syntax_hint(message: str, lines: list[str]) -> str:
    if any("\t" in line for line in lines):
        return TAB_HINT
    return next(
        (h for key, h in YAML_HINTS if key in message), "check the line against the template"
    )


def _report_unread_front_matter(source: PostSource) -> None:
    lines = source.text.split("\n")
    first = lines[0].strip()
    if first.startswith("---"):
        closing = next((n for n, line in enumerate(lines[1:], 2) if line.strip() == "---"), None)
        if first.rstrip("-"):
            source.add(
                1,
                4,
                "FM003",
                "the opening '---' has text after it",
                "put '---' alone on the first line",
            )
        elif closing is not None:
            source.add(
                closing,
                1,
                "FM003",
                f"the front matter between lines 1 and {closing} cannot be read, so the site would show it as text",
                "put at least one 'key: value' line between the two '---' lines, and a line break after the closing one",
            )
        else:
            source.add(
                1,
                1,
                "FM003",
                "the front matter starts here but is never closed",
                "add a line with just '---' after the last 'key: value' line",
            )
        return
    opening = next((n for n, line in enumerate(lines, 1) if line.strip() == "---"), None)
    if opening is not None and not any(line.strip() for line in lines[: opening - 1]):
        source.add(
            1,
            1,
            "FM002",
            "the front matter must start on the very first line",
            f"remove the blank lines above line {opening}",
        )
        return
    source.add(
        1,
        1,
        "FM002",
        "the post has no front matter",
        "start the file with '---', then 'title:', 'date:' and the other keys, then '---'",
    )
