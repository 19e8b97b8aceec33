"""Readers' responses archived from the blog where a post first appeared.

A post ``<stem>.md`` may have ``<stem>.responses.yml`` beside it: the comments, replies and
pingbacks it had there, kept as data (the format below) and shown under the post, closed. Like
the other data files, the file is read with every node's line (``yaml_source``: no anchors,
aliases or merge keys), and every problem in it is reported at its line, all in one run::

    responses:
      - name: Sarah Jones          # optional; missing or empty -> "A reader"
        date: 2012-03-08 10:15:00  # required: a date, a date and time, or 'unknown'
        text: |                    # required Markdown, through the markup policy
          Great post.
        by_author: true            # optional: the post's author replying
        replies: [...]             # optional: responses of the same shape, nested
    pingbacks:
      - title: Ten social media policies worth reading   # required
        url: https://example.org/2012/03/ten-policies/   # required: absolute http(s)
        date: 2012-03-10                                 # optional

``date: unknown`` is for an archive that shows a response without its date: the page says it is
undated rather than guessing one. No e-mail or IP address is ever stored.

| code   | meaning |
| ------ | ------- |
| RSP001 | a responses file with no post beside it |
| RSP002 | the file cannot be read (not UTF-8, not YAML, or YAML references) |
| RSP003 | the file, a list or a response is not the shape the format gives |
| RSP004 | a key the format does not have |
| RSP005 | a key written twice in one response |
| RSP006 | a required key is missing or empty (date, text; title, url) |
| RSP007 | a date that is not a date, or is in the future |
| RSP008 | a pingback address that is not an absolute http(s) address |
| RSP009 | replies nested deeper than ``MAX_DEPTH`` |
| RSP010 | an e-mail or IP address in a response |
| RSP011 | a name or title with HTML or invisible characters; ``by_author`` not true or false |
| RSP012 | a heading or picture in a response's text |
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from socialcouncils.content.catalogue import ADDRESS_BREAKERS
from socialcouncils.content.markup import describe
from socialcouncils.content.plain_text import text_problem
from socialcouncils.content.rendered_body import BodyReader, ReadingCache, Spot
from socialcouncils.policy.markup_policy import parse_fragment
from socialcouncils.problems import Problem
from socialcouncils.source.docs_files import is_linked
from socialcouncils.source.front_matter import read_text
from socialcouncils.source.project import MARKDOWN_ENDINGS, Project
from socialcouncils.source.yaml_source import (
    Entry,
    YamlSyntaxError,
    compose,
    node_position,
    read_mapping,
)

RESPONSES_ENDING = ".responses.yml"
# Replies to replies to replies...: deeper than this is a mistake in the file, and unreadable.
MAX_DEPTH = 10
# The word for a date the original blog did not show.
UNKNOWN_DATE = "unknown"

RESPONSE_CODES: dict[str, str] = {
    "RSP001": "a responses file with no post beside it",
    "RSP002": "a responses file that cannot be read (not UTF-8, not YAML, or YAML references)",
    "RSP003": "a responses file, list or response that is not the shape the format gives",
    "RSP004": "a key a response or pingback does not have",
    "RSP005": "a key written twice in one response or pingback",
    "RSP006": "a response without its date or text, or a pingback without its title or address",
    "RSP007": "a response's date that is not a date, or is in the future",
    "RSP008": "a pingback's address that is not an absolute http(s) address",
    "RSP009": f"replies nested more than {MAX_DEPTH} deep",
    "RSP010": "an e-mail or IP address in a response, which the archive never keeps",
    "RSP011": "a name or title that is not plain text, or a by_author that is not true or false",
    "RSP012": "a heading or picture in a response's text",
}

TOP_KEYS = ("responses", "pingbacks")
RESPONSE_KEYS = ("name", "date", "text", "by_author", "replies")
PINGBACK_KEYS = ("title", "url", "date")

EMAIL_RE = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4_RE = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"
)
IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])")
HEADINGS = "h1, h2, h3, h4, h5, h6"
# What a heading is written with, in Markdown or HTML: only a text with one is rendered to look.
HEADING_MARKS = re.compile(r"^\s*(?:#|<h[1-6]|[=-]{2,}\s*$)|<h[1-6]", re.IGNORECASE | re.MULTILINE)
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True, slots=True)
class Response:
    """One comment or reply. ``date`` is None when the original blog showed none."""

    name: str
    date: dt.date | None
    text: str
    by_author: bool = False
    replies: tuple[Response, ...] = ()


@dataclass(frozen=True, slots=True)
class Pingback:
    """Another page that linked to the post (a pingback or trackback)."""

    title: str
    url: str
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class WrittenText:
    """A response's text and where it is written: the file line of its first line, how far its
    lines are indented, and (for text folded onto other lines) the one place to report."""

    text: str
    first_line: int
    indent: int
    fixed: Spot | None = None

    def place(self, spot: Spot) -> Spot:
        """A position in the text (``spot``, its line counted from ``first_line``) in the file."""
        if self.fixed is not None:
            return self.fixed
        return Spot(spot.line, spot.col + self.indent)


@dataclass(slots=True)
class ArchivedResponses:
    """A post's responses file, read; what could not be read is left out and reported."""

    path: Path
    shown: str
    responses: list[Response] = field(default_factory=list)
    pingbacks: list[Pingback] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: list[WrittenText] = field(default_factory=list)

    def add(self, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, line, col, code, message, hint))

    def count(self) -> int:
        """Every response and reply."""
        return sum(1 for _ in walk(self.responses))

    @property
    def shown_to_readers(self) -> bool:
        return bool(self.responses or self.pingbacks)


def walk(responses: tuple[Response, ...] | list[Response]) -> Iterator[Response]:
    """Every response, and every reply under it, in the order they are written."""
    for response in responses:
        yield response
        yield from walk(response.replies)


def responses_file(post: Path) -> Path:
    """Where a post's responses file is: beside it, named as the post without its ending."""
    name = post.name
    for ending in MARKDOWN_ENDINGS:
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return post.with_name(name + RESPONSES_ENDING)


def is_responses_file(path: Path) -> bool:
    return path.name.endswith(RESPONSES_ENDING) and len(path.name) > len(RESPONSES_ENDING)


def posts_beside(responses: Path) -> list[Path]:
    """The post (any Markdown ending) a responses file belongs to, if it is there."""
    stem = responses.name[: -len(RESPONSES_ENDING)]
    return [
        post
        for post in (responses.with_name(stem + end) for end in MARKDOWN_ENDINGS)
        if post.is_file()
    ]


def responses_files(posts_dir: Path) -> list[Path]:
    """Every responses file under the posts folder, in the order of their paths."""
    return sorted(p for p in posts_dir.rglob(f"*{RESPONSES_ENDING}") if is_responses_file(p))


def orphaned_files(posts_dir: Path, display: Any) -> list[Problem]:
    """A responses file with no post beside it: its responses would be shown nowhere."""
    problems = []
    for path in responses_files(posts_dir):
        if posts_beside(path):
            continue
        post = path.name[: -len(RESPONSES_ENDING)] + ".md"
        problems.append(
            Problem(
                display(path),
                1,
                1,
                "RSP001",
                f"there is no post '{post}' beside this responses file",
                f"name it after its post: a post 'my-post.md' has 'my-post{RESPONSES_ENDING}'",
            )
        )
    return problems


def read_responses(
    path: Path,
    shown: str,
    today: dt.date,
    reader: BodyReader | None = None,
    cache: ReadingCache | None = None,
) -> ArchivedResponses:
    """The responses file at ``path`` read and checked; with ``reader``, each text's markup too
    (kept in ``cache``, if given, as post bodies' readings are).

    Never raises on bad content: every problem is on the result.
    """
    archived = ArchivedResponses(path=path, shown=shown)
    text = read_text(path, "RSP002", archived.add)
    if text is None:
        return archived
    try:
        root = compose(text)
    except YamlSyntaxError as exc:
        archived.add(
            exc.pos.line,
            exc.pos.col,
            "RSP002",
            f"the file cannot be read: {exc.message}",
            "indent with spaces, put text with ': ' in it under 'text: |', and write each value"
            " out in full",
        )
        return archived
    _FileReader(archived, text.split("\n"), today).read(root)
    if reader is not None:
        check_texts(archived, reader, cache)
    return archived


class _FileReader:
    """Reads the node tree of one responses file into ``archived``, reporting as it goes."""

    def __init__(self, archived: ArchivedResponses, lines: list[str], today: dt.date) -> None:
        self.archived = archived
        self.lines = lines
        self.today = today

    def add_at(self, node: yaml.Node | Entry, code: str, message: str, hint: str = "") -> None:
        if isinstance(node, Entry):
            self.archived.add(node.key_line, node.key_col, code, message, hint)
        else:
            pos = node_position(node)
            self.archived.add(pos.line, pos.col, code, message, hint)

    def read(self, root: yaml.Node | None) -> None:
        if root is None:
            return  # an empty file: nothing to show
        if not isinstance(root, yaml.MappingNode):
            self.add_at(
                root,
                "RSP003",
                "the file must start with 'responses:' (and 'pingbacks:', if there are any)",
                "write 'responses:' on the first line, then each response under it as '- name: ...'",
            )
            return
        top = read_mapping(root)
        self.report_keys(top.entries, TOP_KEYS, "the file")
        self.report_duplicates(top)
        entry = top.get("responses")
        if entry is not None:
            self.archived.responses = self.responses(entry, depth=1)
        entry = top.get("pingbacks")
        if entry is not None:
            self.archived.pingbacks = [
                p for p in (self.pingback(n) for n in self.items(entry, "pingback")) if p
            ]

    def items(self, entry: Entry, what: str) -> list[yaml.MappingNode]:
        """The mappings in a list of responses or pingbacks; anything else is reported."""
        node = entry.value_node
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []  # 'responses:' with nothing under it
        if not isinstance(node, yaml.SequenceNode):
            self.add_at(
                entry,
                "RSP003",
                f"'{entry.key}' must be a list, one '- ' line for each {what}",
                f"write each {what} under '{entry.key}:' starting with '- '",
            )
            return []
        found = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                found.append(item)
            else:
                self.add_at(
                    item,
                    "RSP003",
                    f"each {what} must be a set of 'key: value' lines",
                    "e.g. '- name: Sarah Jones' with 'date:' and 'text:' lines under it"
                    if what != "pingback"
                    else "e.g. '- title: ...' with a 'url:' line under it",
                )
        return found

    def report_keys(self, entries: list[Entry], known: tuple[str, ...], what: str) -> None:
        for entry in entries:
            if entry.key in known:
                continue
            close = difflib.get_close_matches(entry.key, known, n=1, cutoff=0.6)
            guess = f"did you mean '{close[0]}'? " if close else ""
            self.add_at(
                entry,
                "RSP004",
                f"'{entry.key[:60]}' is not a key of {what}",
                f"{guess}the keys are: {', '.join(known)}",
            )

    def report_duplicates(self, mapping: Any) -> None:
        for first, again in mapping.duplicates:
            self.add_at(
                again,
                "RSP005",
                f"'{again.key}' is written twice (also on line {first.key_line})",
                "keep one of them",
            )

    def responses(self, entry: Entry, depth: int) -> list[Response]:
        found: list[Response] = []
        if depth > MAX_DEPTH:
            self.add_at(
                entry,
                "RSP009",
                f"replies are nested more than {MAX_DEPTH} deep",
                "put a deeper reply under the response it answers at a shallower level",
            )
            return found
        for node in self.items(entry, "response"):
            response = self.response(node, depth)
            if response is not None:
                found.append(response)
        return found

    def response(self, node: yaml.MappingNode, depth: int) -> Response | None:
        mapping = read_mapping(node)
        self.report_keys(mapping.entries, RESPONSE_KEYS, "a response")
        self.report_duplicates(mapping)
        name = self.plain_text(mapping.get("name"), required=False, what="name")
        dated, date = self.date(mapping.get("date"), node, required=True)
        text = self.text(mapping.get("text"), node)
        by_author = self.flag(mapping.get("by_author"))
        replies_entry = mapping.get("replies")
        replies = self.responses(replies_entry, depth + 1) if replies_entry else []
        if not dated or text is None or name is None:
            return None
        return Response(
            name=name,
            date=date,
            text=text,
            by_author=by_author,
            replies=tuple(replies),
        )

    def pingback(self, node: yaml.MappingNode) -> Pingback | None:
        mapping = read_mapping(node)
        self.report_keys(mapping.entries, PINGBACK_KEYS, "a pingback")
        self.report_duplicates(mapping)
        title_entry = mapping.get("title")
        title = self.plain_text(title_entry, required=True, what="title", node=node)
        url = self.url(mapping.get("url"), node)
        dated, date = self.date(mapping.get("date"), node, required=False)
        if not title or url is None or not dated:
            return None
        return Pingback(title=title, url=url, date=date)

    # -- Values --------------------------------------------------------------------------------

    def missing(self, node: yaml.Node, key: str, example: str) -> None:
        self.add_at(node, "RSP006", f"'{key}' is missing", f"add it, e.g. {example}")

    def plain_text(
        self, entry: Entry | None, required: bool, what: str, node: yaml.Node | None = None
    ) -> str | None:
        """A name or title: plain text, never markup; a name with an e-mail or IP address in it
        is left out (the response is shown from "A reader")."""
        if entry is None or entry.value is None or entry.value == "":
            if required and node is not None:
                self.missing(node, what, f"{what}: Ten social media policies worth reading")
                return None
            return ""
        if not isinstance(entry.value, str):
            self.add_value(entry, "RSP011", f"the {what} must be text", "put it in double quotes")
            return None
        found = text_problem(entry.value)
        if found is not None:
            # Still shown, as the text it is (escaped): a lenient build loses no response.
            self.add_value(entry, "RSP011", f"the {what} cannot be used: {found[0]}", found[1])
        if self.personal_address(entry, entry.value, what):
            return "" if not required else None
        return entry.value.strip()

    def add_value(self, entry: Entry, code: str, message: str, hint: str = "") -> None:
        self.archived.add(entry.value_line, entry.value_col, code, message, hint)

    def personal_address(self, entry: Entry, text: str, what: str) -> bool:
        """An e-mail or IP address in ``text`` (reported), which the archive never keeps."""
        match = EMAIL_RE.search(text) or IPV4_RE.search(text) or IPV6_RE.search(text)
        if match is None:
            return False
        kind = "an e-mail address" if match.re is EMAIL_RE else "an IP address"
        line, col = entry.value_line, entry.value_col
        written = _written_at(self.lines, entry, match.group(0))
        if written is not None:
            line, col = written
        self.archived.add(
            line,
            col,
            "RSP010",
            f"the {what} holds {kind} ('{match.group(0)[:60]}'), which the archive never keeps",
            "remove it: readers' e-mail and IP addresses are not published",
        )
        return True

    def date(
        self, entry: Entry | None, node: yaml.Node, required: bool
    ) -> tuple[bool, dt.date | None]:
        """Whether the date can be used, and the date (None for 'unknown' or not given)."""
        if entry is not None and entry.error is not None:
            self.add_value(
                entry,
                "RSP007",
                f"{getattr(entry.value_node, 'value', '')} is not a real calendar date"
                f" ({entry.error})",
                "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, e.g. date: 2012-03-08 10:15:00",
            )
            return False, None
        if entry is None or entry.value is None:
            if required:
                self.missing(node, "date", "date: 2012-03-08 10:15:00 (or date: unknown)")
                return False, None
            return True, None
        value = entry.value
        if value == UNKNOWN_DATE:
            return True, None
        if not isinstance(value, dt.date):
            self.add_value(
                entry,
                "RSP007",
                f"'{str(value)[:40]}' is not a date the site can read",
                "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS without quotes, e.g."
                f" date: 2012-03-08 10:15:00; or date: {UNKNOWN_DATE} if the original shows none",
            )
            return False, None
        day = value.date() if isinstance(value, dt.datetime) else value
        if day > self.today:
            self.add_value(
                entry,
                "RSP007",
                f"the date {day.isoformat()} is in the future",
                "use the date the response was left on the original blog",
            )
            return False, None
        return True, value

    def text(self, entry: Entry | None, node: yaml.Node) -> str | None:
        if (
            entry is None
            or entry.value is None
            or (isinstance(entry.value, str) and not entry.value.strip())
        ):
            self.missing(node, "text", "text: Thanks, fixed now.")
            return None
        if not isinstance(entry.value, str):
            self.add_value(
                entry,
                "RSP003",
                "the text must be text",
                "write it under 'text: |', indented on the lines below",
            )
            return None
        if self.personal_address(entry, entry.value, "text"):
            return None
        self.archived.texts.append(self.written(entry))
        return entry.value

    def written(self, entry: Entry) -> WrittenText:
        node = entry.value_node
        assert isinstance(node, yaml.ScalarNode)
        start = node.start_mark
        if node.style == "|":
            # The text starts on the line after '|', indented as its first line with words is.
            first = start.line + 1
            indent = next((len(t) - len(t.lstrip(" ")) for t in self.lines[first:] if t.strip()), 0)
            return WrittenText(entry.value, first + 1, indent)
        if start.line == node.end_mark.line:
            quoted = 1 if node.style in ("'", '"') else 0
            return WrittenText(entry.value, start.line + 1, start.column + quoted)
        # Folded onto other lines: a position inside it cannot be told apart, so its start.
        return WrittenText(entry.value, start.line + 1, 0, Spot(start.line + 1, start.column + 1))

    def flag(self, entry: Entry | None) -> bool:
        if entry is None or entry.value is None:
            return False
        if isinstance(entry.value, bool):
            return entry.value
        self.add_value(
            entry,
            "RSP011",
            "'by_author' must be true or false",
            "write by_author: true for the post's author, or leave the line out",
        )
        return False

    def url(self, entry: Entry | None, node: yaml.Node) -> str | None:
        if entry is None or entry.value is None or entry.value == "":
            self.missing(node, "url", "url: https://example.org/2012/03/ten-policies/")
            return None
        value = entry.value if isinstance(entry.value, str) else ""
        parts = urlsplit(value)
        if (
            ADDRESS_BREAKERS.search(value)
            or parts.scheme not in ("http", "https")
            or not parts.hostname
        ):
            self.add_value(
                entry,
                "RSP008",
                f"'{str(entry.value)[:80]}' is not an absolute http(s) address",
                "write the full address of the page that linked here, starting with https://",
            )
            return None
        return value


def _written_at(lines: list[str], entry: Entry, piece: str) -> tuple[int, int] | None:
    """Where ``piece`` of an entry's value is written in the file (its line and column)."""
    node = entry.value_node
    last = node.end_mark.line + 1 if node is not None else entry.value_line
    for index in range(entry.value_line - 1, min(last, len(lines))):
        col = lines[index].find(piece)
        if col >= 0:
            return index + 1, col + 1
    return None


def read_post_responses(
    post: Path,
    project: Project,
    today: dt.date,
    reader: BodyReader | None,
    cache: ReadingCache | None = None,
) -> ArchivedResponses | None:
    """The responses file beside ``post``, read and checked; None when it has none, or when it
    is a link to another file, which is never read (``docs_files`` reports it)."""
    path = responses_file(post)
    if not path.is_file() or is_linked(path, project.docs_dir):
        return None
    return read_responses(path, project.display(path), today, reader, cache)


def check_texts(
    archived: ArchivedResponses, reader: BodyReader, cache: ReadingCache | None = None
) -> None:
    """Each response's text as the site renders it: what the markup policy removes (the post
    codes, HTML001...), and headings or pictures, which a response does not have."""
    hosts = reader.policy.embed_hosts
    for index, written in enumerate(archived.texts):
        if cache is None:
            reading = reader.read(written.text, written.first_line)
        else:
            key = f"responses:{archived.shown}#{index}"
            reading = cache.reading(key, written.text, written.first_line, reader)
        for finding in reading.markup:
            spot = written.place(finding.spot)
            archived.add(spot.line, spot.col, *describe(finding.change, hosts))
        for image in reading.images:
            spot = written.place(image.spot)
            archived.add(
                spot.line,
                spot.col,
                "RSP012",
                "a response cannot show a picture: the archive keeps its words only",
                "describe the picture in words, or link to it: [what it shows](https://...)",
            )
        if not HEADING_MARKS.search(written.text):
            continue
        html, _ = reader.render(written.text)
        heading = parse_fragment(html).css_first(HEADINGS)
        if heading is not None:
            at = _heading_line(written)
            archived.add(
                at.line,
                at.col,
                "RSP012",
                f"this response's text has a heading ('{heading.text(strip=True).rstrip('¶')[:40]}'),"
                " which would break up the page's outline",
                "a line that starts with '#' is a heading: write '\\#' for a # sign,"
                " e.g. \\#localgov",
            )


def _heading_line(written: WrittenText) -> Spot:
    for index, line in enumerate(written.text.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith(("#", "<h", "<H", "===", "---")):
            return written.place(Spot(written.first_line + index, len(line) - len(stripped) + 1))
    return written.place(Spot(written.first_line, 1))
