"""Related posts, chosen at build time from the posts' front matter.

A post's related posts are other published posts that share its council or at least one of its
tags. They are ranked by, in order: same council first, then the number of tags in common, then
the newest. A post that shares neither council nor tag is never offered as related.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
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
        self._by_council: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._by_path: dict[Path, list[int]] = {}
        for index, post in enumerate(self._posts):
            assert post.meta is not None
            self._by_council.setdefault(post.meta.council, []).append(index)
            for tag in post.meta.tags:
                self._by_tag.setdefault(tag, []).append(index)
            self._by_path.setdefault(post.source.path, []).append(index)
        # Each post's place from oldest to newest; of two posts with the same date, the earlier
        # candidate counts as the newer, so that equal posts come in candidate order.
        oldest_first = sorted(range(len(self._posts)), key=lambda i: (self._posts[i].when, -i))
        self._recency = [0] * len(self._posts)
        for place, index in enumerate(oldest_first):
            self._recency[index] = place

    def of(self, post: Post, limit: int = 3) -> list[Relation]:
        """Up to ``limit`` posts related to ``post``, best first; equal ones in candidate order."""
        meta = post.meta
        if meta is None or limit <= 0:
            return []
        tags = set(meta.tags)
        shared = Counter(chain.from_iterable(self._by_tag.get(tag, ()) for tag in tags))
        same_council = self._by_council.get(meta.council, [])
        # One number per candidate that orders them as the ranking does: the same council
        # outweighs any count of shared tags, which outweighs any difference in date.
        n, recency = len(self._posts), self._recency
        council_bonus = (len(tags) + 1) * n
        score = {i: count * n + recency[i] for i, count in shared.items()}
        score.update((i, council_bonus + shared[i] * n + recency[i]) for i in same_council)
        for index in self._by_path.get(post.source.path, []):
            score.pop(index, None)
        best = heapq.nlargest(limit, score, key=score.__getitem__)
        return [
            Relation(
                other := self._posts[index],
                score[index] >= council_bonus,
                tuple(t for t in other.meta.tags if t in tags) if other.meta else (),
            )
            for index in best
        ]
