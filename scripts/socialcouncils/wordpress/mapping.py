"""The council's mapping of its WordPress categories and tags to the hub's, a small YAML file
it edits (``--mapping``)::

    # WordPress category name (or slug) -> one of the hub's categories.
    categories:
      Case Studies: Case studies
      News: Guest posts
    # The category of a post whose categories are not listed above.
    default_category: Guest posts
    # WordPress tag name (or slug) -> a tag of docs/blog/.tags.yml; null leaves the tag out.
    tags:
      Social Media: social media
      Uncategorized: null

Tags not listed are lowercased and kept when .tags.yml has them; otherwise they are proposed in
the report, never added to .tags.yml by the importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from socialcouncils.problems import Problem
from socialcouncils.source.yaml_source import (
    YamlSyntaxError,
    compose,
    construct,
    node_position,
    read_mapping,
)

KEYS = ("categories", "default_category", "tags")


@dataclass
class Mapping:
    categories: dict[str, str] = field(default_factory=dict)
    default_category: str = "Guest posts"
    tags: dict[str, str | None] = field(default_factory=dict)

    def category(self, names: list[str]) -> str:
        for name in names:
            for key in (name, name.lower()):
                if key in self.categories:
                    return self.categories[key]
        return self.default_category

    def tag(self, name: str, slug: str) -> tuple[bool, str | None]:
        """(listed, hub tag) for a WordPress tag; hub tag None means leave it out."""
        for key in (name, slug, name.lower()):
            if key in self.tags:
                return True, self.tags[key]
        return False, None


def read_mapping_file(
    path: Path | None, allowed: tuple[str, ...], shown: str
) -> tuple[Mapping, list[Problem]]:
    mapping = Mapping(default_category=allowed[0] if allowed else "Guest posts")
    if path is None:
        return mapping, []
    problems: list[Problem] = []
    try:
        root = compose(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        return mapping, [Problem(shown, 1, 1, "WP002", f"cannot read the mapping file: {exc}")]
    except YamlSyntaxError as exc:
        return mapping, [
            Problem(shown, exc.pos.line, exc.pos.col, "WP002", f"YAML syntax error: {exc.message}")
        ]
    if root is None:
        return mapping, []
    if not isinstance(root, yaml.MappingNode):
        return mapping, [Problem(shown, 1, 1, "WP002", "the mapping file must be a mapping")]
    entries = read_mapping(root)
    for entry in entries.entries:
        pos = entry.key_pos
        if entry.key not in KEYS:
            problems.append(
                Problem(
                    shown,
                    pos.line,
                    pos.col,
                    "WP002",
                    f"'{entry.key}' is not a mapping key",
                    f"the keys are {', '.join(KEYS)}",
                )
            )
            continue
        if entry.key == "default_category":
            if entry.value not in allowed:
                problems.append(_bad_category(shown, entry.value_pos, entry.value, allowed))
            else:
                mapping.default_category = str(entry.value)
            continue
        node = entry.value_node
        if not isinstance(node, yaml.MappingNode):
            problems.append(
                Problem(shown, pos.line, pos.col, "WP002", f"'{entry.key}' must be a mapping")
            )
            continue
        for key_node, value_node in node.value:
            key = str(construct(key_node))
            value = construct(value_node)
            where = node_position(value_node)
            if entry.key == "categories":
                if value not in allowed:
                    problems.append(_bad_category(shown, where, value, allowed))
                else:
                    mapping.categories[key] = str(value)
            elif value is None or isinstance(value, str):
                mapping.tags[key] = value.strip().lower() if isinstance(value, str) else None
            else:
                problems.append(
                    Problem(
                        shown,
                        where.line,
                        where.col,
                        "WP002",
                        f"the tag for '{key}' must be text or null",
                    )
                )
    return mapping, problems


def _bad_category(shown: str, pos: object, value: object, allowed: tuple[str, ...]) -> Problem:
    line, col = getattr(pos, "line", 1), getattr(pos, "col", 1)
    return Problem(
        shown,
        line,
        col,
        "WP002",
        f"'{value}' is not one of the hub's categories",
        f"use one of: {', '.join(allowed)}",
    )
