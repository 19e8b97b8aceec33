"""The hub's reference data: councils, authors, tags and categories.

Posts name councils, authors and tags by id; these files are the one place each id is defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .project import Project
from .yaml_source import Mapping, Position, YamlSyntaxError, compose, read_mapping, value_position


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


def _load_councils(project: Project, problems: list[Problem]) -> dict[str, Council]:
    shown = project.display(project.councils_file)
    councils = {}
    for entry in _read_section(project, project.councils_file, "councils", problems).entries:
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
        councils[entry.key] = Council(
            id=entry.key,
            name=fields["name"],
            short_name=fields["short_name"],
            nation=fields["nation"],
            region=fields.get("region", ""),
            website=fields["website"],
        )
    return councils


def _load_authors(
    project: Project, councils: dict[str, Council], problems: list[Problem]
) -> dict[str, Author]:
    shown = project.display(project.authors_file)
    authors = {}
    for entry in _read_section(project, project.authors_file, "authors", problems).entries:
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
        tags[entry.key] = str(entry.value or "")
    return tags


def load_catalogue(project: Project) -> Catalogue:
    problems: list[Problem] = []
    councils = _load_councils(project, problems)
    return Catalogue(
        councils=councils,
        authors=_load_authors(project, councils, problems),
        tags=_load_tags(project, problems),
        categories=project.categories,
        problems=problems,
    )
