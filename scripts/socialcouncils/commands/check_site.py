"""``python scripts/check_site.py [SITE_DIR]``: check a built site's pictures and markup."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from socialcouncils.commands.cli import UsageError, base_parser, load, report, run_command
from socialcouncils.engine.page_scanner import read_on_every_core
from socialcouncils.site.site_check import check_site, source_pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(
        "Check a built site: every picture in every page and feed is there, and no unsafe "
        "markup reaches readers."
    )
    parser.add_argument(
        "site_dir",
        nargs="?",
        metavar="SITE_DIR",
        type=Path,
        help="the built site (default: the site_dir of mkdocs.yml, 'site')",
    )
    args = parser.parse_args(argv)
    project = load(args.config_file)
    site_dir = args.site_dir or project.site_dir
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"{site_dir} is not a built site (no index.html): run 'make build' first")

    def sources() -> dict[str, str]:
        # Only needed to explain a problem, so the post reader is not even imported otherwise.
        from socialcouncils.content.posts import collect_posts

        return source_pages(project, collect_posts(project).sources_by_url())

    result = check_site(
        project,
        site_dir,
        sources,
        read_pages=read_on_every_core,
    )
    return report(result.problems, result.files_checked, args.format)


def run() -> int:
    """The ``hub-check-site`` command."""
    return run_command("check_site", main, sys.argv[1:])
