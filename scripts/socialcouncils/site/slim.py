"""Lighter pages, with nothing a reader sees taken away.

Two savings:

- ``trim_stylesheet`` drops, after the build, the theme's CSS rules that cannot apply to this site: rules whose
  selector needs a class, or an exact attribute value, that no built page and no script of the
  theme ever uses (styles for Markdown extensions the site does not enable, right-to-left
  languages, colour palettes it does not offer...). A rule is kept whenever in doubt: selectors
  inside ``:is()``, ``:not()`` and the like are not judged, and a name that appears anywhere in
  the theme's JavaScript counts as used, since scripts add classes as pages change.
- ``compact_html`` removes the indentation from the page templates' HTML. Each run of white
  space that holds line breaks becomes those line breaks alone, which browsers display exactly as
  they did before; ``pre``, ``code``, ``kbd``, ``textarea``, ``script`` and ``style`` elements are
  left as they are. The templates are compacted once, as they are compiled
  (``templates.CompactTemplates``), rather than every page as it is built.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from tinycss2 import ast

# An element whose white space shows, kept as it is; or a run of HTML's white space that holds
# line breaks, which is made those line breaks alone.
_KEPT_OR_BREAKS = re.compile(
    r"(<(pre|code|kbd|textarea|script|style)\b.*?</\2\s*>)|([ \t\r\f]*\n[ \t\n\r\f]*)",
    re.IGNORECASE | re.DOTALL,
)
_CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')
_ATTRIBUTE = re.compile(r'\s([\w:.-]+)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# At-rules holding rules that can be trimmed; all others (@font-face, @keyframes...) are kept.
_GROUPING = frozenset({"media", "supports", "layer", "container"})


def compact_html(html: str) -> str:
    """``html`` without the indentation between elements (see the module's description)."""
    return _KEPT_OR_BREAKS.sub(_kept_or_breaks, html)


def _kept_or_breaks(match: re.Match[str]) -> str:
    kept, _, breaks = match.groups()
    return kept if kept is not None else "\n" * breaks.count("\n")


@dataclass
class Usage:
    """The class names and attribute values a site uses, and every word in its scripts."""

    classes: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)
    script_words: set[str] = field(default_factory=set)

    def add_html(self, html: str) -> None:
        for names in _CLASS_ATTRIBUTE.findall(html):
            self.classes.update(names.split())
        self.attributes.update(_ATTRIBUTE.findall(html))

    def add_script(self, script: str) -> None:
        self.script_words.update(_words(script))

    def update(self, other: Usage) -> None:
        self.classes |= other.classes
        self.attributes |= other.attributes
        self.script_words |= other.script_words

    def has_class(self, name: str) -> bool:
        return name in self.classes or name in self.script_words

    def has_attribute(self, name: str, value: str) -> bool:
        return (name, value) in self.attributes or value in self.script_words

    @classmethod
    def of_site(
        cls, site_dir: Path, pages: Usage | None = None, read: Container[str] = frozenset()
    ) -> Usage:
        """What the site uses. ``pages`` is what the pages in ``read`` (paths in the site) use,
        found as they were built; every other page, and every script, is read here."""
        usage = cls()
        if pages is not None:
            usage.update(pages)
        for page in site_dir.rglob("*.html"):
            if page.relative_to(site_dir).as_posix() not in read:
                usage.add_html(page_text(page.read_bytes()))
        for script in site_dir.rglob("*.js"):
            usage.add_script(script.read_text(encoding="utf-8"))
        return usage


def page_text(html: bytes) -> str:
    """A built page's file as text, read as ``Path.read_text`` reads it (UTF-8, any line ending
    as a line break)."""
    return io.TextIOWrapper(io.BytesIO(html), encoding="utf-8").read()


def _selectors(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    selectors: list[list[ast.Node]] = [[]]
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _attribute(block: ast.SquareBracketsBlock) -> tuple[str, str] | None:
    """``(name, value)`` of an exact-match attribute selector such as ``[dir=rtl]``."""
    parts = [t for t in block.content if not isinstance(t, ast.WhitespaceToken)]
    if (
        len(parts) == 3
        and isinstance(parts[0], ast.IdentToken)
        and isinstance(parts[1], ast.LiteralToken)
        and parts[1].value == "="
        and isinstance(parts[2], ast.IdentToken | ast.StringToken)
    ):
        return parts[0].value, parts[2].value
    return None


def _can_match(selector: list[ast.Node], usage: Usage) -> bool:
    for before, token in zip([None, *selector], selector, strict=False):
        if (
            isinstance(token, ast.IdentToken)
            and isinstance(before, ast.LiteralToken)
            and before.value == "."
            and not usage.has_class(token.value)
        ):
            return False
        if isinstance(token, ast.SquareBracketsBlock):
            attribute = _attribute(token)
            if attribute is not None and not usage.has_attribute(*attribute):
                return False
    return True


def _trim_rules(rules: Iterable[ast.Node], usage: Usage) -> list[str]:
    kept: list[str] = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            selectors = [s for s in _selectors(rule.prelude) if _can_match(s, usage)]
            if selectors:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
                kept.append(f"{prelude}{{{tinycss2.serialize(rule.content)}}}")
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _GROUPING and rule.content:
            inner = _trim_rules(tinycss2.parse_rule_list(rule.content), usage)
            if inner:
                prelude = tinycss2.serialize(rule.prelude)
                kept.append(f"@{rule.at_keyword}{prelude}{{{''.join(inner)}}}")
        elif isinstance(rule, ast.AtRule):
            kept.append(tinycss2.serialize([rule]))
    return kept


def trim_stylesheet(css: str, usage: Usage) -> str:
    """``css`` without the rules no element of the site can ever match."""
    return "".join(_trim_rules(_parsed(css), usage))


# A live preview rebuilds the site on every save, with the same theme stylesheets and scripts
# each time: each is read into rules, or words, once per process.
@functools.lru_cache(maxsize=8)
def _parsed(css: str) -> list[ast.Node]:
    return list(tinycss2.parse_stylesheet(css))


# The theme has a few dozen scripts (one for each search language): room for all of them.
@functools.lru_cache(maxsize=128)
def _words(script: str) -> frozenset[str]:
    return frozenset(_WORD.findall(script))


def read_ahead(site_dir: Path, patterns: Iterable[str]) -> None:
    """Read the stylesheets matching the glob ``patterns`` into rules, and the site's scripts into
    words, ahead of ``trim_site_stylesheets`` in the same process (a worker that trims them once
    the pages are built)."""
    patterns = list(patterns)
    if not patterns:
        return
    for pattern in patterns:
        for path in site_dir.glob(pattern):
            _parsed(path.read_bytes().decode("utf-8"))
    for script in site_dir.rglob("*.js"):
        _words(script.read_text(encoding="utf-8"))


def trim_site_stylesheets(
    site_dir: Path,
    patterns: Iterable[str],
    pages: Usage | None = None,
    read: Container[str] = frozenset(),
) -> dict[Path, tuple[int, int]]:
    """Trim, in place, the stylesheets in ``site_dir`` matching the glob ``patterns``.

    ``pages`` is what the pages in ``read`` use (see ``Usage.of_site``). Returns each file's
    size in bytes before and after.
    """
    patterns = list(patterns)
    if not patterns:
        return {}
    usage = Usage.of_site(site_dir, pages, read)
    sizes = {}
    for pattern in patterns:
        for path in sorted(site_dir.glob(pattern)):
            before = path.read_bytes()
            after = trim_stylesheet(before.decode("utf-8"), usage).encode("utf-8")
            path.write_bytes(after)
            sizes[path] = (len(before), len(after))
    return sizes
