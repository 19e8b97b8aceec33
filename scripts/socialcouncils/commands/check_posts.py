"""``python scripts/check_posts.py [PATH ...]``: check posts without building the site."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from socialcouncils.commands.cli import base_parser, load, report, resolve_post_paths, run_command
from socialcouncils.content.posts import collect_posts


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(
        "Check posts' front matter, pictures and markup. With no PATH, every post is checked."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="post files or folders (a post's responses file checks its post)",
    )
    args = parser.parse_args(argv)
    project = load(args.config_file)
    paths = resolve_post_paths(project, args.paths)
    collection = collect_posts(project, paths)
    return report(collection.problems(), len(collection.posts), args.format)


def run() -> int:
    """The ``hub-check-posts`` command."""
    return run_command("check_posts", main, sys.argv[1:])
