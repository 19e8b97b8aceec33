"""Text that posts and data files give as plain words: titles, descriptions, names, roles, tag
descriptions, alt text and credits, and the ids (slugs, tags, authors, councils) that name things.

Such text reaches every page, feed and index as text, never as markup: the build escapes it
before any template sees it (``for_templates``), and the checks tell the officer when it holds
something that would not show as they meant it. Ids are compared in Unicode's composed form
(NFC), so that two ways of typing "é" are one id.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

# What a browser would read as the start of a tag, a comment or a declaration.
MARKUP_RE = re.compile(r"<[A-Za-z/!?]")
# A Markdown link or picture: in plain text it is shown as typed, so it is most likely a mistake.
MARKDOWN_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
# Characters that reorder or hide text: bidirectional embeddings, overrides, isolates and marks;
# and zero-width characters.
HIDDEN_CHARACTERS_RE = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The last part of an address: lowercase letters, digits and single hyphens.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An id of the authors, councils or tags files: lowercase words, with hyphens or single spaces.
ID_RE = re.compile(r"^[^\W_A-Z](?:[^\W_A-Z]|[ -](?=[^\W_A-Z]))*$")


# What Python-Markdown reads a backslash before as the character itself (its ``ESCAPED_CHARS``);
# '<', '>' and '&' are written as character references instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def markdown_text(text: str) -> str:
    """``text`` for a page written in Markdown, to be shown as typed, never read as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def for_templates(text: str) -> str:
    """``text`` escaped for the theme's templates, which print what they are given as HTML."""
    return escape(text, quote=True)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that reorders or hides text, as U+XXXX, if any."""
    found = HIDDEN_CHARACTERS_RE.search(text) or CONTROL_RE.search(text)
    return f"U+{ord(found.group(0)):04X}" if found else None


def text_problem(text: str) -> tuple[str, str] | None:
    """Why plain text would not show as typed: (message, hint), or None when it is fine."""
    hidden = hidden_character(text)
    if hidden is not None:
        return (
            f"it holds an invisible character ({hidden}) that can hide or reorder the words",
            "retype it, or paste it as plain text",
        )
    match = MARKUP_RE.search(text) or MARKDOWN_LINK_RE.search(text)
    if match is not None:
        snippet = text[match.start() : match.start() + 20]
        kind = "HTML" if match.re is MARKUP_RE else "a Markdown link"
        return (
            f"it holds {kind} ('{snippet}'), which is shown as typed, not as formatting",
            "write plain words; the site formats titles, names and descriptions itself",
        )
    return None


def id_problem(value: str, pattern: re.Pattern[str] = ID_RE) -> tuple[str, str] | None:
    """Why an id is not usable: (message, hint), or None."""
    hidden = hidden_character(value)
    if hidden is not None:
        return (
            f"it holds an invisible character ({hidden})",
            "retype it with plain letters, digits, spaces and hyphens",
        )
    if nfc(value) != value:
        return (
            "it is typed with combining characters, so it would not match the same word typed"
            " another way",
            "retype it",
        )
    if not pattern.match(value):
        return (
            "it is not lowercase letters and digits with single hyphens"
            + ("" if pattern is SLUG_RE else " or spaces"),
            "e.g. 'social-media'" if pattern is SLUG_RE else "e.g. 'social media'",
        )
    return None
