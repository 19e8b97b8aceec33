"""Approved comments as ``<stem>.responses.yml`` beside the post, in the archived-responses
format the post pages read; pingbacks and trackbacks as its ``pingbacks``.

Spam, comments awaiting moderation and trashed comments are dropped. E-mail and IP addresses
are never written. Replies are nested under the comment they answer (``wp:comment_parent``);
``by_author`` marks a comment by the post's own author (its user id is theirs). Names and
titles are plain text; each comment's text is converted and sanitized like a post body. The
file is written with YAML's safe dumper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import yaml

from socialcouncils.wordpress.text import plain, wp_date
from socialcouncils.wordpress.wxr import Comment

HEADER = "# Responses on the original blog, archived when the post moved to Social Councils.\n"
MAX_DEPTH = 10
PINGBACK_TYPES = ("pingback", "trackback")


# libyaml's emitter when PyYAML has it (it always does from its wheels): the same YAML, faster.
_Base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[valid-type,misc]
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _approved(comment: Comment) -> bool:
    return comment.approved == "1"


def _date(comment: Comment) -> dt.datetime | None:
    return wp_date(comment.date_gmt, comment.date)


def build(
    comments: list[Comment], author_user_id: str, text_of: Callable[[Comment], str]
) -> dict[str, Any] | None:
    """The responses file's data for one post's comments; None when it has none to keep."""
    kept = [c for c in comments if _approved(c)]
    by_parent: dict[str, list[Comment]] = {}
    ids = {c.id for c in kept if c.type not in PINGBACK_TYPES}
    for comment in kept:
        if comment.type in PINGBACK_TYPES:
            continue
        parent = comment.parent if comment.parent in ids else "0"
        by_parent.setdefault(parent, []).append(comment)

    def responses(parent: str, depth: int) -> list[dict[str, Any]]:
        out = []
        for comment in sorted(by_parent.get(parent, []), key=lambda c: (c.date_gmt, c.id)):
            date = _date(comment)
            text = text_of(comment).strip()
            if date is None or not text:
                continue
            entry: dict[str, Any] = {}
            name = plain(comment.author)
            if name:
                entry["name"] = name
            entry["date"] = date
            entry["text"] = text + "\n" if "\n" in text else text
            if author_user_id not in ("", "0") and comment.user_id == author_user_id:
                entry["by_author"] = True
            replies = responses(comment.id, depth + 1) if depth < MAX_DEPTH else []
            if replies:
                entry["replies"] = replies
            out.append(entry)
        return out

    data: dict[str, Any] = {}
    top = responses("0", 1)
    if top:
        data["responses"] = top
    pingbacks = []
    for comment in sorted(kept, key=lambda c: (c.date_gmt, c.id)):
        if comment.type not in PINGBACK_TYPES:
            continue
        url = comment.author_url.strip()
        parts = urlsplit(url)
        title = plain(comment.author) or parts.hostname or ""
        if parts.scheme not in ("http", "https") or not parts.netloc or not title:
            continue
        ping: dict[str, Any] = {"title": title, "url": url}
        date = _date(comment)
        if date is not None:
            ping["date"] = date.date()
        pingbacks.append(ping)
    if pingbacks:
        data["pingbacks"] = pingbacks
    return data or None


def front_matter(values: dict[str, Any]) -> str:
    """A post's front matter, its keys in the order given (the schema's)."""
    body = yaml.dump(
        values,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )
    return f"---\n{body}---\n"


def dump(data: dict[str, Any]) -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body
