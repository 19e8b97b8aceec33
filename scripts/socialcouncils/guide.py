"""The parts of CONTRIBUTING.md that are generated, so the guide cannot drift from the code.

Each part sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers:

- ``fields``: the table of front-matter keys, from the post schema (``field_docs()``);
- ``codes``: the picture, markup and archived-response codes (IMG, HTML, RSP) with what each
  means, from the checks' own tables;
- ``template``: the post template officers copy in GitHub's web editor: every required key, with
  the same ``[[REPLACE: ...]]`` placeholders and starter text as ``new_post.py`` writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from .post_rules import _example
from .scaffold import BODY, PLACEHOLDERS
from .schema import DATE_PLACEHOLDER, field_docs, required_keys


class GuideError(Exception):
    """The guide lacks a pair of markers, so a generated part has nowhere to go."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_table() -> str:
    rows = [
        "| Key | Needed? | What to write | Example |",
        "| --- | --- | --- | --- |",
    ]
    for doc in field_docs():
        needed = "**required**" if doc.required else "optional"
        what = f"{doc.description} ({doc.type})"
        rows.append(f"| `{doc.name}` | {needed} | {_cell(what)} | `{_cell(_example(doc.name))}` |")
    return "\n".join(rows)


def _quoted(text: str) -> str:
    """Double quotes, so an officer can type apostrophes and colons inside them."""
    return json.dumps(text, ensure_ascii=False)


def post_template() -> str:
    """A whole post with every required key, each value a placeholder the check flags."""
    lines = ["---"]
    for key in required_keys():
        value = PLACEHOLDERS.get(key, DATE_PLACEHOLDER)
        if value == DATE_PLACEHOLDER:
            lines.append(f"{key}: {DATE_PLACEHOLDER}")
        elif isinstance(value, str):
            lines.append(f"{key}: {_quoted(value)}")
        else:
            lines.append(f"{key}:")
            lines.extend(f"  - {_quoted(item)}" for item in value)
    lines.append("---")
    return "```markdown\n" + "\n".join(lines) + "\n\n" + BODY + "```"


def _find(text: str, name: str) -> re.Match[str]:
    pattern = rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->"
    match = re.search(pattern, text, re.DOTALL)
    if match is None:
        raise GuideError(f"no '<!-- {name}:start -->' ... '<!-- {name}:end -->' markers")
    return match


def code_table() -> str:
    """Every picture and markup code, with its meaning, from the checks' own tables."""
    from .docs_files import FILE_CODES
    from .images import IMAGE_CODES
    from .markup import MARKUP_CODES
    from .responses import RESPONSE_CODES
    from .site_check import SITE_CODES

    rows = ["| code | what it means |", "| --- | --- |"]
    for codes in (IMAGE_CODES, SITE_CODES, MARKUP_CODES, FILE_CODES, RESPONSE_CODES):
        rows += [f"| {code} | {_cell(meaning)} |" for code, meaning in sorted(codes.items())]
    return "\n".join(rows)


def generated_part(text: str, name: str) -> str:
    """What the guide holds between one pair of markers today."""
    return _find(text, name).group(1).rstrip("\n")


def update_guide(text: str) -> str:
    """The guide with every generated part rewritten from the code."""
    for name, make in PARTS.items():
        match = _find(text, name)
        text = text[: match.start(1)] + make() + "\n" + text[match.end(1) :]
    return text


PARTS: dict[str, Callable[[], str]] = {
    "fields": field_table,
    "codes": code_table,
    "template": post_template,
}
