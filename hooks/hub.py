"""Connects the hub's engine-independent core (scripts/socialcouncils) to MkDocs.

Each event hands its work to the core and returns early when a page is not its business.
Content problems are logged as warnings, so ``mkdocs build --strict`` fails on them; a build
that is not strict still writes only what the markup policy allows.
"""

from __future__ import annotations

import html
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markdown import Markdown
from material.plugins.blog.structure import Profile
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from socialcouncils.commands.build_step import hub_pages
from socialcouncils.content.catalogue import Catalogue, load_catalogue
from socialcouncils.content.excerpts import AuthorsExcerpts
from socialcouncils.content.markdown_render import MarkdownSettings, SanitizedOutput, hub_extensions
from socialcouncils.content.plain_text import SLUG_RE, for_templates, markdown_text, nfc
from socialcouncils.content.posts import PostCollection, collect_posts
from socialcouncils.content.responses import responses_file
from socialcouncils.engine.page_scanner import PAGES_PER_WORKER, PageScanner, PagesRead
from socialcouncils.engine.templates import CompactTemplates, compiled_templates
from socialcouncils.feeds.hub_feeds import HubFeeds
from socialcouncils.pages.hub_pages import HubPages, split_title
from socialcouncils.pages.notices import (
    PROBLEMS_MARKER,
    PROBLEMS_PAGE,
    page_notice,
    problems_list,
    problems_page,
)
from socialcouncils.pages.responses_html import ResponsesSection
from socialcouncils.pages.share_cards import ShareCards, ShareTags
from socialcouncils.policy.markup_policy import MarkupPolicy, local_address
from socialcouncils.problems import Problem
from socialcouncils.site.after_build import check_built_site, finish_outputs
from socialcouncils.site.slim import trim_site_stylesheets
from socialcouncils.source.docs_files import links_under, under_a_link
from socialcouncils.source.engine_settings import read_engine_settings
from socialcouncils.source.project import load_project

log = logging.getLogger("mkdocs.hooks.hub")

# Page settings the theme prints as HTML: the build hands them over as escaped text.
TEXT_SETTINGS = ("title", "description")
ESCAPED_MARK = "hub_settings_escaped"
# What an author that cannot be shown as given gets instead: the theme's picture of a person.
DEFAULT_AVATAR = "assets/images/avatar.svg"


@dataclass
class BuildState:
    """What the hook knows about one build, made fresh for each (``on_config``): a live preview
    builds again on every save, and nothing of the last build may leak into the next."""

    # Whether this is a live preview (``mkdocs serve``), which shows the check's problems on its
    # pages (socialcouncils.pages.notices).
    serving: bool = False
    # The problems the check found in the files of this build.
    problems: list[Problem] = field(default_factory=list)
    pages: HubPages | None = None
    feeds: HubFeeds | None = None
    # The share cards and tags of this build's pages (socialcouncils.pages.share_cards).
    cards: ShareCards | None = None
    policy: MarkupPolicy | None = None
    # Renders each post's archived responses (socialcouncils.pages.responses_html).
    responses: ResponsesSection | None = None
    # Each post's HTML body by its full address, for the feeds' full-text items.
    post_bodies: dict[str, str] = field(default_factory=dict)
    files: Files | None = None
    # Reads each built page for the steps after the build while the next pages render.
    scanner: PageScanner | None = None
    # Seconds this build has spent checking: reading and checking the posts, and the built site.
    check_seconds: float = 0.0
    # The pictures the check reported (page, address): the engine's warning about them is left out.
    reported_pictures: set[tuple[str, str]] = field(default_factory=set)

    @contextmanager
    def checking(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.check_seconds += time.perf_counter() - started

    def stop_scanner(self) -> None:
        if self.scanner is not None:
            self.scanner.close()
            self.scanner = None


_state = BuildState()


class _ReportedPictures(logging.Filter):
    """Leaves out the engine's warning of a missing picture file that the check has reported
    at the line it is written on: one problem is said once."""

    MESSAGE = re.compile(r"^Doc file '(.+?)' contains a link '(.+?)', but the target")

    def filter(self, record: logging.LogRecord) -> bool:
        match = self.MESSAGE.match(record.getMessage())
        return match is None or (match[1], match[2]) not in _state.reported_pictures


logging.getLogger("mkdocs.structure.pages").addFilter(_ReportedPictures())


# Whether this process serves a live preview: set once, at start-up, for all its builds.
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


@event_priority(100)  # before the blog plugin reads the authors file
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Give every page's Markdown the hub's extensions, its sanitizer last, and excerpts without
    an opening editors' note (socialcouncils.content.excerpts); turn the blog's authors off when their
    file cannot be read safely (the check reports why)."""
    global _state
    _state.stop_scanner()
    _state = BuildState(serving=_serving)
    project = load_project(Path(config.config_file_path))
    _state.policy = MarkupPolicy(project.hub.embed_hosts)
    _leave_out_unsafe_engine_settings(config)
    blog = config.plugins.get("material/blog")
    separator = blog.config.post_excerpt_separator if blog is not None else None

    def excerpt_of(md: Markdown) -> str | None:
        """The blog's excerpts are rendered by converters with its "excerpt" step."""
        return separator if "excerpt" in md.treeprocessors else None

    config.markdown_extensions.extend(
        [*hub_extensions(), AuthorsExcerpts(excerpt_of), SanitizedOutput(_state.policy, excerpt_of)]
    )
    config.site_name = for_templates(config.site_name)
    if config.site_description:
        config.site_description = for_templates(config.site_description)
    if config.copyright:
        config.copyright = _state.policy.sanitize(config.copyright)
    if blog is not None and not load_catalogue(project).authors_readable:
        blog.config.authors = False
        blog.config.authors_profiles = False
    return config


def _leave_out_unsafe_engine_settings(config: MkDocsConfig) -> None:
    """What the check refuses of the engine's settings is not built (the check reports it at its
    line; socialcouncils.source.engine_settings)."""
    raw = {
        "site_url": config.site_url,
        "markdown_extensions": list(config.markdown_extensions),
        "plugins": [
            {"redirects": {"redirect_maps": dict(plugin.config.get("redirect_maps") or {})}}
            for name, plugin in config.plugins.items()
            if name == "redirects"
        ],
    }
    engine = read_engine_settings(raw, Path(config.config_file_path), "mkdocs.yml")
    if not engine.site_url_ok:
        config.site_url = None
    for name in engine.extensions_left_out:
        config.markdown_extensions.remove(name)
        config.mdx_configs.pop(name, None)
    redirects = config.plugins.get("redirects")
    if redirects is not None:
        maps = redirects.config.get("redirect_maps") or {}
        for old in engine.redirects_left_out:
            maps.pop(old, None)


def _check_posts_and_files(files: Files, config: MkDocsConfig) -> Files:
    """Check every post, leave out those the blog engine cannot read or that could write outside
    the site, and files that are links; add the generated pages."""
    project = load_project(Path(config.config_file_path))
    _state.stop_scanner()
    links = links_under(project.docs_dir)
    if links:  # rare: a walk of docs/ finds them, rather than a look at each file's folders
        for linked in [f for f in files if f.abs_src_path and under_a_link(f.abs_src_path, links)]:
            files.remove(linked)
    pages = files.documentation_pages()
    # A small build (a preview of one post) reads its few pages itself after the build sooner
    # than a worker process could start.
    if len(pages) >= PAGES_PER_WORKER:
        _state.scanner = PageScanner(
            project.hub.embed_hosts,
            Path(config.site_dir),
            () if _state.serving else project.hub.trim_stylesheets,
        )
    # Only the posts this build includes: all of them, or those a preview names.
    posts_dir = project.posts_dir.relative_to(project.docs_dir).as_posix() + "/"
    included = [
        Path(f.abs_src_path) for f in pages if f.src_uri.startswith(posts_dir) and f.abs_src_path
    ]
    with _state.checking():
        collection = collect_posts(project, included, compare_with_all=False, pages=True)
    _show_authors_as_text(config, collection.catalogue)
    _state.problems = collection.problems()
    for problem in _state.problems:
        log.warning(problem.format_text())
    if _state.serving:
        files.append(File.generated(config, PROBLEMS_PAGE, content=problems_page()))
    _state.reported_pictures = {
        (post.source.path.relative_to(project.docs_dir).as_posix(), image.src)
        for post in collection.posts
        if any(p.code.startswith("IMG") for p in post.problems)
        for image in post.images
    }
    for path in collection.unpublishable:
        unsafe = files.src_uris.get(path.relative_to(project.docs_dir).as_posix())
        if unsafe is not None:
            files.remove(unsafe)
    for post in collection.posts:
        if not post.readable_by_engine:
            src_uri = post.source.path.relative_to(project.docs_dir).as_posix()
            unreadable = files.src_uris.get(src_uri)
            if unreadable is not None:
                files.remove(unreadable)
    # The feed plugin writes addresses from the build's site_url, which a live preview sets to
    # its own address.
    _state.feeds = HubFeeds(
        collection, site_url=config.site_url, pictures=_start_share_cards(collection, config)
    )
    _state.pages = hub_pages(collection, _state.feeds)
    _state.responses = ResponsesSection(
        MarkdownSettings.from_config(project.markdown_extensions),
        _state.policy or MarkupPolicy(project.hub.embed_hosts),
    )
    _state.post_bodies.clear()
    for page in _state.pages.generated_pages():
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files


def _start_share_cards(collection: PostCollection, config: MkDocsConfig) -> ShareCards:
    """This build's share cards, written into its site folder, at the build's own address."""
    _state.cards = ShareCards(collection, Path(config.site_dir), site_url=config.site_url)
    return _state.cards


def _set_share_tags(page: Page) -> None:
    """The page's Open Graph and Twitter card values, as text, for
    ``overrides/partials/hub-share.html``: a post's own, the site's elsewhere."""
    if _state.cards is None or _state.pages is None:
        return
    post = _state.pages.post_for(page.file.src_uri)
    if post is not None and post.meta is not None:
        page.meta["hub_share"] = _state.cards.for_post(post)
        return
    project = _state.cards.project
    # Titles and descriptions from the page's settings reach here escaped (on_page_markdown).
    title = html.unescape(str(page.meta["title"])) if "title" in page.meta else page.title
    if page.is_homepage or not title:
        title = project.site_name
    description = page.meta.get("description")
    page.meta["hub_share"] = _state.cards.for_page(
        str(title),
        html.unescape(str(description)) if description else project.site_description,
        page.url,
    )


def _site_share() -> ShareTags | None:
    """The site's share values, for pages of the theme's own (404.html)."""
    if _state.cards is None:
        return None
    project = _state.cards.project
    return _state.cards.for_page(project.site_name, project.site_description, "")


def _show_authors_as_text(config: MkDocsConfig, catalogue: Catalogue) -> None:
    """The blog's authors as its templates print them: names and descriptions escaped, from the
    authors file as the check reads it; pictures and addresses on this site; only authors the
    check knows, so that every page of theirs stays inside the site."""
    blog = config.plugins.get("material/blog")
    authors: dict[str, Any] = getattr(blog, "authors", None) or {}
    for author_id in list(authors):
        known = catalogue.authors.get(author_id)
        if known is None or not SLUG_RE.match(author_id):
            del authors[author_id]  # its posts are left out too: an unknown author (PM007)
            continue
        author = authors[author_id]
        author["name"] = for_templates(known.name)
        author["description"] = for_templates(known.description)
        if not local_address(known.avatar):
            author["avatar"] = DEFAULT_AVATAR
        if author.get("slug") is not None and not SLUG_RE.match(str(author["slug"])):
            author["slug"] = None
        if author.get("url") is not None and not local_address(str(author["url"])):
            author["url"] = None


@event_priority(-100)  # after the blog plugin has given every post its address
def _keep_files_inside_site(files: Files, config: MkDocsConfig) -> Files:
    """No page or file is written outside the site folder, or in another's place, whatever its
    settings say; and no post shows the theme's related links, which no rule of the hub reads."""
    site = os.path.realpath(config.site_dir)
    written: dict[str, File] = {}
    for file in list(files):
        target = os.path.realpath(os.path.join(site, file.dest_path))
        if target != site and not target.startswith(site + os.sep):
            log.warning(f"{file.src_uri}: would be written outside the site, to {file.dest_path}")
            files.remove(file)
        elif target in written and file.is_documentation_page():
            log.warning(f"{file.src_uri}: would take the place of {written[target].src_uri}")
            files.remove(file)
        else:
            written.setdefault(target, file)
    blog = config.plugins.get("material/blog")
    for post in getattr(getattr(blog, "blog", None), "posts", None) or []:
        post.config["links"] = None
    return files


on_files = CombinedEvent(event_priority(0)(_check_posts_and_files), _keep_files_inside_site)


def _href(page: Page, files: Files) -> Callable[[str], str]:
    """Links from ``page`` to other pages, given by source path; a missing page is a warning."""

    def href(src_uri: str) -> str:
        target = files.src_uris.get(src_uri)
        if target is None:
            log.warning(
                f"{page.file.src_uri}: links to '{src_uri}', which is not a page of the site"
            )
            return "#"
        return get_relative_url(target.url, page.url)

    return href


# Before the tags plugin (priority -50) reads the page's tags.
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Hand the theme the page's text settings escaped, and only the tags that exist; write each
    post's title as its first heading; fill the ``<!-- hub:... -->`` sections written in
    Markdown (the HTML ones are filled in ``on_page_context``)."""
    _settings_as_text(page)
    if _state.pages is None:
        return None
    if isinstance(page, Profile):
        return _profile_markdown(page, _state.pages.catalogue)
    post = _state.pages.post_for(page.file.src_uri)
    if post is not None:
        # The byline lists the post's tags, so the theme's row of tags above the title is hidden.
        page.meta["hide"] = [*(page.meta.get("hide") or []), "tags"]
        page.meta["tags"] = [
            tag
            for tag in (nfc(str(t)) for t in page.meta.get("tags") or [])
            if tag in _state.pages.catalogue.tags
        ]
        return _state.pages.post_markdown(post, markdown)
    if "<!-- hub:" not in markdown:
        return None
    return _state.pages.fill_markdown_sections(markdown)


def _profile_author(page: Page, catalogue: Catalogue) -> str | None:
    """The id of the author whose page (the blog's profile) ``page`` is."""
    for author in catalogue.authors.values():
        if for_templates(author.name) == getattr(page, "name", None):
            return author.id
    return None


def _profile_markdown(page: Page, catalogue: Catalogue) -> str | None:
    """An author's page, headed with their name as text (the blog writes it in as Markdown)."""
    author_id = _profile_author(page, catalogue)
    if author_id is None:
        return None
    return f"# {markdown_text(catalogue.authors[author_id].name)}\n"


def _settings_as_text(page: Page) -> None:
    if page.meta.get(ESCAPED_MARK):
        return  # a post's settings are shared with its excerpts
    for key in TEXT_SETTINGS:
        value = page.meta.get(key)
        if value is not None:
            page.meta[key] = for_templates(str(value))
    page.meta[ESCAPED_MARK] = True


# Before the tags plugin (priority 100) renders its lists of posts with the templates.
@event_priority(110)
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Compile the templates once for the process, without their indentation if the site asks
    for compact pages (socialcouncils.engine.templates); let templates link each page's feeds
    (``overrides/partials/hub-feeds.html``)."""
    _state.files = files
    compact = _state.pages is not None and _state.pages.collection.project.hub.compact_html
    # A live preview builds again on every save: its templates are compiled once.
    env.bytecode_cache = compiled_templates(compact)
    if compact:
        env.add_extension(CompactTemplates)
        if env.cache is not None:
            env.cache.clear()  # any template loaded before now is compiled again, compacted
    env.globals["hub_feeds"] = _state.feeds
    env.globals["hub_site_share"] = _site_share()
    env.globals["hub_comments"] = _state.pages.collection.project.comments if _state.pages else None
    env.globals["hub_tag_url"] = lambda name: _page_url(files, HubPages.tag_src(name))
    # Page settings reach templates escaped (on_page_markdown); this gives back the text.
    env.filters["hub_text"] = html.unescape
    return env


def _page_url(files: Files, src_uri: str) -> str | None:
    target = files.src_uris.get(src_uri)
    return target.url if target is not None else None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Keep each post's body for its feed item, then add the byline under the post's title; on
    an author's page, say who they are under their name.

    Post pages only: excerpts in lists are rendered apart, under the blog's own author and date.
    """
    if _state.pages is None:
        return None
    if isinstance(page, Profile):
        author_id = _profile_author(page, _state.pages.catalogue)
        return (
            html + _state.pages.author_about(author_id, _href(page, files)) if author_id else None
        )
    post = _state.pages.post_for(page.file.src_uri)
    if post is None:
        return None
    _state.post_bodies[page.canonical_url or page.url] = split_title(html)[1]
    return _state.pages.post_html(post, html, _href(page, files))


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(
    context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    """Add each post's archived responses and related posts at its end, and fill the
    ``<!-- hub:... -->`` lists of posts, councils, categories and tags on other pages: out of the
    search index, which finds each post on its own page by its own words."""
    _set_share_tags(page)
    if _state.pages is None or _state.files is None or page.content is None:
        return context
    href = _href(page, _state.files)
    post = _state.pages.post_for(page.file.src_uri)
    if post is not None:
        responses = _state.responses.html(post.responses) if _state.responses is not None else ""
        page.content += responses + _state.pages.related_section(post, href)
    elif "<!-- hub:" in page.content:
        page.content = _state.pages.fill_html_sections(page.content, href)
    if _state.serving and page.file.src_uri == PROBLEMS_PAGE:
        page.content = page.content.replace(PROBLEMS_MARKER, problems_list(_state.problems))
    elif _state.serving:
        page.content = _preview_notice(page, href) + page.content
    return context


def _preview_notice(page: Page, href: Callable[[str], str]) -> str:
    """In a live preview, the check's problems at the top of the page (socialcouncils.pages.notices)."""
    assert _state.pages is not None
    project = _state.pages.collection.project
    source = Path(page.file.abs_src_path or page.file.src_uri)
    # A post's own problems, and its responses file's.
    shown = {project.display(source), project.display(responses_file(source))}
    own = [p for p in _state.problems if p.path in shown]
    return page_notice(own, len(_state.problems) - len(own), href(PROBLEMS_PAGE))


@event_priority(-100)  # after every other plugin's changes: the page as it is written
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str | None:
    """Hand the page over to be read for the steps after the build while the next pages render."""
    if _state.pages is None:
        return None
    if _state.scanner is not None:
        with _state.checking():
            # Encoded as MkDocs writes it.
            html = output.encode("utf-8", errors="xmlcharrefreplace")
            _state.scanner.submit(page.file.dest_uri, html)
    return output


@event_priority(-100)  # after mkdocs-rss-plugin and the search plugin have written their files
def on_post_build(config: MkDocsConfig) -> None:
    """Finish the feeds and the search index, then check the built pages and feeds: every
    picture is there and nothing unsafe got through."""
    if _state.pages is None:
        return
    site_dir = Path(config.site_dir)
    collection = _state.pages.collection
    project = collection.project
    # A live preview is read by the person writing, on their own machine: its stylesheets stay
    # whole, and each save rebuilds sooner.
    stylesheets = () if _state.serving else project.hub.trim_stylesheets
    with _state.checking():
        read = _state.scanner.results() if _state.scanner is not None else PagesRead()
    # Lighter pages: drop the theme's CSS rules no built page can use (socialcouncils.site.slim), in
    # the worker that read the pages while this process checks the site.
    trimming = _state.scanner.trim_stylesheets(read) if _state.scanner is not None else None

    def built_path(src_uri: str) -> str | None:
        file = _state.files.get_file_from_path(src_uri) if _state.files is not None else None
        return file.dest_uri if file is not None else None

    assert _state.policy is not None
    feed_problems = finish_outputs(
        site_dir,
        _state.policy,
        _state.feeds if config.plugins.get("rss") else None,
        _state.post_bodies,
        built_path,
    )
    with _state.checking():
        report = check_built_site(
            collection, site_dir, read.scans, reported={p.path for p in collection.problems()}
        )
    for message in feed_problems:
        log.warning(f"feeds: {message}")
    for problem in sorted(report.problems):
        log.warning(problem.format_text())
    posts = len(collection.posts)
    log.info(
        f"Checked {posts:,} post{'' if posts == 1 else 's'} and {report.files_checked:,} built "
        f"pages and feeds in {_state.check_seconds:.2f} seconds"
    )
    sanitized = (_state.policy.seconds if _state.policy else 0.0) + (
        _state.feeds.policy.seconds if _state.feeds else 0.0
    )
    log.info(f"Sanitized pages, excerpts, feeds and the search index in {sanitized:.2f} seconds")
    if trimming is not None:
        trimming()
    else:
        trim_site_stylesheets(site_dir, stylesheets, read.usage, read.scans)
    _state.stop_scanner()


def on_build_error(error: Exception) -> None:
    _state.stop_scanner()


def on_shutdown() -> None:
    _state.stop_scanner()
