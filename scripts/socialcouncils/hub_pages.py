"""Markdown for the pages generated from posts: council pages, tag pages and the home page's lists.

Links point at post source files (``../blog/posts/x.md``); the site engine turns them into the
posts' final addresses, so nothing here needs to know how addresses are made.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pymdownx.slugs import slugify

from .catalogue import Catalogue, Council
from .posts import Post, PostCollection

COUNCILS_DIR = "councils"
TAGS_DIR = "tags"
MARKER_RE = re.compile(r"^<!--\s*hub:([a-z-]+)(?:\s+(\d+))?\s*-->\s*$", re.MULTILINE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_slug = slugify(case="lower")


def escape(text: str) -> str:
    """Text shown as-is inside Markdown (titles may hold brackets, stars or underscores)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def tag_slug(tag: str) -> str:
    return _slug(tag, "-")


def long_date(value: dt.date) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    markdown: str


class HubPages:
    """Builds the generated pages and home-page sections from one post collection."""

    def __init__(
        self,
        collection: PostCollection,
        extra_sections: Mapping[str, Callable[[str], str]] | None = None,
    ) -> None:
        self.collection = collection
        # More ``<!-- hub:name -->`` sections, each rendered from the page's source path.
        self.extra_sections = dict(extra_sections or {})
        self.catalogue: Catalogue = collection.catalogue
        self.posts_root = posixpath.relpath(
            collection.project.posts_dir.as_posix(), collection.project.docs_dir.as_posix()
        )
        self.published = collection.published()

    # -- Links and cards ----------------------------------------------------------------------

    def post_src(self, post: Post) -> str:
        rel = post.source.path.relative_to(self.collection.project.docs_dir).as_posix()
        return rel

    @staticmethod
    def link(from_src: str, to_src: str) -> str:
        return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")

    def council_src(self, council_id: str) -> str:
        return f"{COUNCILS_DIR}/{council_id}.md"

    def card(self, post: Post, from_src: str, heading: str = "###") -> str:
        meta = post.meta
        assert meta is not None
        council = self.catalogue.councils.get(meta.council)
        council_text = (
            f"[{escape(council.name)}]({self.link(from_src, self.council_src(council.id))})"
            if council
            else escape(meta.council)
        )
        facts = " · ".join(
            [
                council_text,
                f'<time datetime="{meta.date.isoformat()}">{long_date(meta.date)}</time>',
                escape(meta.categories[0]),
            ]
        )
        return "\n".join(
            [
                '<article class="hub-card" markdown>',
                "",
                f"{heading} [{escape(meta.title)}]({self.link(from_src, self.post_src(post))})",
                "",
                f'<p class="hub-card__facts" markdown>{facts}</p>',
                "",
                escape(meta.description),
                "",
                "</article>",
            ]
        )

    def cards(self, posts: Iterable[Post], from_src: str, heading: str = "###") -> str:
        rendered = [self.card(p, from_src, heading) for p in posts]
        if not rendered:
            return "*No posts yet.*"
        return '<div class="hub-cards" markdown>\n\n' + "\n\n".join(rendered) + "\n\n</div>"

    # -- Generated pages ----------------------------------------------------------------------

    def posts_of_council(self, council_id: str) -> list[Post]:
        return [p for p in self.published if p.meta and p.meta.council == council_id]

    def council_page(self, council: Council) -> GeneratedPage:
        src = self.council_src(council.id)
        posts = self.posts_of_council(council.id)
        where = ", ".join(x for x in (council.region, council.nation) if x)
        count = f"{len(posts)} post" + ("" if len(posts) == 1 else "s")
        markdown = "\n".join(
            [
                "---",
                f"title: {_yaml_text(council.name)}",
                f"description: {_yaml_text(f'Guest posts and case studies from {council.name}.')}",
                f"council: {council.id}",
                "---",
                "",
                f"# {escape(council.name)}",
                "",
                f"{escape(where)}. [{escape(council.name)} website]({council.website}).",
                "",
                f"## Posts from {escape(council.short_name)} ({count})",
                "",
                self.cards(posts, src),
                "",
            ]
        )
        return GeneratedPage(src, markdown)

    def councils_index(self) -> GeneratedPage:
        src = f"{COUNCILS_DIR}/index.md"
        return GeneratedPage(
            src,
            "\n".join(
                [
                    "---",
                    "title: Councils",
                    "description: Every council that has written for Social Councils, with its posts.",
                    "---",
                    "",
                    "# Councils",
                    "",
                    "Posts on Social Councils come from officers at these councils.",
                    "",
                    self.council_list(src),
                    "",
                ]
            ),
        )

    def council_list(self, from_src: str) -> str:
        lines = []
        for council in sorted(self.catalogue.councils.values(), key=lambda c: c.name):
            count = len(self.posts_of_council(council.id))
            noun = "post" if count == 1 else "posts"
            where = ", ".join(x for x in (council.region, council.nation) if x)
            lines.append(
                f"- [{escape(council.name)}]({self.link(from_src, self.council_src(council.id))})"
                f" ({escape(where)}): {count} {noun}"
            )
        return "\n".join(lines)

    def tag_page(self, tag: str, description: str) -> GeneratedPage:
        src = f"{TAGS_DIR}/{tag_slug(tag)}.md"
        markdown = "\n".join(
            [
                "---",
                f"title: {_yaml_text(f'Posts tagged {tag}')}",
                f"description: {_yaml_text(description or f'Posts tagged {tag}.')}",
                "---",
                "",
                f"# Posts tagged “{escape(tag)}”",
                "",
                escape(description),
                "",
                f"<!-- material/tags {{ include: [{_yaml_text(tag)}] }} -->",
                "",
                f"[All tags]({self.link(src, f'{TAGS_DIR}/index.md')})",
                "",
            ]
        )
        return GeneratedPage(src, markdown)

    def generated_pages(self) -> list[GeneratedPage]:
        pages = [self.councils_index()]
        pages += [self.council_page(c) for c in self.catalogue.councils.values()]
        used_tags = {t for p in self.published if p.meta for t in p.meta.tags}
        pages += [
            self.tag_page(tag, text)
            for tag, text in self.catalogue.tags.items()
            if tag in used_tags
        ]
        return pages

    # -- Post pages ---------------------------------------------------------------------------

    def post_for(self, src_uri: str) -> Post | None:
        if not hasattr(self, "_by_src"):
            self._by_src = {self.post_src(p): p for p in self.collection.posts if p.meta}
        return self._by_src.get(src_uri)

    def byline(self, post: Post) -> str:
        """Who wrote a post, for which council, when and in which category, under its title."""
        meta = post.meta
        assert meta is not None
        src = self.post_src(post)
        blog = self.collection.project.blog_dir
        people = []
        for author_id in meta.authors:
            author = self.catalogue.authors.get(author_id)
            if author is None:
                continue
            person = f"[{escape(author.name)}]({self.link(src, f'{blog}/author/{author.id}.md')})"
            people.append(f"{person}, {escape(author.role)}" if author.role else person)
        council = self.catalogue.councils.get(meta.council)
        category = meta.categories[0]
        category_src = f"{blog}/category/{_slug(category, '-')}.md"
        facts = [
            "By " + "; ".join(people),
            f"[{escape(council.name)}]({self.link(src, self.council_src(council.id))})"
            if council
            else "",
            f'<time datetime="{meta.date.isoformat()}">{long_date(meta.date)}</time>',
            f"[{escape(category)}]({self.link(src, category_src)})",
        ]
        return '<p class="hub-byline" markdown>' + " · ".join(f for f in facts if f) + "</p>"

    # -- Home-page sections -------------------------------------------------------------------

    def section(self, name: str, count: int | None, from_src: str) -> str | None:
        renderers: dict[str, Callable[[], str]] = {
            "latest-posts": lambda: self.cards(self.published[: count or 5], from_src),
            "case-studies": lambda: self.cards(
                [p for p in self.published if p.meta and "Case studies" in p.meta.categories][
                    : count or 6
                ],
                from_src,
            ),
            "councils": lambda: self.council_list(from_src),
            "tags": lambda: self.tag_list(from_src),
        }
        render = renderers.get(name)
        if render is None and name in self.extra_sections:
            return self.extra_sections[name](from_src)
        return render() if render else None

    def tag_list(self, from_src: str) -> str:
        counts: dict[str, int] = {}
        for post in self.published:
            for tag in post.meta.tags if post.meta else []:
                counts[tag] = counts.get(tag, 0) + 1
        return "\n".join(
            f"- [{escape(tag)}]({self.link(from_src, f'{TAGS_DIR}/{tag_slug(tag)}.md')}) ({n})"
            for tag, n in sorted(counts.items())
        )

    def fill_markers(self, markdown: str, from_src: str) -> str:
        def replace(match: re.Match[str]) -> str:
            count = int(match.group(2)) if match.group(2) else None
            rendered = self.section(match.group(1), count, from_src)
            return match.group(0) if rendered is None else rendered

        return MARKER_RE.sub(replace, markdown)


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
