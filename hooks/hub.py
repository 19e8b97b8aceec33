"""Connects the hub's engine-independent core (scripts/socialcouncils) to MkDocs.

Each event hands its work to the core and returns early when a page is not its business.
Content problems are logged as warnings, so ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from socialcouncils.hub_pages import HubPages
from socialcouncils.posts import collect_posts
from socialcouncils.project import load_project

log = logging.getLogger("mkdocs.hooks.hub")

_pages: HubPages | None = None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Check every post, leave out those the blog engine cannot read, add the generated pages."""
    global _pages
    project = load_project(Path(config.config_file_path))
    collection = collect_posts(project)
    for problem in collection.problems():
        log.warning(problem.format_text())
    for post in collection.posts:
        if not post.readable_by_engine:
            src_uri = post.source.path.relative_to(project.docs_dir).as_posix()
            file = files.get_file_from_path(src_uri)
            if file is not None:
                files.remove(file)
    _pages = HubPages(collection)
    for page in _pages.generated_pages():
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files


def _href(page: Page, files: Files) -> Callable[[str], str]:
    """Links from ``page`` to other pages, given by source path; a missing page is a warning."""

    def href(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        if target is None:
            log.warning(
                f"{page.file.src_uri}: links to '{src_uri}', which is not a page of the site"
            )
            return "#"
        return get_relative_url(target.url, page.url)

    return href


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Fill the ``<!-- hub:... -->`` lists on the home page and the generated pages."""
    if _pages is None or "<!-- hub:" not in markdown:
        return None
    return _pages.fill_markers(markdown, _href(page, files))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Put the byline under each post's title (post pages only, not the excerpts in lists)."""
    post = _pages.post_for(page.file.src_uri) if _pages is not None else None
    if post is None or _pages is None:
        return None
    return _pages.byline(post, _href(page, files)) + html
