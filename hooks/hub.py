"""Connects the hub's engine-independent core (scripts/socialcouncils) to MkDocs.

Each event hands its work to the core and returns early when a page is not its business.
Content problems are logged as warnings, so ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from socialcouncils.hub_pages import HubPages
from socialcouncils.posts import collect_posts
from socialcouncils.project import load_project
from socialcouncils.site_check import check_site, source_pages

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


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Put the byline under each post's title; fill ``<!-- hub:... -->`` lists on other pages."""
    if _pages is None:
        return None
    post = _pages.post_for(page.file.src_uri)
    if post is not None:
        return _pages.byline(post) + "\n\n" + markdown
    if "<!-- hub:" in markdown:
        return _pages.fill_markers(markdown, page.file.src_uri)
    return None


def on_post_build(config: MkDocsConfig) -> None:
    """Check the built pages and feeds: every picture is there and nothing unsafe got through."""
    if _pages is None:
        return
    collection = _pages.collection
    project = collection.project
    report = check_site(
        project,
        Path(config.site_dir),
        lambda: source_pages(project, collection.sources_by_url()),
        online=bool(project.hub["external_images"]["online"]),
    )
    for problem in sorted(report.problems):
        log.warning(problem.format_text())
