"""The hub's reference data: councils, authors, tags and categories.

Posts name councils, authors and tags by id; these files are the one place each id is defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from socialcouncils.content.plain_text import ID_RE, SLUG_RE, id_problem, nfc, text_problem
from socialcouncils.problems import Problem
from socialcouncils.source.project import Project
from socialcouncils.source.yaml_source import (
    Entry,
    Mapping,
    Position,
    YamlSyntaxError,
    compose,
    read_mapping,
    value_position,
)

# What each data-file code means, for the guide's table of codes.
CATALOGUE_CODES: dict[str, str] = {
    "DATA001": "the data file is missing or cannot be read",
    "DATA002": "a line of the data file breaks the YAML pattern",
    "DATA003": "the file does not start with 'authors:', 'councils:' or 'tags:'",
    "DATA004": "the same id is defined twice",
    "DATA005": "an entry lacks a field it needs, such as an author's name",
    "DATA006": "an author names a council that is not in .councils.yml",
    "DATA007": "a tag with capital letters",
    "DATA008": "an id or slug that is not lowercase words, or holds invisible characters",
    "DATA009": "a website or address that is not a plain https:// address",
    "DATA010": "HTML or invisible characters in a name, role or description",
}


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    short_name: str
    nation: str
    region: str
    website: str


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    description: str
    avatar: str
    role: str = ""
    council: str = ""
    # Where the avatar path is written in .authors.yml, for problems with the picture.
    avatar_pos: Position | None = field(default=None, compare=False)


@dataclass
class Catalogue:
    councils: dict[str, Council] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    categories: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    # Whether the authors file reads as a mapping of authors; when not, the blog engine must not
    # read it either.
    authors_readable: bool = True


def _read_section(project: Project, path: Path, section: str, problems: list[Problem]) -> Mapping:
    """The mapping under ``section:`` in a data file, reporting what stops it being read."""
    shown = project.display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(
            Problem(
                shown,
                1,
                1,
                "DATA001",
                "this data file is missing",
                f"create it with a '{section}:' mapping",
            )
        )
        return Mapping()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(shown, 1, 1, "DATA001", f"cannot read this file: {exc}", "save it as UTF-8")
        )
        return Mapping()
    try:
        root = compose(text)
    except YamlSyntaxError as exc:
        problems.append(
            Problem(
                shown,
                exc.pos.line,
                exc.pos.col,
                "DATA002",
                f"YAML syntax error: {exc.message}",
                "indent with spaces and quote values that contain ': '",
            )
        )
        return Mapping()
    section_node = None
    if isinstance(root, yaml.MappingNode):
        section_node = read_mapping(root).get(section)
    if section_node is None or not isinstance(section_node.value_node, yaml.MappingNode):
        problems.append(
            Problem(
                shown,
                1,
                1,
                "DATA003",
                f"expected a '{section}:' mapping at the top of the file",
                f"start the file with '{section}:' and indent each entry under it",
            )
        )
        return Mapping()
    mapping = read_mapping(section_node.value_node)
    for first, again in mapping.duplicates:
        problems.append(
            Problem(
                shown,
                again.key_pos.line,
                again.key_pos.col,
                "DATA004",
                f"'{again.key}' is defined twice (also on line {first.key_pos.line})",
                "keep one of them",
            )
        )
    return mapping


def _require_text(
    shown: str,
    entry_pos: Any,
    item_id: str,
    data: Any,
    keys: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, str] | None:
    if not isinstance(data, dict):
        problems.append(
            Problem(
                shown,
                entry_pos.line,
                entry_pos.col,
                "DATA005",
                f"'{item_id}' must be a mapping of fields",
                "indent its fields under it",
            )
        )
        return None
    missing = [k for k in keys if not isinstance(data.get(k), str) or not data.get(k, "").strip()]
    if missing:
        problems.append(
            Problem(
                shown,
                entry_pos.line,
                entry_pos.col,
                "DATA005",
                f"'{item_id}' needs {', '.join(missing)}",
                f"add {missing[0]}: under '{item_id}'",
            )
        )
        return None
    return {k: str(v) for k, v in data.items() if isinstance(v, (str, int, float))}


def _check_entry(
    shown: str,
    entry: Entry,
    text_fields: tuple[str, ...],
    problems: list[Problem],
    id_pattern: Any = SLUG_RE,
) -> bool:
    """An entry's id and plain-text fields; False when the id cannot be used at all."""
    usable = True
    found = id_problem(entry.key, pattern=id_pattern)
    if found is not None:
        problems.append(
            Problem(
                shown,
                entry.key_line,
                entry.key_col,
                "DATA008",
                f"the id '{entry.key[:60]}' cannot be used: {found[0]}",
                found[1],
            )
        )
        usable = False
    data = entry.value if isinstance(entry.value, dict) else {}
    for name in text_fields:
        value = data.get(name)
        found = text_problem(value) if isinstance(value, str) else None
        if found is not None:
            pos = value_position(entry.value_node, name) or entry.key_pos
            problems.append(
                Problem(
                    shown,
                    pos.line,
                    pos.col,
                    "DATA010",
                    f"'{name}' of '{entry.key}' cannot be used: {found[0]}",
                    found[1],
                )
            )
    return usable


# What an address never holds: quotes, brackets, spaces and backslashes end it, or open a link.
ADDRESS_BREAKERS = re.compile(r"[\s\\\"'<>()\[\]{}`]")


def web_address(value: str, relative: bool = False) -> bool:
    """A plain https:// address (or, with ``relative``, a path on this site)."""
    if ADDRESS_BREAKERS.search(value):
        return False
    parts = urlsplit(value)
    if relative and not parts.scheme and not parts.netloc and not value.startswith("//"):
        return True
    return parts.scheme == "https" and bool(parts.netloc)


def _check_address(
    shown: str, entry: Entry, key: str, problems: list[Problem], relative: bool = False
) -> bool:
    """Whether the entry's address ``key`` is usable (or not given); else a problem."""
    value = entry.value.get(key) if isinstance(entry.value, dict) else None
    if value is None or (isinstance(value, str) and web_address(value, relative)):
        return True
    pos = value_position(entry.value_node, key) or entry.key_pos
    problems.append(
        Problem(
            shown,
            pos.line,
            pos.col,
            "DATA009",
            f"the {key} of '{entry.key}' is not a plain https:// address: '{str(value)[:80]}'",
            "write the full address, starting with https://, as your browser shows it",
        )
    )
    return False


def _check_slug(shown: str, entry: Entry, problems: list[Problem]) -> None:
    slug = entry.value.get("slug") if isinstance(entry.value, dict) else None
    found = id_problem(str(slug), pattern=SLUG_RE) if slug is not None else None
    if found is None:
        return
    pos = value_position(entry.value_node, "slug") or entry.key_pos
    problems.append(
        Problem(
            shown,
            pos.line,
            pos.col,
            "DATA008",
            f"the slug of '{entry.key}' cannot be used: {found[0]}",
            f"the slug is the last part of the author's page address: {found[1]}",
        )
    )


def _load_councils(project: Project, problems: list[Problem]) -> dict[str, Council]:
    shown = project.display(project.councils_file)
    councils = {}
    for entry in _read_section(project, project.councils_file, "councils", problems).entries:
        if not _check_entry(shown, entry, ("name", "short_name", "nation", "region"), problems):
            continue
        fields = _require_text(
            shown,
            entry.key_pos,
            entry.key,
            entry.value,
            ("name", "short_name", "nation", "website"),
            problems,
        )
        if fields is None:
            continue
        # A website that cannot be used is not linked to.
        website = fields["website"] if _check_address(shown, entry, "website", problems) else ""
        councils[entry.key] = Council(
            id=entry.key,
            name=fields["name"],
            short_name=fields["short_name"],
            nation=fields["nation"],
            region=fields.get("region", ""),
            website=website,
        )
    return councils


def _load_authors(
    project: Project, councils: dict[str, Council], problems: list[Problem]
) -> dict[str, Author]:
    shown = project.display(project.authors_file)
    authors = {}
    for entry in _read_section(project, project.authors_file, "authors", problems).entries:
        if not _check_entry(shown, entry, ("name", "description", "role"), problems):
            continue
        _check_slug(shown, entry, problems)
        _check_address(shown, entry, "url", problems, relative=True)
        fields = _require_text(
            shown,
            entry.key_pos,
            entry.key,
            entry.value,
            ("name", "description", "avatar"),
            problems,
        )
        if fields is None:
            continue
        council = fields.get("council", "")
        if council and council not in councils:
            problems.append(
                Problem(
                    shown,
                    entry.key_pos.line,
                    entry.key_pos.col,
                    "DATA006",
                    f"author '{entry.key}' names unknown council '{council}'",
                    f"use one of: {', '.join(sorted(councils))}",
                )
            )
        authors[entry.key] = Author(
            id=entry.key,
            name=fields["name"],
            description=fields["description"],
            avatar=fields["avatar"],
            role=fields.get("role", ""),
            council=council,
            avatar_pos=value_position(entry.value_node, "avatar"),
        )
    return authors


def _load_tags(project: Project, problems: list[Problem]) -> dict[str, str]:
    shown = project.display(project.tags_file)
    tags = {}
    for entry in _read_section(project, project.tags_file, "tags", problems).entries:
        description = entry.value if isinstance(entry.value, str) else ""
        found = text_problem(description)
        if found is not None:
            problems.append(
                Problem(
                    shown,
                    entry.value_line,
                    entry.value_col,
                    "DATA010",
                    f"the description of '{entry.key}' cannot be used: {found[0]}",
                    found[1],
                )
            )
        if entry.key != entry.key.lower():
            problems.append(
                Problem(
                    shown,
                    entry.key_pos.line,
                    entry.key_pos.col,
                    "DATA007",
                    f"tag '{entry.key}' must be lowercase",
                    f"write it as '{entry.key.lower()}'",
                )
            )
        elif not _check_entry(shown, entry, (), problems, id_pattern=ID_RE):
            continue
        tags[nfc(entry.key)] = str(entry.value or "")
    return tags


def load_catalogue(project: Project) -> Catalogue:
    problems: list[Problem] = []
    councils = _load_councils(project, problems)
    before = len(problems)
    authors = _load_authors(project, councils, problems)
    unreadable = {"DATA001", "DATA002", "DATA003"}
    return Catalogue(
        councils=councils,
        authors=authors,
        tags=_load_tags(project, problems),
        categories=project.categories,
        problems=problems,
        authors_readable=not any(p.code in unreadable for p in problems[before:]),
    )
