"""Related posts, chosen at build time from the posts' front matter.

A post's related posts are other published posts that share its council or at least one of its
tags. They are ranked by, in order: same council first, then the number of tags in common, then
the newest. A post that shares neither council nor tag is never offered as related.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .posts import Post
from .schema import PostMeta


@dataclass(frozen=True)
class Relation:
    """Why one post is related to another."""

    post: Post
    same_council: bool
    shared_tags: tuple[str, ...]

    @property
    def rank_key(self) -> tuple[bool, int, dt.datetime]:
        return (self.same_council, len(self.shared_tags), self.post.when)


def relation(meta: PostMeta, other: Post) -> Relation | None:
    """How ``other`` relates to a post with front matter ``meta``; None if it does not."""
    if other.meta is None:
        return None
    same_council = other.meta.council == meta.council
    shared = tuple(t for t in other.meta.tags if t in set(meta.tags))
    if not same_council and not shared:
        return None
    return Relation(other, same_council, shared)


def related_posts(post: Post, candidates: Iterable[Post], limit: int = 3) -> list[Relation]:
    """Up to ``limit`` published posts related to ``post``, best first."""
    if post.meta is None or limit <= 0:
        return []
    found = [
        r
        for other in candidates
        if other.source.path != post.source.path
        and other.published
        and (r := relation(post.meta, other)) is not None
    ]
    found.sort(key=lambda r: r.rank_key, reverse=True)
    return found[:limit]
