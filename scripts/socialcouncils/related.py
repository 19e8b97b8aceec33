"""Related posts, chosen at build time from the posts' front matter.

A post's related posts are other published posts that share its council or at least one of its
tags. They are ranked by, in order: same council first, then the number of tags in common, then
the newest. A post that shares neither council nor tag is never offered as related.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .posts import Post


@dataclass(frozen=True)
class Relation:
    """Why one post is related to another."""

    post: Post
    same_council: bool
    shared_tags: tuple[str, ...]


class RelatedPosts:
    """The published posts among ``candidates``, indexed by council and by tag, so that each post
    is compared only with the posts that share its council or a tag, not with every post."""

    def __init__(self, candidates: Iterable[Post]) -> None:
        self._posts = [p for p in candidates if p.published]
        self._when = [p.when for p in self._posts]
        self._by_council: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._by_path: dict[Path, list[int]] = {}
        for index, post in enumerate(self._posts):
            assert post.meta is not None
            self._by_council.setdefault(post.meta.council, []).append(index)
            for tag in post.meta.tags:
                self._by_tag.setdefault(tag, []).append(index)
            self._by_path.setdefault(post.source.path, []).append(index)

    def of(self, post: Post, limit: int = 3) -> list[Relation]:
        """Up to ``limit`` posts related to ``post``, best first; equal ones in candidate order."""
        meta = post.meta
        if meta is None or limit <= 0:
            return []
        tags = set(meta.tags)
        same_council = set(self._by_council.get(meta.council, []))
        shared = dict.fromkeys(same_council, 0)
        for tag in tags:
            for index in self._by_tag.get(tag, []):
                shared[index] = shared.get(index, 0) + 1
        for index in self._by_path.get(post.source.path, []):
            shared.pop(index, None)

        def rank_key(index: int) -> tuple[bool, int, dt.datetime]:
            return (index in same_council, shared[index], self._when[index])

        # nlargest is sorted(reverse=True)[:limit], which keeps equal posts in candidate order.
        best = heapq.nlargest(limit, sorted(shared), key=rank_key)
        return [
            Relation(
                other := self._posts[index],
                index in same_council,
                tuple(t for t in other.meta.tags if t in tags) if other.meta else (),
            )
            for index in best
        ]
