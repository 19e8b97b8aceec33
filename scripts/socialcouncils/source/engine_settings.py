"""The engine's own settings in mkdocs.yml that a pull request could turn against the build or
its readers, held to what the hub allows.

- ``site_url`` is printed into every page and feed: it must be a plain web address.
- ``markdown_extensions``: only those the hub's markup policy was written for. Another could read
  files from anywhere (``pymdownx.snippets``) or write markup the policy never saw.
- ``plugins: redirects: redirect_maps`` (old addresses of imported posts): each old address must
  be a page inside the site, and each new one a page of the site or a plain web address; the
  redirects plugin writes the one as a file and pastes the other into a script.

Each setting that breaks its rule is a problem at its line in mkdocs.yml, and the build leaves it
out (``allowed_engine_settings``), so the strict build fails on it and nothing of it is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from socialcouncils.problems import Problem
from socialcouncils.source.yaml_source import (
    Position,
    YamlShapeError,
    YamlSyntaxError,
    compose,
    mapping_item,
    node_position,
)

ENGINE_CODES: dict[str, str] = {
    "CFG003": "a Markdown extension the hub's markup policy does not allow",
    "CFG004": "a site address (site_url) that is not a plain web address",
    "CFG005": "a redirect that would write outside the site or send readers to an unsafe address",
}

# The Markdown extensions the markup policy was written for (and the hub adds its own).
ALLOWED_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "footnotes",
        "md_in_html",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
    }
)
SITE_URL_RE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/-]*)?")
# A page of the docs folder: words, digits, dots, hyphens and underscores, in folders, never "..".
DOCS_PAGE_RE = re.compile(r"(?!.*(?:^|/)\.\.?(?:/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*\.(?:md|html)")
# A new address: a page of the docs folder, or a plain web address; an anchor may follow.
TARGET_RE = re.compile(
    r"(?:(?!.*(?:^|/)\.\.?(?:/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*\.md"
    r"|https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/%-]*)?)(?:#[A-Za-z0-9_-]+)?"
)


@dataclass
class EngineSettings:
    """What the build may use of the engine's settings, and what it must leave out."""

    problems: list[Problem] = field(default_factory=list)
    site_url_ok: bool = True
    extensions_left_out: set[str] = field(default_factory=set)
    redirects_left_out: set[str] = field(default_factory=set)


def extension_name(entry: Any) -> str:
    """An entry of markdown_extensions by its name (``toc`` for ``{toc: {...}}``)."""
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return str(entry)


def _redirect_maps(config: dict[str, Any]) -> dict[Any, Any]:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("redirects"), dict):
            maps = plugin["redirects"].get("redirect_maps")
            return maps if isinstance(maps, dict) else {}
    return {}


def _nodes(config_file: Path) -> yaml.Node | None:
    try:
        return compose(config_file.read_text(encoding="utf-8-sig"))
    except (OSError, YamlSyntaxError, YamlShapeError):
        return None


def _positions(root: yaml.Node | None) -> dict[tuple[str, str], Position]:
    """Where each extension and each redirect is written, and site_url."""
    found: dict[tuple[str, str], Position] = {}
    key, _ = mapping_item(root, "site_url")
    if key is not None:
        found[("site_url", "")] = node_position(key)
    _, extensions = mapping_item(root, "markdown_extensions")
    for item in extensions.value if isinstance(extensions, yaml.SequenceNode) else []:
        name_node = item.value[0][0] if isinstance(item, yaml.MappingNode) and item.value else item
        if isinstance(name_node, yaml.ScalarNode):
            found[("extension", str(name_node.value))] = node_position(name_node)
    _, plugins = mapping_item(root, "plugins")
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        _, options = mapping_item(item, "redirects")
        _, maps = mapping_item(options, "redirect_maps")
        if isinstance(maps, yaml.MappingNode):
            for k, _v in maps.value:
                if isinstance(k, yaml.ScalarNode):
                    found[("redirect", str(k.value))] = node_position(k)
    return found


def read_engine_settings(config: dict[str, Any], config_file: Path, shown: str) -> EngineSettings:
    """The engine's settings held to the hub's rules (``config`` as MkDocs reads mkdocs.yml)."""
    result = EngineSettings()
    where: dict[tuple[str, str], Position] | None = None

    def add(kind: str, name: str, code: str, message: str, hint: str) -> None:
        nonlocal where
        if where is None:
            where = _positions(_nodes(config_file))
        pos = where.get((kind, name), Position(1, 1))
        result.problems.append(Problem(shown, pos.line, pos.col, code, message, hint))

    site_url = config.get("site_url")
    if site_url is not None and not SITE_URL_RE.fullmatch(str(site_url)):
        result.site_url_ok = False
        add(
            "site_url",
            "",
            "CFG004",
            "site_url is not a plain web address, so it is left out of the pages and feeds",
            "write the site's address as https://host/path/, with no quotes or spaces",
        )
    for entry in config.get("markdown_extensions") or []:
        name = extension_name(entry)
        if name not in ALLOWED_EXTENSIONS:
            result.extensions_left_out.add(name)
            add(
                "extension",
                name,
                "CFG003",
                f"the Markdown extension '{name}' is not one the hub allows, so it is left out",
                "use the extensions already in mkdocs.yml; a new one needs the markup policy"
                " changed to match (scripts/socialcouncils/source/engine_settings.py)",
            )
    for old, new in _redirect_maps(config).items():
        if DOCS_PAGE_RE.fullmatch(str(old)) and TARGET_RE.fullmatch(str(new)):
            continue
        result.redirects_left_out.add(str(old))
        add(
            "redirect",
            str(old),
            "CFG005",
            f"the redirect from '{old}' cannot be used: an old address must be a page inside the"
            " site, and the new one a page of the site or a plain web address",
            "write it as old/path.md: blog/posts/new-post.md, as the WordPress importer does",
        )
    return result
