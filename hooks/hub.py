"""Connects the hub's engine-independent core (scripts/socialcouncils) to MkDocs.

Each event hands its work to the core and returns early when a page is not its business.
Content problems are logged as warnings, so ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from socialcouncils.accessibility import statement_markdown
from socialcouncils.feeds import HubFeeds
from socialcouncils.hub_pages import HubPages, split_title
from socialcouncils.page_scanner import PAGES_PER_WORKER, PageScanner, PagesRead
from socialcouncils.permalinks import PermalinkLabels
from socialcouncils.posts import collect_posts
from socialcouncils.project import load_project
from socialcouncils.site_check import check_site, source_pages
from socialcouncils.slim import trim_site_stylesheets
from socialcouncils.templates import CompactTemplates, compiled_templates

log = logging.getLogger("mkdocs.hooks.hub")

_pages: HubPages | None = None
_feeds: HubFeeds | None = None
# Each post's HTML body by its full address, for the feeds' full-text items.
_post_bodies: dict[str, str] = {}
_files: Files | None = None
# Reads each built page for the steps after the build while the next pages render; one per build.
_scanner: PageScanner | None = None
# Seconds this build has spent checking: reading and checking the posts, and the built site.
_check_seconds = 0.0


@contextmanager
def _checking() -> Iterator[None]:
    global _check_seconds
    started = time.perf_counter()
    try:
        yield
    finally:
        _check_seconds += time.perf_counter() - started


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Name each heading's permalink after its heading (socialcouncils.permalinks)."""
    config.markdown_extensions.append(PermalinkLabels())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Check every post, leave out those the blog engine cannot read, add the generated pages."""
    global _pages, _feeds, _scanner, _check_seconds
    _check_seconds = 0.0
    project = load_project(Path(config.config_file_path))
    _stop_scanner()
    pages = files.documentation_pages()
    # A small build (a preview of one post) reads its few pages itself after the build sooner
    # than a worker process could start.
    if len(pages) >= PAGES_PER_WORKER:
        _scanner = PageScanner(
            project.hub["embed_hosts"] or [],
            Path(config.site_dir),
            project.hub["trim_stylesheets"],
        )
    # Only the posts this build includes: all of them, or those a preview names.
    posts_dir = project.posts_dir.relative_to(project.docs_dir).as_posix() + "/"
    included = [
        Path(f.abs_src_path) for f in pages if f.src_uri.startswith(posts_dir) and f.abs_src_path
    ]
    with _checking():
        collection = collect_posts(project, included, compare_with_all=False)
    for problem in collection.problems():
        log.warning(problem.format_text())
    for post in collection.posts:
        if not post.readable_by_engine:
            src_uri = post.source.path.relative_to(project.docs_dir).as_posix()
            file = files.src_uris.get(src_uri)
            if file is not None:
                files.remove(file)
    # The feed plugin writes addresses from the build's site_url, which a live preview sets to
    # its own address.
    _feeds = HubFeeds(collection, site_url=config.site_url)
    _pages = HubPages(
        collection,
        extra_sections={"feeds": _feeds.feed_list, "accessibility-checks": statement_markdown},
    )
    _post_bodies.clear()
    for page in _pages.generated_pages():
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files


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


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Write each post's title as its first heading; fill the ``<!-- hub:... -->`` sections
    written in Markdown (the HTML ones are filled in ``on_page_context``)."""
    if _pages is None:
        return None
    post = _pages.post_for(page.file.src_uri)
    if post is not None:
        # The byline lists the post's tags, so the theme's row of tags above the title is hidden.
        page.meta["hide"] = [*(page.meta.get("hide") or []), "tags"]
        return _pages.post_markdown(post, markdown)
    if "<!-- hub:" not in markdown:
        return None
    return _pages.fill_markdown_sections(markdown)


# Before the tags plugin (priority 100) renders its lists of posts with the templates.
@event_priority(110)
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Compile the templates once for the process, without their indentation if the site asks
    for compact pages (socialcouncils.templates); let templates link each page's feeds
    (``overrides/partials/hub-feeds.html``)."""
    global _files
    _files = files
    compact = _pages is not None and bool(_pages.collection.project.hub["compact_html"])
    # A live preview builds again on every save: its templates are compiled once.
    env.bytecode_cache = compiled_templates(compact)
    if compact:
        env.add_extension(CompactTemplates)
        if env.cache is not None:
            env.cache.clear()  # any template loaded before now is compiled again, compacted
    env.globals["hub_feeds"] = _feeds
    env.globals["hub_tag_url"] = lambda name: _page_url(files, HubPages.tag_src(name))
    return env


def _page_url(files: Files, src_uri: str) -> str | None:
    target = files.src_uris.get(src_uri)
    return target.url if target is not None else None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Keep each post's body for its feed item, then add the byline under the post's title.

    Post pages only: excerpts in lists are rendered apart, under the blog's own author and date.
    """
    if _pages is None:
        return None
    post = _pages.post_for(page.file.src_uri)
    if post is None:
        return None
    _post_bodies[page.canonical_url or page.url] = split_title(html)[1]
    return _pages.post_html(post, html, _href(page, files))


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(
    context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    """Add related posts at the end of each post, and fill the ``<!-- hub:... -->`` lists of
    posts, councils, categories and tags on other pages: out of the search index, which finds each
    post on its own page."""
    if _pages is None or _files is None or page.content is None:
        return context
    post = _pages.post_for(page.file.src_uri)
    if post is not None:
        page.content += _pages.related_section(post, _href(page, _files))
    elif "<!-- hub:" in page.content:
        page.content = _pages.fill_html_sections(page.content, _href(page, _files))
    return context


@event_priority(-100)  # after every other plugin's changes: the page as it is written
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str | None:
    """Hand the page over to be read for the steps after the build while the next pages render."""
    if _pages is None:
        return None
    if _scanner is not None:
        with _checking():
            # Encoded as MkDocs writes it.
            html = output.encode("utf-8", errors="xmlcharrefreplace")
            _scanner.submit(page.file.dest_uri, html)
    return output


@event_priority(-100)  # after mkdocs-rss-plugin has written the site feed
def on_post_build(config: MkDocsConfig) -> None:
    """Finish the feeds, then check the built pages and feeds: every picture is there and
    nothing unsafe got through."""
    if _pages is None:
        return
    if _feeds is not None and config.plugins.get("rss"):

        def built_path(src_uri: str) -> str | None:
            file = _files.get_file_from_path(src_uri) if _files is not None else None
            return file.dest_uri if file is not None else None

        for message in _feeds.finish(Path(config.site_dir), _post_bodies, built_path):
            log.warning(f"feeds: {message}")
    collection = _pages.collection
    project = collection.project
    site_dir = Path(config.site_dir)
    stylesheets = project.hub["trim_stylesheets"]
    with _checking():
        read = _scanner.results() if _scanner is not None else PagesRead()
    # Lighter pages: drop the theme's CSS rules no built page can use (socialcouncils.slim), in
    # the worker that read the pages while this process checks the site.
    trimming = _scanner.trim_stylesheets(read) if _scanner is not None else None
    with _checking():
        report = check_site(
            project,
            site_dir,
            lambda: source_pages(project, collection.sources_by_url()),
            online=bool(project.hub["external_images"]["online"]),
            scans=read.scans,
        )
    for problem in sorted(report.problems):
        log.warning(problem.format_text())
    posts = len(collection.posts)
    log.info(
        f"Checked {posts:,} post{'' if posts == 1 else 's'} and {report.files_checked:,} built "
        f"pages and feeds in {_check_seconds:.2f} seconds"
    )
    if trimming is not None:
        trimming()
    else:
        trim_site_stylesheets(site_dir, stylesheets, read.usage, read.scans)
    _stop_scanner()


def on_build_error(error: Exception) -> None:
    _stop_scanner()


def on_shutdown() -> None:
    _stop_scanner()


def _stop_scanner() -> None:
    global _scanner
    if _scanner is not None:
        _scanner.close()
        _scanner = None
