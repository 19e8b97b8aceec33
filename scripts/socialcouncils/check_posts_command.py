"""``python scripts/check_posts.py [PATH ...]``: check posts without building the site."""

from __future__ import annotations

from collections.abc import Sequence

from .cli import add_online_flag, base_parser, load, online_wanted, report, resolve_post_paths
from .external_images import OnlineSettings, check_uses
from .posts import collect_posts


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(
        "Check posts' front matter, images and markup. With no PATH, every post is checked."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="post files or folders")
    add_online_flag(parser)
    args = parser.parse_args(argv)
    project = load(args.config_file)
    paths = resolve_post_paths(project, args.paths)
    collection = collect_posts(project, paths)
    problems = collection.problems()
    if online_wanted(args, project):
        problems += check_uses(collection.external_images(), OnlineSettings.from_project(project))
    return report(problems, len(collection.posts), args.format)
