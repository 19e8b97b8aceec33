"""Where the old addresses go: each imported post's WordPress permalink path redirects to its
new address (mkdocs-redirects, its ``redirect_maps`` in mkdocs.yml between two marker lines),
and ``?p=123`` links, WordPress's address by post id, are sent on by the 404 page
(``docs/assets/javascripts/old-addresses.js``, its map between two marker lines).

Both are written from the import's state file, so they always list every post ever imported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

START = "# wordpress:redirects:start"
END = "# wordpress:redirects:end"
JS_START = "// wordpress:ids:start"
JS_END = "// wordpress:ids:end"
SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


class MarkersMissing(Exception):
    pass


def old_path(permalink: str) -> str | None:
    """The redirect's source for a permalink (/2012/03/07/slug/ -> 2012/03/07/slug/index.md);
    None for an address with no path of its own (?p=123) or one that is not plain words."""
    parts = urlsplit(permalink.strip())
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments or parts.query or not all(SEGMENT_RE.match(s) for s in segments):
        return None
    if segments[-1].endswith((".html", ".htm", ".php")):
        return None
    return "/".join(segments) + "/index.md"


def _replace_between(text: str, start: str, end: str, lines: list[str], shown: str) -> str:
    pattern = re.compile(
        rf"(?m)^([ \t]*){re.escape(start)}[^\n]*\n[\s\S]*?^[ \t]*{re.escape(end)}[^\n]*$"
    )
    found = pattern.search(text)
    if found is None:
        raise MarkersMissing(f"{shown} has no '{start}' ... '{end}' lines")
    indent = found.group(1)
    block = "".join(f"{indent}{line}\n" for line in [start, *lines]) + f"{indent}{end}"
    return text[: found.start()] + block + text[found.end() :]


def redirect_lines(redirects: dict[str, str]) -> list[str]:
    if not redirects:
        return ["redirect_maps: {}"]
    return ["redirect_maps:"] + [
        f"  {json.dumps(source)}: {json.dumps(target)}"
        for source, target in sorted(redirects.items())
    ]


def write_redirects(config: Path, redirects: dict[str, str], shown: str) -> str:
    return _replace_between(
        config.read_text(encoding="utf-8"), START, END, redirect_lines(redirects), shown
    )


def write_ids(script: Path, ids: dict[str, str], shown: str) -> str:
    ordered = {key: ids[key] for key in sorted(ids, key=lambda k: int(k))}
    line = f"const oldPostIds = {json.dumps(ordered, ensure_ascii=True, indent=None)};"
    return _replace_between(script.read_text(encoding="utf-8"), JS_START, JS_END, [line], shown)
