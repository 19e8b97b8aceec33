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

from socialcouncils.content.posts import Post


@dataclass(frozen=True)
class Relation:
    """Why one post is related to another."""

    post: Post
    same_council: bool
    shared_tags: tuple[str, ...]


class RelatedPosts:
    """The published posts among ``candidates``, indexed by council and by tag, so that each post
    is compared only with the posts that share a tag with it, and with the newest few of its
    council, not with every post."""

    def __init__(self, candidates: Iterable[Post]) -> None:
        self._posts = [p for p in candidates if p.published]
        self._council: list[str] = []
        self._by_tag: dict[str, list[int]] = {}
        self._by_path: dict[Path, list[int]] = {}
        for index, post in enumerate(self._posts):
            assert post.meta is not None
            self._council.append(post.meta.council)
            for tag in post.meta.tags:
                self._by_tag.setdefault(tag, []).append(index)
            self._by_path.setdefault(post.source.path, []).append(index)
        # Each post's place from oldest to newest; of two posts with the same date, the earlier
        # candidate counts as the newer, so that equal posts come in candidate order.
        oldest_first = sorted(range(len(self._posts)), key=lambda i: (self._posts[i].when, -i))
        self._recency = [0] * len(self._posts)
        for place, index in enumerate(oldest_first):
            self._recency[index] = place
        # Each council's posts, newest first.
        self._newest_by_council: dict[str, list[int]] = {}
        for index in reversed(oldest_first):
            self._newest_by_council.setdefault(self._council[index], []).append(index)

    def of(self, post: Post, limit: int = 3) -> list[Relation]:
        """Up to ``limit`` posts related to ``post``, best first; equal ones in candidate order.

        In rank order: posts of the same council that share tags (most shared, then newest),
        then the newest of the same council, then posts of other councils that share tags.
        """
        meta = post.meta
        if meta is None or limit <= 0:
            return []
        tags = set(meta.tags)
        shared = Counter(chain.from_iterable(self._by_tag.get(tag, ()) for tag in tags))
        itself = set(self._by_path.get(post.source.path, ()))
        for index in itself:
            del shared[index]
        n, recency, council = len(self._posts), self._recency, self._council

        def rank(index: int) -> int:
            return shared[index] * n + recency[index]

        same_council = [i for i in shared if council[i] == meta.council]
        best = heapq.nlargest(limit, same_council, key=rank)
        if len(best) < limit:
            for index in self._newest_by_council.get(meta.council, ()):
                if index not in shared and index not in itself:
                    best.append(index)
                    if len(best) == limit:
                        break
        chosen_same = len(best)
        if len(best) < limit:
            others = [i for i in shared if council[i] != meta.council]
            best += heapq.nlargest(limit - len(best), others, key=rank)
        return [
            Relation(
                other := self._posts[index],
                place < chosen_same,
                tuple(t for t in other.meta.tags if t in tags) if other.meta else (),
            )
            for place, index in enumerate(best)
        ]
