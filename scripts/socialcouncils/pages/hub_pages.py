"""The pages and page parts generated from posts: council pages, tag pages, the home page's lists
and each post's byline.

Generated pages are Markdown skeletons holding ``<!-- hub:NAME ARG -->`` markers. Most markers, and
the byline, are filled with HTML in the rendered page, once the site engine knows every page's
address: the engine passes an ``href`` function that turns a source path (``blog/posts/x.md``)
into a link relative to the page being rendered. Plain HTML, put in after the Markdown is
rendered, keeps long lists cheap: a council's page lists hundreds of posts. The lists go in after
the page has been indexed for search, too: each post is found on its own page, not again on
every page that lists it. The sections other modules write in Markdown (``extra_sections``) are
filled in before it is rendered.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from socialcouncils.content.addresses import COUNCILS_DIR, TAGS_DIR, slug
from socialcouncils.content.catalogue import Author, Catalogue, Council, web_address
from socialcouncils.content.plain_text import markdown_text
from socialcouncils.content.posts import Post, PostCollection
from socialcouncils.content.reading_time import reading_minutes
from socialcouncils.pages.related import RelatedPosts
from socialcouncils.policy.markup_policy import local_address

MARKER_RE = re.compile(r"^<!--\s*hub:([a-z-]+)(?:\s+([^\s>]+))?\s*-->\s*$", re.MULTILINE)
_STARTS_WITH_H1 = re.compile(r"\s*#(?!#)\s*\S")

Href = Callable[[str], str]


def long_date(value: dt.date) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    return f"{day.day} {day:%B %Y}"


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_title(html: str) -> tuple[str, str]:
    """A rendered post's title heading (``<h1>...</h1>``, or "" if none) and the rest."""
    end = html.find("</h1>")
    cut = end + len("</h1>") if end >= 0 else 0
    return html[:cut], html[cut:]


def _link(href: str, text: str, label: str | None = None) -> str:
    """A link; ``label`` is its name for screen readers where ``text`` alone is not enough."""
    named = f' aria-label="{escape(label)}"' if label else ""
    return f'<a href="{escape(href)}"{named}>{escape(text)}</a>'


def _fill_markers(text: str, render: Callable[[str, str | None], str | None]) -> str:
    """``text`` with each marker that ``render(name, arg)`` renders replaced by what it gives."""

    def replace(match: re.Match[str]) -> str:
        rendered = render(match.group(1), match.group(2))
        return match.group(0) if rendered is None else rendered

    return MARKER_RE.sub(replace, text)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _says(text: str, phrase: str) -> bool:
    """Whether ``text`` already says ``phrase``: its words, in order, somewhere in ``text``'s
    (case aside): "A Leeds City Council officer" says "Leeds City Council" and "Council officer"."""
    words, within = _words(phrase), _words(text)
    return bool(words) and any(
        within[i : i + len(words)] == words for i in range(len(within) - len(words) + 1)
    )


def _unlisted(posts: list[Post], listed: set[int], count: int) -> list[Post]:
    """The first ``count`` of ``posts`` not yet in ``listed`` (posts by ``id``), now added to it."""
    chosen = [p for p in posts if id(p) not in listed][:count]
    listed.update(id(p) for p in chosen)
    return chosen


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    markdown: str


class HubPages:
    """Builds the generated pages and page parts from one post collection."""

    def __init__(
        self,
        collection: PostCollection,
        extra_sections: Mapping[str, Callable[[], str]] | None = None,
    ) -> None:
        self.collection = collection
        # More ``<!-- hub:NAME -->`` sections, each rendered as Markdown by another module.
        self.extra_sections = dict(extra_sections or {})
        self.catalogue: Catalogue = collection.catalogue
        self.blog = collection.project.blog_dir
        self.published = collection.published()
        # Tags get a page only when a published post uses them, and the tags file has them.
        known = self.catalogue.tags
        self.used_tags = {t for p in self.published if p.meta for t in p.meta.tags if t in known}
        self.tag_of_slug = {slug(t): t for t in self.used_tags}
        self.related = RelatedPosts(self.published)
        docs = collection.project.docs_dir
        self.by_src = {
            p.source.path.relative_to(docs).as_posix(): p for p in collection.posts if p.meta
        }
        self.src_of = {id(p): src for src, p in self.by_src.items()}

    # -- Addresses ----------------------------------------------------------------------------

    def post_src(self, post: Post) -> str:
        return self.src_of[id(post)]

    @staticmethod
    def council_src(council_id: str) -> str:
        return f"{COUNCILS_DIR}/{council_id}.md"

    def author_src(self, author_id: str) -> str:
        return f"{self.blog}/author/{author_id}.md"

    def category_src(self, category: str) -> str:
        return f"{self.blog}/category/{slug(category)}.md"

    @staticmethod
    def tag_src(tag: str) -> str:
        return f"{TAGS_DIR}/{slug(tag)}.md"

    def post_for(self, src_uri: str) -> Post | None:
        return self.by_src.get(src_uri)

    def posts_of_council(self, council_id: str) -> list[Post]:
        return [p for p in self.published if p.meta and p.meta.council == council_id]

    def posts_of_tag(self, tag: str) -> list[Post]:
        return [p for p in self.published if p.meta and tag in p.meta.tags]

    # -- Page parts (HTML) --------------------------------------------------------------------

    def council_link(self, council_id: str, href: Href) -> str:
        council = self.catalogue.councils.get(council_id)
        if council is None:
            return escape(council_id)
        return _link(href(self.council_src(council.id)), council.name)

    @staticmethod
    def time(value: dt.date) -> str:
        return f'<time datetime="{value.isoformat()}">{long_date(value)}</time>'

    def card(self, post: Post, href: Href) -> str:
        meta = post.meta
        assert meta is not None
        facts = " · ".join(
            [
                self.council_link(meta.council, href),
                self.time(meta.date),
                escape(meta.categories[0]),
            ]
        )
        return (
            '<article class="hub-card">'
            f"<h3>{_link(href(self.post_src(post)), meta.title)}</h3>"
            f'<p class="hub-card__facts">{facts}</p>'
            f"<p>{escape(meta.description)}</p>"
            "</article>"
        )

    def cards(
        self, posts: list[Post], href: Href, empty: str = "<p><em>No posts yet.</em></p>"
    ) -> str:
        if not posts:
            return empty
        return '<div class="hub-cards">' + "".join(self.card(p, href) for p in posts) + "</div>"

    def tag_link(self, tag: str, href: Href) -> str:
        """A tag, linked to its page when it has one (only tags of published posts do)."""
        if tag not in self.used_tags:
            return escape(tag)
        # Named as the page it leads to: a tag "blog" is not the Blog.
        return _link(href(self.tag_src(tag)), tag, label=f"Posts tagged {tag}")

    def reading_minutes(self, post: Post) -> int:
        """The post's reading time: its front matter's ``readtime``, or estimated from its text."""
        assert post.meta is not None
        pace = self.collection.project.hub.reading_words_per_minute
        return post.meta.readtime or reading_minutes(post.source.body, pace)

    def who(self, post: Post, href: Href) -> str:
        """Who wrote a post, as a sentence: "By Helen Reynolds, Social media officer, Monmouthshire
        County Council". A role or council that an author's name already says is not said again
        ("By A Monmouthshire County Council officer")."""
        meta = post.meta
        assert meta is not None
        council = self.catalogue.councils.get(meta.council)
        people = []
        said = ""
        for author_id in meta.authors:
            author = self.catalogue.authors.get(author_id)
            if author is None:
                continue
            person = _link(href(self.author_src(author.id)), author.name)
            said += f" {author.name}"
            if author.role and not _says(author.name, author.role):
                person += f", {escape(author.role)}"
                said += f" {author.role}"
            people.append(person)
        names = [council.name, council.short_name] if council else [meta.council]
        where = [] if any(_says(said, name) for name in names if name) else [meta.council]
        parts = (["By " + "; ".join(people)] if people else []) + [
            self.council_link(c, href) for c in where
        ]
        return ", ".join(parts)

    def byline(self, post: Post, href: Href) -> str:
        """Under a post's title: who wrote it (with their role) for which council; when, how long
        it takes to read and its category; and its tags. It is part of the page's text, so search
        finds posts by all of these."""
        meta = post.meta
        assert meta is not None
        category = meta.categories[0]
        when = [
            self.time(meta.date),
            *([f"Updated {self.time(meta.updated)}"] if meta.updated else []),
            f"{self.reading_minutes(post)} minute read",
            _link(href(self.category_src(category)), category),
        ]
        tags = ", ".join(self.tag_link(tag, href) for tag in meta.tags)
        return (
            '<div class="hub-byline">'
            f'<p class="hub-byline__who">{self.who(post, href)}</p>'
            f'<p class="hub-byline__when">{" · ".join(when)}</p>'
            + (f'<p class="hub-byline__tags">Tags: {tags}</p>' if tags else "")
            + self.first_published(post)
            + "</div>"
        )

    def first_published(self, post: Post) -> str:
        """Where a post first appeared, linked, and when (``original_url``, ``original_site``)."""
        meta = post.meta
        if meta is None or not meta.original_url or not web_address(meta.original_url):
            return ""
        site = meta.original_site or urlsplit(meta.original_url).hostname or meta.original_url
        return (
            f'<p class="hub-byline__original">First published on'
            f" {_link(meta.original_url, site)} ({long_date(meta.date)})</p>"
        )

    def lead_picture(self, post: Post, href: Href) -> str:
        """The front matter's picture at the top of the post, with its credit under it."""
        meta = post.meta
        if meta is None or not meta.image or not (post.source.path.parent / meta.image).is_file():
            return ""
        src = posixpath.normpath(posixpath.join(posixpath.dirname(self.post_src(post)), meta.image))
        credit = (
            f"<figcaption>{escape(meta.image_credit)}</figcaption>" if meta.image_credit else ""
        )
        return (
            '<figure class="hub-lead-picture">'
            f'<img src="{escape(href(src))}" alt="{escape(meta.image_alt or "")}">{credit}'
            "</figure>"
        )

    def related_section(self, post: Post, href: Href) -> str:
        """The end of a post: up to ``related_posts`` related posts as cards, or nothing.

        It belongs after the page has been indexed for search, so that a search for one post's
        council or tags does not also find every post that merely lists it as related (and the
        search index does not read three more cards on every post)."""
        limit = self.collection.project.hub.related_posts
        related = [r.post for r in self.related.of(post, limit)]
        if not related:
            return ""
        return '<h2 id="related-posts" class="hub-related">Related posts</h2>' + self.cards(
            related, href
        )

    def post_html(self, post: Post, html: str, href: Href) -> str:
        """A post's rendered page with the byline under its title. The body is marked, so that
        the site check can hold it to the markup policy."""
        title, body = split_title(html)
        lead = self.lead_picture(post, href)
        return title + self.byline(post, href) + lead + f'<div class="hub-post-body">{body}</div>'

    @staticmethod
    def post_markdown(post: Post, markdown: str) -> str:
        """A post's Markdown with its title as the first heading (unless it starts with one).

        The theme's "Skip to content" link goes to a page's first heading; with the title written
        as that heading, the link lands on the title rather than on a later section.
        """
        if post.meta is None or _STARTS_WITH_H1.match(markdown):
            return markdown
        return f"# {markdown_text(post.meta.title)}\n\n{markdown}"

    def avatar_src(self, author: Author) -> str | None:
        """An author's picture as its path under docs/, when it is a file of this site."""
        if not author.avatar or not local_address(author.avatar):
            return None
        docs = self.collection.project.docs_dir
        path = docs / author.avatar
        if not path.resolve().is_relative_to(docs.resolve()) or not path.is_file():
            return None
        return posixpath.normpath(author.avatar)

    def author_about(self, author_id: str, href: Href) -> str:
        """Under an author's name on their page: their picture, their role and council, and what
        the authors file says of them (unless it only says their role and council again)."""
        author = self.catalogue.authors.get(author_id)
        if author is None:
            return ""
        avatar = self.avatar_src(author)
        picture = (
            f'<img class="hub-author__avatar" src="{escape(href(avatar))}" alt="">'
            if avatar
            else ""
        )
        council = self.catalogue.councils.get(author.council)
        role = ", ".join(
            [escape(author.role)] * bool(author.role)
            + [self.council_link(author.council, href)] * bool(author.council)
        )
        said = f"{author.role} {council.name if council else author.council}"
        about = author.description if not _says(said, author.description) else ""
        return (
            '<div class="hub-author">'
            + picture
            + (f'<p class="hub-author__role">{role}</p>' if role else "")
            + (f'<p class="hub-author__about">{escape(about)}</p>' if about else "")
            + "</div>"
        )

    def council_about(self, council_id: str) -> str:
        """Where a council is, and a link to its own website."""
        council = self.catalogue.councils.get(council_id)
        if council is None:
            return ""
        where = ", ".join(x for x in (council.region, council.nation) if x)
        if not council.website:
            return f"<p>{escape(where)}.</p>"
        return f"<p>{escape(where)}. {_link(council.website, council.name + ' website')}.</p>"

    def council_list(self, href: Href) -> str:
        items = []
        for council in sorted(self.catalogue.councils.values(), key=lambda c: c.name):
            count = len(self.posts_of_council(council.id))
            noun = "post" if count == 1 else "posts"
            where = ", ".join(x for x in (council.region, council.nation) if x)
            items.append(
                f"<li>{_link(href(self.council_src(council.id)), council.name)}"
                f" ({escape(where)}): {count} {noun}</li>"
            )
        return "<ul>" + "".join(items) + "</ul>"

    def tag_list(self, href: Href) -> str:
        counts: dict[str, int] = {}
        for post in self.published:
            for tag in post.meta.tags if post.meta else []:
                counts[tag] = counts.get(tag, 0) + 1
        return (
            "<ul>"
            + "".join(
                f"<li>{self.tag_link(tag, href)} ({n})</li>" for tag, n in sorted(counts.items())
            )
            + "</ul>"
        )

    def category_list(self, href: Href) -> str:
        """Each category that has posts, with its description from ``extra.hub.categories``."""
        descriptions = self.collection.project.hub.categories
        items = []
        for category in self.catalogue.categories:
            count = sum(1 for p in self.published if p.meta and category in p.meta.categories)
            if not count:
                continue
            about = descriptions.get(category, "")
            noun = "post" if count == 1 else "posts"
            items.append(
                f"<li>{_link(href(self.category_src(category)), category)} ({count} {noun})"
                + (f": {escape(about)}" if about else "")
                + "</li>"
            )
        return "<ul>" + "".join(items) + "</ul>"

    def case_studies(self, count: int, shown: set[int], href: Href) -> str:
        """The newest case studies that the page has not listed yet; when an earlier list on the
        page holds them all, a link to every case study instead."""
        category = "Case studies"
        posts = [p for p in self.published if p.meta and category in p.meta.categories]
        chosen = _unlisted(posts, shown, count)
        if chosen or not posts:
            return self.cards(chosen, href)
        every = _link(href(self.category_src(category)), "all case studies")
        return f"<p>The newest case studies are among the posts above; see {every}.</p>"

    def section(
        self, name: str, arg: str | None, href: Href, shown: set[int] | None = None
    ) -> str | None:
        """The HTML for one ``<!-- hub:NAME ARG -->`` marker, or None for a name that is not an
        HTML section. ``shown`` holds the posts that earlier lists on the page have listed: a list
        of newest posts leaves them out, so that no post is listed twice on one page, and adds
        the ones it lists."""
        count = int(arg) if arg and arg.isdigit() else None
        listed = set() if shown is None else shown
        renderers: dict[str, Callable[[], str]] = {
            "latest-posts": lambda: self.cards(_unlisted(self.published, listed, count or 5), href),
            "case-studies": lambda: self.case_studies(count or 6, listed, href),
            "council-posts": lambda: self.cards(self.posts_of_council(arg or ""), href),
            "tag-posts": lambda: self.cards(
                self.posts_of_tag(self.tag_of_slug.get(arg or "", "")), href
            ),
            "councils": lambda: self.council_list(href),
            "council-about": lambda: self.council_about(arg or ""),
            "categories": lambda: self.category_list(href),
            "tags": lambda: self.tag_list(href),
        }
        render = renderers.get(name)
        return render() if render else None

    def fill_markdown_sections(self, markdown: str) -> str:
        """A page's Markdown with the markers of the Markdown sections (``extra_sections``)
        filled; the others are left for ``fill_html_sections``."""

        def render(name: str, arg: str | None) -> str | None:
            section = self.extra_sections.get(name)
            return section() if section else None

        return _fill_markers(markdown, render)

    def fill_html_sections(self, html: str, href: Href) -> str:
        """A rendered page with the markers of the HTML sections filled, in the page's order."""
        shown: set[int] = set()
        return _fill_markers(html, lambda name, arg: self.section(name, arg, href, shown))

    # -- Generated pages (Markdown skeletons) -------------------------------------------------

    def council_page(self, council: Council) -> GeneratedPage:
        count = len(self.posts_of_council(council.id))
        posts = f"{count} post" + ("" if count == 1 else "s")
        markdown = "\n".join(
            [
                "---",
                f"title: {_yaml_text(council.name)}",
                f"description: {_yaml_text(f'Guest posts and case studies from {council.name}.')}",
                f"council: {council.id}",
                "---",
                "",
                f"# {markdown_text(council.name)}",
                "",
                f"<!-- hub:council-about {council.id} -->",
                "",
                f"## Posts from {markdown_text(council.short_name)} ({posts})",
                "",
                f"<!-- hub:council-posts {council.id} -->",
                "",
            ]
        )
        return GeneratedPage(self.council_src(council.id), markdown)

    def councils_index(self) -> GeneratedPage:
        return GeneratedPage(
            f"{COUNCILS_DIR}/index.md",
            "\n".join(
                [
                    "---",
                    "title: Councils",
                    "description: Every council that writes for Social Councils, with its posts.",
                    "---",
                    "",
                    "# Councils",
                    "",
                    "Posts on Social Councils come from officers at these councils.",
                    "",
                    "<!-- hub:councils -->",
                    "",
                ]
            ),
        )

    def tag_page(self, tag: str, description: str) -> GeneratedPage:
        src = self.tag_src(tag)
        index = posixpath.relpath(f"{TAGS_DIR}/index.md", posixpath.dirname(src))
        count = len(self.posts_of_tag(tag))
        markdown = "\n".join(
            [
                "---",
                f"title: {_yaml_text(f'Posts tagged {tag}')}",
                f"description: {_yaml_text(description or f'Posts tagged {tag}.')}",
                "---",
                "",
                f"# Posts tagged “{markdown_text(tag)}”",
                "",
                markdown_text(description),
                "",
                # A heading over the cards, whose titles are one level below it (h3).
                f"## {count} post" + ("" if count == 1 else "s"),
                "",
                f"<!-- hub:tag-posts {slug(tag)} -->",
                "",
                f"[All tags]({index})",
                "",
            ]
        )
        return GeneratedPage(src, markdown)

    def generated_pages(self) -> list[GeneratedPage]:
        pages = [self.councils_index()]
        pages += [self.council_page(c) for c in self.catalogue.councils.values()]
        pages += [
            self.tag_page(tag, text)
            for tag, text in self.catalogue.tags.items()
            if tag in self.used_tags
        ]
        return pages
