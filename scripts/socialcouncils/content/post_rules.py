"""The rules one post's front matter must meet: the schema, the reference data and the dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from socialcouncils.content.catalogue import Catalogue
from socialcouncils.content.plain_text import SLUG_RE, id_problem, text_problem
from socialcouncils.content.schema import DATE_PLACEHOLDER, PostMeta, field_docs
from socialcouncils.source.front_matter import PostSource
from socialcouncils.source.yaml_source import Entry, Position, node_position, resolved_surprise

# What each post-setting code raised here means, for the guide's table of codes.
POST_RULE_CODES: dict[str, str] = {
    "PM001": "a required key is missing",
    "PM002": "a key that is not a post setting",
    "PM003": "the wrong kind of value (text, a list, true or false, a date)",
    "PM004": "too long, too short, too many or too few",
    "PM005": "a date the site cannot read, or one that does not exist",
    "PM006": "a date in the future, on a post that is not a draft",
    "PM007": "an author id that is not in .authors.yml",
    "PM008": "a council id that is not in .councils.yml",
    "PM009": "a category the site does not have",
    "PM010": "a tag that is not in .tags.yml, or has capital letters",
    "PM012": "a [[REPLACE: ...]] placeholder is still there",
    "PM013": "'updated' is before 'date'",
    "PM014": "'original_url' is not a full web address",
    "PM015": "'image' without 'image_alt'",
    "PM016": "HTML or invisible characters in a text that is shown as typed",
    "PM017": "a slug that is not lowercase words joined by hyphens",
}

PLACEHOLDER_RE = re.compile(r"\[\[REPLACE:[^\]]*\]\]")
TEXT_KEYS = (
    "title",
    "description",
    "council",
    "slug",
    "image",
    "image_alt",
    "image_credit",
    "original_url",
    "original_site",
)
LIST_OF_TEXT_KEYS = ("authors", "categories", "tags")
# Settings that are shown to readers as plain words.
PLAIN_TEXT_KEYS = ("title", "description", "image_alt", "image_credit", "original_site")
# Ids are checked only for invisible and combining characters here; what they must match is
# the data files' business (an unknown id is reported as unknown).
ANY_TEXT = re.compile(r".*", re.DOTALL)
DATE_KEYS = ("date", "updated")
# The keys the blog engine itself reads: a placeholder in one of them stops its build.
ENGINE_KEYS = frozenset({"date", "authors", "categories"})
DATE_SHAPES = (
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "a day/month/year date"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}$"), "a date and time without seconds"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "a date in quotes, which is text"),
)
EXAMPLES = {doc.name: doc.example for doc in field_docs()}


def did_you_mean(value: str, choices: Any) -> str:
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'? " if matches else ""


def _example(key: str) -> str:
    """A one-line example of a key, in the YAML an officer would type."""
    example = EXAMPLES.get(key)
    if isinstance(example, bool):
        return f"{key}: {str(example).lower()}"
    if isinstance(example, list):
        return f"{key}: [{', '.join(str(e) for e in example)}]"
    return f"{key}: {example}"


def _item_position(entry: Entry, index: Any) -> Position:
    """Where item ``index`` of a list value is written; the value's own place otherwise."""
    node = entry.value_node
    if isinstance(index, int) and isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node_position(node.value[index])
    return entry.value_pos


class MetaRules:
    """Checks one post's front matter and records every problem on its ``PostSource``."""

    def __init__(self, source: PostSource, catalogue: Catalogue, today: dt.date) -> None:
        assert source.mapping is not None
        self.source = source
        self.mapping = source.mapping
        self.catalogue = catalogue
        self.today = today
        self.flagged: set[str] = set()

    def add_at(self, pos: Position, code: str, message: str, hint: str = "") -> None:
        self.source.add(pos.line, pos.col, code, message, hint)

    def run(self) -> PostMeta | None:
        """Every rule, each on the values it can read: one bad value never hides another
        problem. The post's settings, when all of them are right."""
        self.check_unreadable_values()
        self.check_placeholders()
        self.check_yaml_surprises()
        self.check_date_text()
        meta = self.check_schema()
        self.check_references()
        self.check_text()
        self.check_dates()
        self.check_image_and_links()
        return meta

    def value(self, key: str, kind: type) -> Any:
        """A value as written, when it is of the kind a rule reads (not flagged, not a
        placeholder); else None."""
        entry = self.mapping.get(key)
        if entry is None or key in self.flagged or entry.error is not None:
            return None
        return entry.value if isinstance(entry.value, kind) else None

    # -- YAML-level ---------------------------------------------------------------------------

    def check_unreadable_values(self) -> None:
        for entry in self.mapping.entries:
            if entry.error is None:
                continue
            self.flagged.add(entry.key)
            raw = getattr(entry.value_node, "value", "")
            if entry.key in DATE_KEYS:
                self.add_at(
                    entry.value_pos,
                    "PM005",
                    f"{raw} is not a real calendar date ({entry.error})",
                    f"check the day and month, e.g. {entry.key}: 2012-03-07",
                )
            else:
                self.add_at(
                    entry.value_pos,
                    "FM004",
                    f"'{entry.key}' cannot be read: {entry.error}",
                    "put the value in double quotes",
                )

    def check_yaml_surprises(self) -> None:
        for entry in self.mapping.entries:
            value = entry.value_node
            if value is None:
                continue
            nodes: list[yaml.Node] = []
            if entry.key in TEXT_KEYS:
                nodes = [value]
            elif entry.key in LIST_OF_TEXT_KEYS and isinstance(value, yaml.SequenceNode):
                nodes = list(value.value)
            elif entry.key in DATE_KEYS and resolved_surprise(value) in ("a number", "true/false"):
                nodes = [value]
            for node in nodes:
                surprise = resolved_surprise(node)
                if surprise is None or (surprise == "empty" and entry.key not in LIST_OF_TEXT_KEYS):
                    continue
                self.flagged.add(entry.key)
                raw = str(getattr(node, "value", ""))
                self.add_at(
                    node_position(node),
                    "FM008",
                    f"'{raw}' in '{entry.key}' was read as {surprise}, not as the text you typed",
                    f'put it in double quotes: "{raw}"'
                    if entry.key not in DATE_KEYS
                    else f"write the date as YYYY-MM-DD, e.g. {entry.key}: 2012-03-07",
                )

    def check_date_text(self) -> None:
        for key in DATE_KEYS:
            entry = self.mapping.get(key)
            if entry is None or key in self.flagged or not isinstance(entry.value, str):
                continue
            self.flagged.add(key)
            shape = next(
                (name for regex, name in DATE_SHAPES if regex.match(entry.value.strip())), None
            )
            hint = f"write it as YYYY-MM-DD without quotes, e.g. {key}: 2012-03-07"
            if shape == "a date and time without seconds":
                hint = f"add seconds, without quotes: {key}: {entry.value.strip()}:00"
            described = shape or "not a date the site can read"
            self.add_at(entry.value_pos, "PM005", f"'{entry.value}' is {described}", hint)

    # -- Schema -------------------------------------------------------------------------------

    def check_schema(self) -> PostMeta | None:
        data = {k: v for k, v in self.mapping.data().items() if k not in self.flagged}
        try:
            meta = PostMeta.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self.report_schema_error(error)
            return None
        return meta if not self.flagged else None

    def report_schema_error(self, error: Any) -> None:
        loc = error["loc"]
        key = str(loc[0]) if loc else ""
        kind = error["type"]
        entry = self.mapping.get(key)
        if kind == "missing":
            if key not in self.flagged:
                self.source.add(
                    1, 1, "PM001", f"'{key}' is missing", f"add it, e.g. {_example(key)}"
                )
            return
        if entry is None:
            return
        if kind == "extra_forbidden":
            guess = did_you_mean(key, PostMeta.model_fields)
            self.add_at(
                entry.key_pos,
                "PM002",
                f"'{key}' is not a post setting",
                f"{guess}the allowed keys are listed in CONTRIBUTING.md",
            )
            return
        pos = _item_position(entry, loc[1] if len(loc) > 1 else None)
        if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
            self.report_length(key, pos, error)
            return
        expected = next(d.type for d in field_docs() if d.name == key)
        self.add_at(pos, "PM003", f"'{key}' should be {expected}", f"for example: {_example(key)}")

    def report_length(self, key: str, pos: Position, error: Any) -> None:
        ctx = error.get("ctx", {})
        value = error.get("input")
        if error["type"].startswith("string"):
            limit = ctx.get("min_length", ctx.get("max_length"))
            words = "at least" if error["type"] == "string_too_short" else "at most"
            self.add_at(
                pos,
                "PM004",
                f"'{key}' is {len(value)} characters; it must be {words} {limit}",
                "rewrite it to fit",
            )
            return
        limit = ctx.get("min_length", ctx.get("max_length"))
        words = "at least" if error["type"] == "too_short" else "at most"
        count = len(value) if isinstance(value, list) else 0
        self.add_at(
            pos,
            "PM004",
            f"'{key}' has {count} item(s); it must have {words} {limit}",
            f"for example: {_example(key)}",
        )

    # -- References ---------------------------------------------------------------------------

    def each_item(self, key: str) -> list[tuple[str, yaml.Node]]:
        """Each text item of a list value, with its node (to say where it is written)."""
        entry = self.mapping.get(key)
        if (
            entry is None
            or key in self.flagged
            or not isinstance(entry.value_node, yaml.SequenceNode)
        ):
            return []
        return [
            (str(n.value), n)
            for n in entry.value_node.value
            if isinstance(n, yaml.ScalarNode) and not PLACEHOLDER_RE.search(str(n.value))
        ]

    def check_references(self) -> None:
        """Authors, council, category and tags name entries of the data files."""
        cat = self.catalogue
        for author, node in self.each_item("authors"):
            if self.check_id("authors", author, node):
                continue
            if author not in cat.authors:
                guess = did_you_mean(author, cat.authors)
                self.add_at(
                    node_position(node),
                    "PM007",
                    f"unknown author '{author}'",
                    f"{guess}authors are listed in docs/blog/.authors.yml; add yourself there",
                )
        council_entry = self.mapping.get("council")
        council = self.value("council", str)
        if (
            council_entry is not None
            and council is not None
            and council not in cat.councils
            and not self.check_id("council", council, council_entry.value_node)
        ):
            guess = did_you_mean(council, cat.councils)
            self.add_at(
                council_entry.value_pos,
                "PM008",
                f"unknown council '{council}'",
                f"{guess}use an id from docs/blog/.councils.yml: {', '.join(sorted(cat.councils))}",
            )
        for category, node in self.each_item("categories"):
            if category not in cat.categories:
                guess = did_you_mean(category, cat.categories)
                self.add_at(
                    node_position(node),
                    "PM009",
                    f"unknown category '{category}'",
                    f"{guess}use one of: {', '.join(cat.categories)}",
                )
        for tag, node in self.each_item("tags"):
            if self.check_id("tags", tag, node):
                continue
            if tag != tag.lower():
                self.add_at(
                    node_position(node),
                    "PM010",
                    f"tag '{tag}' must be lowercase",
                    f"write it as '{tag.lower()}'",
                )
            elif tag not in cat.tags:
                guess = did_you_mean(tag, cat.tags)
                self.add_at(
                    node_position(node),
                    "PM010",
                    f"unknown tag '{tag}'",
                    f"{guess}use a tag from docs/blog/.tags.yml, or add '{tag}' there in the same pull request",
                )

    def check_id(self, key: str, value: str, node: yaml.Node | None) -> bool:
        """Report an id with invisible or combining characters (True when reported)."""
        found = id_problem(value, pattern=ANY_TEXT)
        if found is None:
            return False
        message, hint = found
        pos = node_position(node) if node is not None else Position(1, 1)
        self.add_at(pos, "PM016", f"'{value}' in '{key}' cannot be used: {message}", hint)
        return True

    def check_text(self) -> None:
        """Plain-text settings show as typed; a slug is lowercase words joined by hyphens."""
        for key in PLAIN_TEXT_KEYS:
            text = self.value(key, str)
            entry = self.mapping.get(key)
            found = text_problem(text) if text is not None else None
            if found is not None and entry is not None:
                self.add_at(
                    entry.value_pos, "PM016", f"'{key}' cannot be used: {found[0]}", found[1]
                )
        slug = self.value("slug", str)
        entry = self.mapping.get("slug")
        if slug is not None and entry is not None:
            found = id_problem(slug, pattern=SLUG_RE)
            if found is not None:
                self.add_at(
                    entry.value_pos,
                    "PM017",
                    f"the slug '{slug[:60]}' cannot be used: {found[0]}",
                    f"the slug is the last part of the post's address: {found[1]}",
                )

    # -- Dates, images, links -----------------------------------------------------------------

    def check_dates(self) -> None:
        published = self.value("date", dt.date)
        if published is None:
            return
        published = _as_date(published)
        date_entry = self.mapping.get("date")
        draft = self.value("draft", bool) is True
        if date_entry is not None and published > self.today and not draft:
            self.add_at(
                date_entry.value_pos,
                "PM006",
                f"the date {published.isoformat()} is in the future",
                "set it to today or earlier, or add 'draft: true' until it is ready",
            )
        updated = self.value("updated", dt.date)
        updated_entry = self.mapping.get("updated")
        if updated is not None and updated_entry is not None and _as_date(updated) < published:
            self.add_at(
                updated_entry.value_pos,
                "PM013",
                "'updated' is before 'date'",
                f"use a date on or after {published.isoformat()}",
            )

    def check_image_and_links(self) -> None:
        image_entry = self.mapping.get("image")
        image = self.value("image", str)
        if image and not (self.value("image_alt", str) or "").strip() and image_entry is not None:
            self.add_at(
                image_entry.key_pos,
                "PM015",
                "'image' is set but 'image_alt' is missing",
                "add image_alt: a short description of what the picture shows",
            )
        url_entry = self.mapping.get("original_url")
        original = self.value("original_url", str)
        if original is not None and url_entry is not None:
            parts = urlsplit(original)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.add_at(
                    url_entry.value_pos,
                    "PM014",
                    f"'{original}' is not an absolute web address",
                    "use the full address, starting with https://",
                )

    def check_placeholders(self) -> None:
        for key in DATE_KEYS:
            entry = self.mapping.get(key)
            if entry is not None and entry.value == DATE_PLACEHOLDER:
                self.flagged.add(key)
                self.source.engine_blocked |= key in ENGINE_KEYS
                self.add_at(
                    entry.value_pos,
                    "PM012",
                    f"'{key}' still holds a placeholder",
                    f"type the date over {DATE_PLACEHOLDER}, e.g. {key}: 2012-03-07",
                )
        if "[[REPLACE:" not in self.source.text:
            return
        for entry in self.mapping.entries:
            for node in _scalar_nodes(entry.value_node):
                if PLACEHOLDER_RE.search(str(node.value)):
                    # One problem for a placeholder: no other rule reads this value.
                    self.flagged.add(entry.key)
                    self.source.engine_blocked |= entry.key in ENGINE_KEYS
                    self.add_at(
                        node_position(node),
                        "PM012",
                        f"'{entry.key}' still holds a placeholder",
                        "replace the [[REPLACE: ...]] text with your own words",
                    )
        for offset, line in enumerate(self.source.body.split("\n")):
            match = PLACEHOLDER_RE.search(line)
            if match:
                self.source.add(
                    self.source.body_line + offset,
                    match.start() + 1,
                    "PM012",
                    "the post text still holds a placeholder",
                    "replace the [[REPLACE: ...]] text with your own words",
                )


def _scalar_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.SequenceNode):
        return [n for child in node.value for n in _scalar_nodes(child)]
    return []


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def check_meta(source: PostSource, catalogue: Catalogue, today: dt.date) -> PostMeta | None:
    if source.mapping is None:
        return None
    return MetaRules(source, catalogue, today).run()
