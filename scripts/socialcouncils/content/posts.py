"""Every post read and checked at once, with the problems that span posts (two posts, one URL)."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from socialcouncils.content.addresses import slug
from socialcouncils.content.catalogue import Catalogue, load_catalogue
from socialcouncils.content.images import (
    ImageRef,
    ImageRules,
    check_avatars,
    check_post_images,
    unused_picture_problems,
)
from socialcouncils.content.markdown_render import MarkdownSettings
from socialcouncils.content.markup import describe, is_image_address
from socialcouncils.content.post_rules import check_meta
from socialcouncils.content.rendered_body import (
    BETWEEN_BLOCKS,
    INSIDE_A_BLOCK,
    BodyReader,
    BodyReading,
    ReadingCache,
)
from socialcouncils.content.responses import ArchivedResponses, orphaned_files, read_post_responses
from socialcouncils.content.schema import PostMeta
from socialcouncils.policy.markup_policy import MarkupPolicy
from socialcouncils.problems import Problem
from socialcouncils.source.docs_files import linked_files, unsafe_file_problems, unsafe_files
from socialcouncils.source.front_matter import PostSource, read_page, read_post
from socialcouncils.source.project import Project


@functools.cache
def _category_slug(category: str) -> str:
    return slug(category)


# What each code raised here, across posts or in a post's body, means (the guide's table).
POSTS_CODES: dict[str, str] = {
    "PM011": "two posts would have the same address",
    "PM018": "no <!-- more --> line to end the part shown in lists and feeds",
    "PM019": "the <!-- more --> line is inside a list, quote, table or note",
}

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
        "FM009",
        "PM001",
        "PM003",
        "PM005",
        "PM007",
        "PM009",
        # A slug that is not lowercase words: the address it makes could be another page's.
        "PM017",
        # No excerpt mark: the blog engine requires one in every post.
        "PM018",
    }
)


@dataclass(slots=True)
class Post:
    source: PostSource
    meta: PostMeta | None = None
    url: str | None = None
    images: list[ImageRef] = field(default_factory=list)
    # Its readers' responses on the blog it first appeared on (``<stem>.responses.yml``).
    responses: ArchivedResponses | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.source.problems

    @property
    def readable_by_engine(self) -> bool:
        if self.source.engine_blocked:
            return False
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
    # The site's other Markdown pages, checked for their markup and pictures.
    pages: list[PostSource] = field(default_factory=list)
    # Files under docs/ that must not be built: scripts, web pages, unsafe unused pictures.
    unpublishable: list[Path] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        """Every problem once: a problem found twice in the same place is one problem."""
        found = set(self.catalogue.problems)
        for post in self.posts:
            found.update(post.problems)
            if post.responses is not None:
                found.update(post.responses.problems)
        for page in self.pages:
            found.update(page.problems)
        return sorted(found)

    def sources_by_url(self) -> dict[str, str]:
        """Each post's address (relative to the site root) -> its file as shown in messages."""
        return {p.url: p.source.shown for p in self.posts if p.url is not None}

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
        slug=meta.slug or slug(meta.title),
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


@dataclass
class BodyChecks:
    """What checks post bodies in one run: the site's Markdown and markup policy, the picture
    rules, and the readings kept from earlier runs."""

    project: Project
    rules: ImageRules
    reader: BodyReader
    cache: ReadingCache

    @classmethod
    def for_project(cls, project: Project) -> BodyChecks:
        policy = MarkupPolicy(project.hub.embed_hosts)
        settings = MarkdownSettings.from_config(project.markdown_extensions)
        reader = BodyReader(settings, policy, project.excerpt_mark)
        return cls(project, ImageRules(project), reader, ReadingCache(project.reading_cache))

    def check(self, post: Post) -> None:
        """The post's pictures and markup, as the site renders its body, and its excerpt."""
        reading = self.check_source(post.source)
        if reading is not None:
            post.images = self.images(post.source, reading)
            check_excerpt_mark(post.source, reading, self.reader.excerpt_mark)

    def check_source(self, source: PostSource) -> BodyReading | None:
        """A post's or page's markup; its reading, for the rest of its checks."""
        if not source.body_found:
            return None
        reading = self.cache.reading(source.shown, source.body, source.body_line, self.reader)
        hosts = self.reader.policy.embed_hosts
        for finding in reading.markup:
            if not is_image_address(finding.change):
                source.add(finding.spot.line, finding.spot.col, *describe(finding.change, hosts))
        return reading

    def images(self, source: PostSource, reading: BodyReading) -> list[ImageRef]:
        return check_post_images(source, reading, self.rules)


def check_excerpt_mark(source: PostSource, reading: BodyReading, mark: str) -> None:
    """Every post has its excerpt mark between two blocks: the blog cuts the excerpt shown in
    lists there."""
    if mark not in source.body:
        source.add(
            source.body_line,
            1,
            "PM018",
            f"the post has no {mark} line, which ends the part shown in lists and feeds",
            f"put a line with just {mark} after your first paragraph, with a blank line above and below it",
        )
    elif reading.excerpt_mark != BETWEEN_BLOCKS:
        where = "inside another block" if reading.excerpt_mark == INSIDE_A_BLOCK else "in code"
        source.add(
            reading.excerpt_spot.line,
            reading.excerpt_spot.col,
            "PM019",
            f"the {mark} line is {where}, so the part shown in lists would be cut off in the middle of it",
            f"move {mark} to a line of its own after your first paragraph, with a blank line above and below it",
        )


def collect_posts(
    project: Project,
    paths: Iterable[Path] | None = None,
    today: dt.date | None = None,
    compare_with_all: bool = True,
    pages: bool | None = None,
) -> PostCollection:
    """Read and check posts (all of them when ``paths`` is None); never raises on bad content.

    Addresses are compared with every post on disk, so a new post that would take an existing
    post's address is caught; a build of only some posts (the preview) compares just those.
    The site's other pages are checked too (``pages``; by default when every post is).
    """
    catalogue = load_catalogue(project)
    collection = PostCollection(project=project, catalogue=catalogue)
    bodies = BodyChecks.for_project(project)
    rules = bodies.rules
    avatar_problems, collection.avatars = check_avatars(project, catalogue.authors.values(), rules)
    catalogue.problems.extend(avatar_problems)
    catalogue.problems.extend(linked_files(project))
    catalogue.problems.extend(project.settings_problems)
    catalogue.problems.extend(orphaned_files(project.posts_dir, project.display))
    today = today or dt.date.today()
    selected = list(paths) if paths is not None else project.post_files()
    every_post = project.post_files() if paths is not None and compare_with_all else selected
    # Posts read only to compare addresses are not reported on.
    wanted = {p.resolve() for p in selected} if every_post is not selected else None
    # post_files() gives the paths in this order already.
    in_order = sorted({*selected, *every_post}, key=str) if paths is not None else selected
    for path in in_order:
        source = read_post(path, project.display(path))
        meta = check_meta(source, catalogue, today)
        if source.mapping is not None:
            source.mapping.release_nodes()
        post = Post(source=source, meta=meta)
        if wanted is None or path.resolve() in wanted:
            bodies.check(post)
            post.responses = read_post_responses(path, project, today, bodies.reader, bodies.cache)
        if meta is not None:
            post.url = post_url(project, meta, path.stem)
        collection.posts.append(post)
    if pages if pages is not None else paths is None:
        for path in project.page_files():
            page = read_page(path, project.display(path))
            reading = bodies.check_source(page)
            if reading is not None:
                bodies.images(page, reading)
            collection.pages.append(page)
    bodies.cache.save()
    if paths is None or pages:
        unsafe = unsafe_files(project)
        catalogue.problems.extend(unsafe_file_problems(project, unsafe))
        collection.unpublishable = unsafe
        # A picture is unused only if no post uses it: known once every post has been read.
        if {p.resolve() for p in selected} >= {p.resolve() for p in project.post_files()}:
            picture_problems, unsafe_pictures = unused_picture_problems(rules, project.docs_dir)
            catalogue.problems.extend(picture_problems)
            collection.unpublishable += unsafe_pictures
    check_unique_urls(collection.posts)
    if wanted is not None:
        collection.posts = [p for p in collection.posts if p.source.path.resolve() in wanted]
    return collection
