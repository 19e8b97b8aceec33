"""YAML read the way MkDocs reads it (PyYAML's safe loader), keeping every node's line and column.

PyYAML's node marks give the positions; nothing here re-parses YAML by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # The C loader is what MkDocs and Material use when it is available.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

SCALAR_TYPES = {
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}


class Position(NamedTuple):
    """1-based line and column inside the file (not inside the YAML block)."""

    line: int
    col: int


@dataclass(slots=True)
class Entry:
    """One top-level ``key: value`` of a YAML mapping, with where each part stands.

    ``value_node`` is the value's YAML node, for the rules that look at how a value was written
    (quoted or not, where each list item is); it is None once the mapping's nodes are released.
    The positions are kept as plain numbers: a build keeps every post's entries to its end, and
    each object Python's cycle collector tracks (a ``Position`` is one) adds to its every pass.
    """

    key: str
    key_line: int
    key_col: int
    value_line: int
    value_col: int
    value_node: yaml.Node | None
    value: Any = None
    error: str | None = None

    @property
    def key_pos(self) -> Position:
        return Position(self.key_line, self.key_col)

    @property
    def value_pos(self) -> Position:
        return Position(self.value_line, self.value_col)


@dataclass(slots=True)
class Mapping:
    """A YAML mapping read entry by entry, so one bad value never hides the others."""

    entries: list[Entry] = field(default_factory=list)
    duplicates: list[tuple[Entry, Entry]] = field(default_factory=list)

    def release_nodes(self) -> None:
        """Let go of the YAML nodes, keeping every value and position.

        A node tree, with two marks per node, is several times the size of the values it holds;
        a site build keeps every post's front matter for its whole length, and Python's cycle
        collector walks all of it on each full pass.
        """
        for entry in self.entries:
            entry.value_node = None

    def data(self) -> dict[str, Any]:
        return {e.key: e.value for e in self.entries if e.error is None}

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


class YamlSyntaxError(Exception):
    def __init__(self, message: str, pos: Position) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class YamlShapeError(YamlSyntaxError):
    """Valid YAML that posts and data files must not use: anchors, aliases and merge keys (an
    alias can stand for a structure many times the size of the file), or text too long or
    nested too deep to read safely."""


# Longer text, or deeper nesting, is refused before it is parsed: a parser's work grows with
# both, and deep enough nesting exhausts its stack.
MAX_TEXT = 2_000_000
MAX_FLOW_DEPTH = 64
# Block nesting is written with indentation and '- ' marks: a line that starts with more of them
# than this is refused, since the parser's C code recurses once a level and a line of '- - - ...'
# deep enough overflows its stack.
MAX_BLOCK_INDENT = 120
_DEEP_BLOCK_RE = re.compile(rf"^(?:[ ]|[-?:](?=[ ])){{{MAX_BLOCK_INDENT + 1}}}", re.MULTILINE)
MERGE_TAG = "tag:yaml.org,2002:merge"


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may hold tags such as ``!ENV`` or ``!!python/name``."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: None
)


def load_config_file(text: str) -> Any:
    return yaml.load(text, Loader=_TolerantLoader)


class _PostLoader(SafeLoader):
    """The safe loader, remembering what type each short value resolved to.

    Posts repeat the same short values (authors, councils, categories, tags), and the resolver's
    regular expressions, run for every value, are much of the time it takes to read them. A
    value's type depends only on its text and on whether it was quoted, so the answer is the
    loader's own, from the first time it was asked.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or len(value) > _REMEMBERED_LENGTH:
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit)
        tag = _resolved.get(key)
        if tag is None:
            if len(_resolved) >= _REMEMBERED_VALUES:  # a live preview runs for hours
                _resolved.clear()
            tag = _resolved[key] = str(super().resolve(kind, value, implicit))
        return tag


_REMEMBERED_LENGTH = 40
_REMEMBERED_VALUES = 20_000
_resolved: dict[tuple[str, Any], str] = {}


def forget_resolved_values() -> None:
    """Forget what each value resolved to, as a new process would (for the benchmark)."""
    _resolved.clear()


def compose(text: str, first_line: int = 1, max_text: int = MAX_TEXT) -> yaml.Node | None:
    """Parse ``text``, which starts on line ``first_line`` of its file, into a node tree.

    Blank lines stand in for the lines above, so every mark is a file position. Anchors,
    aliases and merge keys are refused (``YamlShapeError``), and so is text longer than
    ``max_text`` characters or nested deeper than ``MAX_FLOW_DEPTH``.
    """
    if len(text) > max_text:
        raise YamlShapeError(
            f"it is {len(text):,} characters long; the most this file may hold is {max_text:,}",
            Position(first_line, 1),
        )
    _refuse_deep_nesting(text, first_line)
    text = "\n" * (first_line - 1) + text
    try:
        if "&" in text or "*" in text:
            _refuse_references(text)
        node = yaml.compose(text, Loader=_PostLoader)
        if "<<" in text:
            _refuse_merge_keys(node)
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else first_line
        col = mark.column + 1 if mark else 1
        reason = exc.problem or exc.context or "not valid YAML"
        raise YamlSyntaxError(str(reason), Position(line, col)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), Position(first_line, 1)) from None


def _refuse_deep_nesting(text: str, first_line: int) -> None:
    """Brackets and braces nested deeper than ``MAX_FLOW_DEPTH`` (a quick count, outside quotes),
    or a line indented further than ``MAX_BLOCK_INDENT``."""
    deep = _DEEP_BLOCK_RE.search(text)
    if deep is not None:
        line = first_line + text.count("\n", 0, deep.start())
        raise YamlShapeError(
            f"a line starts with more than {MAX_BLOCK_INDENT} spaces and '- ' marks: lists or"
            " mappings nested too deep",
            Position(line, 1),
        )
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return
    depth = 0
    quote = ""
    for offset, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                before = text[:offset]
                line = first_line + before.count("\n")
                raise YamlShapeError(
                    f"lists or mappings are nested more than {MAX_FLOW_DEPTH} deep",
                    Position(line, offset - before.rfind("\n")),
                )
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "\n" and depth == 0:
            quote = ""


def _refuse_references(text: str) -> None:
    """An anchor (``&name``) or alias (``*name``) anywhere in the text."""
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlShapeError(
                f"'*{event.anchor}' repeats another part of the file (a YAML alias)",
                _mark_position(event.start_mark),
            )
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise YamlShapeError(
                f"'&{anchor}' marks a part of the file to repeat (a YAML anchor)",
                _mark_position(event.start_mark),
            )


def _refuse_merge_keys(node: yaml.Node | None) -> None:
    """A ``<<`` merge key in any mapping."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.tag == MERGE_TAG:
                    raise YamlShapeError(
                        "'<<' merges another mapping into this one (a YAML merge key)",
                        _mark_position(key.start_mark),
                    )
                pending.append(value)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)


def _mark_position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


_constructor = yaml.constructor.SafeConstructor()


def construct(node: yaml.Node) -> Any:
    """Build the Python value of one node exactly as ``yaml.safe_load`` would."""
    try:
        return _constructor.construct_object(node, deep=True)
    finally:
        # What construct_document would reset after each document.
        _constructor.constructed_objects = {}
        _constructor.recursive_objects = {}
        _constructor.state_generators = []


def read_mapping(node: yaml.MappingNode) -> Mapping:
    mapping = Mapping()
    seen: dict[str, Entry] = {}
    values = _construct_all(node)
    for index, (key_node, value_node) in enumerate(node.value):
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        key_mark, value_mark = key_node.start_mark, value_node.start_mark
        entry = Entry(
            key,
            key_mark.line + 1,
            key_mark.column + 1,
            value_mark.line + 1,
            value_mark.column + 1,
            value_node,
        )
        if values is not None:
            entry.value = values[index]
        else:
            try:
                entry.value = construct(value_node)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                entry.error = _construct_reason(exc)
        if key in seen:
            mapping.duplicates.append((seen[key], entry))
            mapping.entries = [e for e in mapping.entries if e.key != key]
        seen[key] = entry
        mapping.entries.append(entry)
    return mapping


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
# Stands for a value that only PyYAML's constructor builds (see ``_text_value``).
_NOT_TEXT = object()


def _construct_all(node: yaml.MappingNode) -> list[Any] | None:
    """Every value of a mapping in one pass, or None when one of them cannot be built.

    Most front-matter values are text, or lists of text, which are the scalars' own values; the
    others are built by PyYAML's constructor, all at once.
    """
    values = [_text_value(v) for _, v in node.value]
    others = [v for (_, v), value in zip(node.value, values, strict=True) if value is _NOT_TEXT]
    if others:
        try:
            built = iter(construct(yaml.SequenceNode(_SEQ, others)))
        except (yaml.YAMLError, ValueError, TypeError):
            return None
        values = [next(built) if value is _NOT_TEXT else value for value in values]
    return values


def _text_value(node: yaml.Node) -> Any:
    """The value of a text node, or of a list of text nodes, as PyYAML builds it; else
    ``_NOT_TEXT``."""
    if type(node) is yaml.ScalarNode and node.tag == _STR:
        return node.value
    if type(node) is yaml.SequenceNode and node.tag == _SEQ:
        items = node.value
        if all(type(item) is yaml.ScalarNode and item.tag == _STR for item in items):
            return [item.value for item in items]
    return _NOT_TEXT


def _construct_reason(exc: Exception) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        return exc.problem
    return str(exc)


def node_position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def value_position(node: yaml.Node | None, key: str) -> Position | None:
    """Where the value of ``key`` is written in a mapping node, if it has that key."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return node_position(value_node)
    return None


def resolved_surprise(node: yaml.Node | None) -> str | None:
    """What an unquoted scalar turned into, when YAML 1.1 read it as something other than text."""
    # Plain (unquoted) scalars have no style: None from the Python loader, '' from the C one.
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return None
    return SCALAR_TYPES.get(node.tag)


def mapping_item(node: yaml.Node | None, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The key node and value node of ``key`` in a mapping node, or (None, None)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None, None
