"""The hub's own settings in mkdocs.yml (``extra: hub:`` and ``extra: comments:``), declared once.

They are read once, into typed models: a key the hub does not know, or a value of the wrong kind,
is a problem at its line in mkdocs.yml (with a did-you-mean for a mistyped key), and the build
goes on with the default in its place. Every text the templates print from here is checked, as
mkdocs.yml comes in pull requests too.

| code   | meaning |
| ------ | ------- |
| CFG001 | a setting under ``extra: hub:`` or ``extra: comments:`` that the hub does not have |
| CFG002 | a setting whose value is not one the hub can use |
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from socialcouncils.problems import Problem
from socialcouncils.source.yaml_source import (
    Position,
    YamlSyntaxError,
    compose,
    mapping_item,
    node_position,
)

SETTINGS_CODES: dict[str, str] = {
    "CFG001": "a setting of the hub's that does not exist",
    "CFG002": "a setting's value that the hub cannot use",
}


def _inside_docs(path: str) -> str:
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError("it must be a path inside docs/, with no '..'")
    return path


Hostname = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$",
        max_length=253,
    ),
]
DocsPath = Annotated[str, Field(pattern=r"^[\w./*-]+$"), AfterValidator(_inside_docs)]
PlainText = Annotated[str, Field(pattern=r"^[^<>\"]*$", max_length=300)]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HubSettings(_Settings):
    """``extra: hub:``: the checks' limits and the generated pages' choices."""

    councils_file: DocsPath = "blog/.councils.yml"
    tags_file: DocsPath = "blog/.tags.yml"
    # Largest picture file a post may use, in KB.
    image_max_kb: Annotated[int, Field(gt=0, le=20_000)] = 500
    # Hosts whose https pages posts may embed with <iframe> (a host also allows its subdomains).
    embed_hosts: Annotated[tuple[Hostname, ...], Field(strict=False)] = ()
    # How many of the newest posts each feed (site, council, category) holds.
    feed_items: Annotated[int, Field(ge=1, le=1000)] = 20
    # Related posts at the end of each post: how many at most.
    related_posts: Annotated[int, Field(ge=0, le=20)] = 3
    # Reading pace for the reading time in each post's byline (the theme's own pace).
    reading_words_per_minute: Annotated[int, Field(ge=50, le=2000)] = 265
    # Lighter pages (slim.py): stylesheets to trim after the build, and compact HTML.
    trim_stylesheets: Annotated[tuple[DocsPath, ...], Field(strict=False)] = ()
    compact_html: bool = False
    # What each category holds, shown where the home page lists them.
    categories: dict[PlainText, PlainText] = Field(default_factory=dict)


class GiscusSettings(_Settings):
    """giscus (GitHub Discussions), passed to giscus as ``data-*`` attributes."""

    repo: Annotated[str, Field(pattern=r"^[\w.-]+/[\w.-]+$")] = ""
    repo_id: Annotated[str, Field(pattern=r"^[\w-]*$")] = ""
    category: PlainText = ""
    category_id: Annotated[str, Field(pattern=r"^[\w-]*$")] = ""
    mapping: Literal["specific", "pathname", "url", "title", "og:title"] = "specific"
    strict: bool = True
    reactions_enabled: bool = False
    emit_metadata: bool = False
    input_position: Literal["top", "bottom"] = "top"
    theme: Annotated[str, Field(pattern=r"^[a-z_]+$")] = "preferred_color_scheme"
    lang: Annotated[str, Field(pattern=r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")] = "en"
    loading: Literal["lazy", "eager"] = "lazy"

    @property
    def ready(self) -> bool:
        """Whether giscus can be shown: the repository and its discussion category are known."""
        return bool(self.repo and self.repo_id and self.category and self.category_id)


class CommentSettings(_Settings):
    """``extra: comments:``: the Comments section at the end of every post."""

    editors_email: Annotated[str, Field(pattern=r"^[^@\s<>\"'&?]+@[^@\s<>\"'&?]+\.[a-z]{2,}$")] = ""
    giscus: GiscusSettings = Field(default_factory=GiscusSettings)


class Settings(_Settings):
    hub: HubSettings = Field(default_factory=HubSettings)
    comments: CommentSettings = Field(default_factory=CommentSettings)


def read_settings(extra: Any, config_file: Path, shown: str) -> tuple[Settings, list[Problem]]:
    """The settings under ``extra:``, with a problem for each key or value that cannot be used;
    each of those falls back to its default."""
    extra = extra if isinstance(extra, dict) else {}
    given = {key: extra[key] for key in ("hub", "comments") if isinstance(extra.get(key), dict)}
    try:
        return Settings.model_validate(given), []
    except ValidationError as exc:
        errors = exc.errors()
    positions = _positions(config_file)
    problems = [_problem(error, positions, shown) for error in errors]
    return Settings.model_validate(_without(given, [e["loc"] for e in errors])), problems


def _without(given: dict[str, Any], locations: list[tuple[Any, ...]]) -> dict[str, Any]:
    """``given`` less every value at ``locations`` (the whole setting, for an item of a list)."""
    cleaned = _copy(given)
    for loc in locations:
        parent: Any = cleaned
        keys = [k for k in loc if isinstance(k, str)]
        for key in keys[:-1]:
            parent = parent.get(key, {}) if isinstance(parent, dict) else {}
        if isinstance(parent, dict) and keys:
            parent.pop(keys[-1], None)
    return cleaned


def _copy(value: Any) -> Any:
    return {k: _copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def _problem(error: Any, positions: dict[tuple[str, ...], Position], shown: str) -> Problem:
    path = tuple(str(k) for k in error["loc"] if isinstance(k, str))
    dotted = ".".join(("extra", *path))
    pos = next(
        (positions[path[:n]] for n in range(len(path), 0, -1) if path[:n] in positions),
        Position(1, 1),
    )
    if error["type"] == "extra_forbidden":
        known = _known_keys(path[:-1])
        guess = difflib.get_close_matches(path[-1], known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        return Problem(
            shown,
            pos.line,
            pos.col,
            "CFG001",
            f"'{dotted}' is not a setting of the hub's, so it would be ignored",
            f"{hint}the settings are listed in scripts/socialcouncils/source/settings.py",
        )
    return Problem(
        shown,
        pos.line,
        pos.col,
        "CFG002",
        f"'{dotted}' cannot be used: {error['msg']}",
        "the default is used instead; the settings are listed in scripts/socialcouncils/source/settings.py",
    )


def _known_keys(path: tuple[str, ...]) -> list[str]:
    model: Any = Settings
    for key in path:
        field = model.model_fields.get(key)
        if field is None or not isinstance(field.annotation, type):
            return []
        model = field.annotation
    return list(model.model_fields) if hasattr(model, "model_fields") else []


def _positions(config_file: Path) -> dict[tuple[str, ...], Position]:
    """Where each key under ``extra:`` is written in mkdocs.yml (keys only, not list items)."""
    try:
        root = compose(config_file.read_text(encoding="utf-8-sig"))
    except (OSError, YamlSyntaxError):
        return {}
    _, extra = mapping_item(root, "extra")
    found: dict[tuple[str, ...], Position] = {}
    pending: list[tuple[tuple[str, ...], yaml.Node | None]] = [((), extra)]
    while pending:
        path, node = pending.pop()
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                found[(*path, str(key.value))] = node_position(key)
                pending.append(((*path, str(key.value)), value))
    return found
