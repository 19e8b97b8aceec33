"""Every post read and checked at once, with the problems that span posts (two posts, one URL)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import posixpath
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.slugs import slugify

from .catalogue import Catalogue, load_catalogue
from .external_images import ExternalUse
from .front_matter import PostSource, read_post
from .images import ImageRef, ImageRules, check_avatars, check_post_images
from .markup import check_markup
from .post_body import scan_body
from .post_rules import check_meta
from .problems import Problem
from .project import Project
from .schema import PostMeta

_slugify_post = slugify(case="lower")


@functools.cache
def _category_slug(category: str) -> str:
    return str(_slugify_post(category, "-"))


# Problems on which the blog engine would stop the whole build (it cannot read the front matter,
# a date, an author or a category). The build leaves such a post out, so that every problem in
# every post is still reported in the same run and the strict build fails on them.
UNREADABLE = frozenset(
    {
        "FM001",
        "FM002",
        "FM003",
        "FM004",
        "FM005",
        "FM007",
        "FM008",
        "PM001",
        "PM003",
        "PM005",
        "PM007",
        "PM009",
    }
)


@dataclass(slots=True)
class Post:
    source: PostSource
    meta: PostMeta | None = None
    url: str | None = None
    images: list[ImageRef] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.source.problems

    @property
    def readable_by_engine(self) -> bool:
        return not any(p.code in UNREADABLE for p in self.problems)

    @property
    def published(self) -> bool:
        return self.meta is not None and not self.meta.draft

    @property
    def when(self) -> dt.datetime:
        """The post's date as a naive date and time, for sorting (needs readable front matter)."""
        return _sort_key(self.meta)


@dataclass
class PostCollection:
    project: Project
    catalogue: Catalogue
    posts: list[Post] = field(default_factory=list)
    avatars: list[ImageRef] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        found = list(self.catalogue.problems)
        for post in self.posts:
            found.extend(post.problems)
        return sorted(found)

    def sources_by_url(self) -> dict[str, str]:
        """Each post's address (relative to the site root) -> its file as shown in messages."""
        return {p.url: p.source.shown for p in self.posts if p.url is not None}

    def external_images(self) -> list[ExternalUse]:
        """Every http(s) picture the posts and avatars use, where each is written."""
        authors = self.project.display(self.project.authors_file)
        used = [(p.source.shown, ref) for p in self.posts for ref in p.images]
        used += [(authors, ref) for ref in self.avatars]
        return [
            ExternalUse(ref.src, shown, ref.spot.line, ref.spot.col)
            for shown, ref in used
            if ref.external
        ]

    def published(self) -> list[Post]:
        """Posts that appear on the site, newest first."""
        live = [p for p in self.posts if p.published]
        return sorted(live, key=lambda p: _sort_key(p.meta), reverse=True)


def _sort_key(meta: PostMeta | None) -> dt.datetime:
    assert meta is not None
    value = meta.date
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def _url_date(value: dt.date) -> str:
    """The date part of a post's address, as the blog engine's default 'yyyy/MM/dd' writes it."""
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def post_url(project: Project, meta: PostMeta, file_name: str) -> str:
    """The address the blog engine gives a post, relative to the site root."""
    url_format = project.post_url_format
    categories = (
        [_category_slug(c) for c in meta.categories[:1]] if "{categories}" in url_format else []
    )
    path = url_format.format(
        categories="/".join(categories),
        date=_url_date(meta.date),
        file=file_name,
        slug=meta.slug or _slugify_post(meta.title, "-"),
    )
    return posixpath.join(project.blog_dir, posixpath.normpath(path.strip("/"))) + "/"


def check_unique_urls(posts: Iterable[Post]) -> None:
    """Two posts that would get the same address: each is told about the other."""
    by_url: dict[str, list[Post]] = {}
    for post in posts:
        if post.url is not None:
            by_url.setdefault(post.url, []).append(post)
    for url, clashing in by_url.items():
        for post in clashing if len(clashing) > 1 else []:
            others = ", ".join(p.source.shown for p in clashing if p is not post)
            entry = post.source.mapping.get("title") if post.source.mapping else None
            line, col = (entry.value_pos.line, entry.value_pos.col) if entry else (1, 1)
            post.source.add(
                line,
                col,
                "PM011",
                f"this post would have the same address as {others}: /{url}",
                "change the title, or add a 'slug:' line with a different address",
            )


def check_body(post: Post, project: Project, rules: ImageRules) -> None:
    """The post's pictures and markup: one scan of the body serves both checks."""
    source = post.source
    if source.mapping is None:
        return
    scan = scan_body(source.body, source.body_line)
    post.images = check_post_images(source, scan, rules)
    check_markup(source, scan, project.hub["embed_hosts"] or [])


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while every post is read.

    Each of its full passes walks every object still alive, and the read keeps every post alive,
    so the passes add time that grows faster than the number of posts (measured: 500 to 2,000
    posts took 5.1× as long with it, 4.1× without). Reference counting still frees what the
    read throws away; anything left in a cycle is collected once the collector is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_posts(
    project: Project,
    paths: Iterable[Path] | None = None,
    today: dt.date | None = None,
    compare_with_all: bool = True,
) -> PostCollection:
    """Read and check posts (all of them when ``paths`` is None); never raises on bad content.

    Addresses are compared with every post on disk, so a new post that would take an existing
    post's address is caught; a build of only some posts (the preview) compares just those.
    """
    catalogue = load_catalogue(project)
    collection = PostCollection(project=project, catalogue=catalogue)
    rules = ImageRules(project)
    avatar_problems, collection.avatars = check_avatars(project, catalogue.authors.values(), rules)
    catalogue.problems.extend(avatar_problems)
    today = today or dt.date.today()
    selected = list(paths) if paths is not None else project.post_files()
    every_post = project.post_files() if paths is not None and compare_with_all else selected
    # Posts read only to compare addresses are not reported on.
    wanted = {p.resolve() for p in selected} if every_post is not selected else None
    with cycle_collector_paused():
        # post_files() gives the paths in this order already.
        in_order = sorted({*selected, *every_post}, key=str) if paths is not None else selected
        for path in in_order:
            source = read_post(path, project.display(path))
            meta = check_meta(source, catalogue, today)
            if source.mapping is not None:
                source.mapping.release_nodes()
            post = Post(source=source, meta=meta)
            if wanted is None or path.resolve() in wanted:
                check_body(post, project, rules)
            if meta is not None:
                post.url = post_url(project, meta, path.stem)
            collection.posts.append(post)
    check_unique_urls(collection.posts)
    if wanted is not None:
        collection.posts = [p for p in collection.posts if p.source.path.resolve() in wanted]
    return collection
