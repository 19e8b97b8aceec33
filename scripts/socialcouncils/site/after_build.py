"""The steps after the engine's build, whatever the engine: the search index sanitized, the feeds
finished and cut per council and category, and the built site checked.

The MkDocs hook runs them at the end of each build, with the post bodies it kept while the pages
were rendered; ``hub-build-step after`` runs the same steps on a site that any engine built,
reading each post's body back from its built page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Mapping
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from socialcouncils.content.posts import PostCollection
from socialcouncils.feeds.hub_feeds import HubFeeds
from socialcouncils.policy.markup_policy import MarkupPolicy
from socialcouncils.site.site_check import PageScan, SiteReport, check_site, source_pages

# Where a built post page holds the post's own words: the hub's wrapper, or for a site built
# without the hub's hook, the theme's article (its title heading is taken off).
BODY_SELECTORS = (".hub-post-body", "article.md-content__inner")


def sanitize_search_index(site_dir: Path, policy: MarkupPolicy) -> None:
    """The search index's titles and texts, which the theme shows as HTML, through the policy."""
    path = site_dir / "search" / "search_index.json"
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for doc in index.get("docs") or []:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str) and "<" in doc[key]:
                doc[key] = policy.sanitize(doc[key])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def post_bodies_from_pages(
    collection: PostCollection, site_dir: Path, site_url: str
) -> dict[str, str]:
    """Each published post's body by its full address, read back from its built page."""
    bodies = {}
    for post in collection.published():
        if post.url is None:
            continue
        page = site_dir / post.url / "index.html"
        if not page.is_file():
            continue
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for selector in BODY_SELECTORS:
            node = tree.css_first(selector)
            if node is not None:
                for heading in node.css("h1"):
                    heading.decompose()
                bodies[site_url.rstrip("/") + "/" + post.url] = node.inner_html or ""
                break
    return bodies


def finish_outputs(
    site_dir: Path,
    policy: MarkupPolicy,
    feeds: HubFeeds | None,
    post_bodies: Mapping[str, str],
    built_path: Callable[[str], str | None] | None = None,
) -> list[str]:
    """The search index and the feeds as readers get them; returns the feeds' problems."""
    sanitize_search_index(site_dir, policy)
    return feeds.finish(site_dir, post_bodies, built_path) if feeds is not None else []


def check_built_site(
    collection: PostCollection,
    site_dir: Path,
    scans: Mapping[str, PageScan | None] | None = None,
    reported: Container[str] = (),
) -> SiteReport:
    """Every page and feed of the built site checked, problems traced to their sources."""
    project = collection.project
    return check_site(
        project,
        site_dir,
        lambda: source_pages(project, collection.sources_by_url()),
        scans=scans,
        reported=reported,
    )
