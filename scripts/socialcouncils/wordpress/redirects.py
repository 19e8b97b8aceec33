"""Where the old addresses go: each imported post's WordPress permalink path redirects to its
new address (mkdocs-redirects, its ``redirect_maps`` in mkdocs.yml between two marker lines),
and ``?p=123`` links, WordPress's address by post id, are sent on by the 404 page
(``docs/assets/javascripts/old-addresses.js``, its map between two marker lines).

Both are written from the import's state file, so they always list every post ever imported.
That file is data a pull request can change, so neither writer trusts it: a redirect's source
and target must be plain relative paths (``path_problem``), the target a Markdown file, and an
address by id a path on this site (``address_problem``); anything else stops the run
(``UnsafeValue``) before a line is written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

START = "# wordpress:redirects:start"
END = "# wordpress:redirects:end"
JS_START = "// wordpress:ids:start"
JS_END = "// wordpress:ids:end"
SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


# Characters no path or address of the site has: quotes and angle brackets end an address where
# it is written in a page, and a browser reads a backslash as '/'.
UNSAFE_CHARACTERS = frozenset("\"'<>\\`")
DRIVE_RE = re.compile(r"^[A-Za-z]:")


class MarkersMissing(Exception):
    pass


class UnsafeValue(Exception):
    """A value the state file gave that is not a path or address of this site."""


def _hidden(char: str) -> bool:
    """Whitespace, control and format characters (a browser drops tabs and line breaks from an
    address, so '/\t/host' is '//host')."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Zs")


def shown_value(value: str, limit: int = 100) -> str:
    """A value as text a report can show: hidden characters as escapes, long ones cut short."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def path_problem(name: str) -> str | None:
    """Why ``name`` is not a plain relative path (forward slashes, no '.' or '..' part), or None."""
    if not name:
        return "it is empty"
    if "\\" in name:
        return "it has a backslash"
    if name.startswith("/") or DRIVE_RE.match(name):
        return "it is an absolute path"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "it has a control or hidden character"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "it has an empty, '.' or '..' part"
    return None


def address_problem(url: str) -> str | None:
    """Why ``url`` is not a path on this site, or None. A post's address is its path from the
    site's root (``blog/2012/03/07/a-post/``), or with one '/' before it; never another website
    ('//host/', 'https://...'), a script ('javascript:...') or anything that leaves the root."""
    if not url:
        return "it is empty"
    if any(_hidden(c) for c in url):
        return "it has a space, a line break or a hidden character"
    if any(c in UNSAFE_CHARACTERS for c in url):
        return "it has a quote, an angle bracket or a backslash"
    if url.startswith("//"):
        return "it starts with '//', which begins the address of another website"
    if ":" in url:
        return "it has a ':', as the address of another website or a script has"
    parts = url.removeprefix("/").split("/")
    if parts[-1] == "":
        parts.pop()
    if any(unquote(part) in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' part"
    return None


def target_problem(target: str) -> str | None:
    """Why ``target`` is not a safe redirect target (a relative path to a .md file), or None."""
    reason = path_problem(target)
    if reason is None and any(c in UNSAFE_CHARACTERS for c in target):
        return "it has a quote or an angle bracket"
    if reason is None and not target.endswith(".md"):
        return "it is not a Markdown file"
    return reason


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
    for source, target in redirects.items():
        reason = target_problem(source) or target_problem(target)
        if reason is not None:
            raise UnsafeValue(
                f"the redirect {shown_value(source)} -> {shown_value(target)} is not from one"
                f" path of this site to one of its posts: {reason}"
            )
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
    for key, url in ids.items():
        reason = None if key.isdigit() else "its id is not a number"
        reason = reason or address_problem(url)
        if reason is not None:
            raise UnsafeValue(
                f"the address of post {shown_value(key)}, '{shown_value(url)}', is not an address"
                f" on this site: {reason}"
            )
    ordered = {key: ids[key] for key in sorted(ids, key=lambda k: int(k))}
    line = f"const oldPostIds = {json.dumps(ordered, ensure_ascii=True, indent=None)};"
    return _replace_between(script.read_text(encoding="utf-8"), JS_START, JS_END, [line], shown)
