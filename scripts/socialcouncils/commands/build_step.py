"""``hub-build-step before|after``: the hub's steps around a site engine's build.

``make build`` runs MkDocs (or ProperDocs, ``ENGINE=properdocs``), whose hook runs these same
steps inside the build. An engine that runs no hooks (Zensical reads mkdocs.yml but ignores
``hooks:``) is wrapped by them instead:

    hub-build-step before --pages-into docs   # check every post, page and data file; write the
                                              # council, tag and index pages the hub makes
    <engine> build                            # any engine that builds mkdocs.yml
    hub-build-step after site                 # sanitize the search index, finish and cut the
                                              # feeds, check the built site

What the hook also does inside the engine's rendering (bylines, related posts, lead pictures,
share tags, each page's text settings escaped, the sanitizer as the last Markdown step) has no
such door: docs/maintainers/guide.md says what a move would still need.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from socialcouncils.commands.cli import EXIT_PROBLEMS, base_parser, load, report, run_command
from socialcouncils.content.posts import PostCollection, collect_posts
from socialcouncils.feeds.hub_feeds import HubFeeds
from socialcouncils.pages.accessibility import statement_markdown
from socialcouncils.pages.hub_pages import HubPages
from socialcouncils.pages.ways_in import contact_markdown, submit_markdown
from socialcouncils.policy.markup_policy import MarkupPolicy
from socialcouncils.site.after_build import (
    check_built_site,
    finish_outputs,
    post_bodies_from_pages,
)


def hub_pages(collection: PostCollection, feeds: HubFeeds) -> HubPages:
    """The generated pages and page parts, with the sections that pages write in Markdown."""
    project = collection.project
    return HubPages(
        collection,
        extra_sections={
            "feeds": feeds.feed_list,
            "accessibility-checks": statement_markdown,
            "submit": lambda: submit_markdown(project),
            "contact": lambda: contact_markdown(project),
        },
    )


def write_generated_pages(pages: HubPages, folder: Path, site_url: str) -> list[Path]:
    """Each generated page as a finished Markdown file under ``folder`` (a docs folder), its lists
    filled, linking by addresses from the site's root (the path of ``site_url``)."""
    root = urlsplit(site_url).path or "/"
    urls = {pages.post_src(post): post.url for post in pages.collection.posts if post.url}

    def href(src_uri: str) -> str:
        if src_uri in urls:
            return posixpath.join(root, str(urls[src_uri]))
        page = src_uri.removesuffix(".md").removesuffix("index").rstrip("/")
        return posixpath.join(root, page + "/" if page else "")

    written = []
    for page in pages.generated_pages():
        markdown = pages.fill_html_sections(pages.fill_markdown_sections(page.markdown), href)
        target = folder / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser("The hub's steps before and after a site engine's build.")
    parser.add_argument("step", choices=("before", "after"))
    parser.add_argument(
        "site_dir", nargs="?", type=Path, help="after: the built site (default: site_dir)"
    )
    parser.add_argument(
        "--pages-into", type=Path, metavar="DIR", help="before: write the generated pages here"
    )
    args = parser.parse_args(argv)
    project = load(args.config_file)
    collection = collect_posts(project, pages=True)
    feeds = HubFeeds(collection)
    if args.step == "before":
        if args.pages_into is not None:
            written = write_generated_pages(
                hub_pages(collection, feeds), args.pages_into, project.site_url
            )
            print(f"Wrote {len(written)} generated pages into {args.pages_into}", file=sys.stderr)
        return report(collection.problems(), len(collection.posts), args.format)
    site_dir = args.site_dir or project.site_dir
    bodies = post_bodies_from_pages(collection, site_dir, project.site_url)
    messages = finish_outputs(site_dir, MarkupPolicy(project.hub.embed_hosts), feeds, bodies)
    for message in messages:
        print(f"feeds: {message}", file=sys.stderr)
    checked = check_built_site(collection, site_dir)
    status = report(checked.problems, checked.files_checked, args.format)
    return EXIT_PROBLEMS if messages else status


def run() -> int:
    """The ``hub-build-step`` command."""
    return run_command("build_step", main, sys.argv[1:])
