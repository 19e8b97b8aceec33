"""``python scripts/check_changed_posts.py BASE``: check the posts a branch changes since BASE.

The pull-request workflow runs it with ``--format github``, so each problem shows up as an
annotation on the changed line. The posts are those added, changed or renamed since the branch
left BASE, the posts whose picture folders or responses files changed. When the authors,
councils or tags files change, every post is checked, because any post may depend on them; so
is every post when a responses file has no post beside it (a full check reports it).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from socialcouncils.commands.check_posts import main as check_posts
from socialcouncils.commands.cli import EXIT_CLEAN, UsageError, base_parser, load, run_command
from socialcouncils.content.responses import is_responses_file, posts_beside
from socialcouncils.source.project import MARKDOWN_ENDINGS, Project, is_markdown

ALL_POSTS = None


def changed_files(project: Project, base: str) -> list[Path]:
    """Files under the blog folder added, changed or renamed on this branch since it left base."""
    blog = project.display(project.docs_dir / project.blog_dir)
    command = ["git", "diff", "--name-only", "--diff-filter=ACMR", "--relative", "-z"]
    result = subprocess.run(
        [*command, f"{base}...HEAD", "--", blog],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise UsageError(f"git cannot compare this branch with {base}: {result.stderr.strip()}")
    return [project.root / name for name in result.stdout.split("\0") if name]


def posts_to_check(project: Project, changed: Sequence[Path]) -> list[Path] | None:
    """The posts a change touches; None (every post) when shared data files changed."""
    data_files = {project.authors_file, project.councils_file, project.tags_file}
    if any(path in data_files for path in changed):
        return ALL_POSTS
    posts_dir = project.posts_dir
    found: set[Path] = set()
    for path in changed:
        if posts_dir not in path.parents:
            continue
        if is_markdown(path.name):
            found.add(path)
            continue
        if is_responses_file(path):
            beside = posts_beside(path)
            if not beside:
                return ALL_POSTS
            found.update(beside)
            continue
        # A picture (or other file) in a post's folder: check the post beside the folder.
        for folder in path.parents:
            if folder == posts_dir:
                break
            found.update(
                post
                for post in (folder.with_name(folder.name + end) for end in MARKDOWN_ENDINGS)
                if post.is_file()
            )
    return sorted(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(
        "Check the posts this branch adds or changes since it left BASE"
        " (every post when the authors, councils or tags change)."
    )
    parser.add_argument("base", metavar="BASE", help="the branch to compare with, e.g. origin/main")
    args = parser.parse_args(argv)
    project = load(args.config_file)
    posts = posts_to_check(project, changed_files(project, args.base))
    forwarded = ["--format", args.format, "--config-file", str(project.config_file)]
    if posts == []:
        print(f"No posts changed since {args.base}.", file=sys.stderr)
        return EXIT_CLEAN
    if posts is ALL_POSTS:
        print(
            "The authors, councils or tags changed, or a responses file has no post:"
            " checking every post.",
            file=sys.stderr,
        )
        return check_posts(forwarded)
    shown = ", ".join(project.display(p) for p in posts)
    print(f"Checking the posts changed since {args.base}: {shown}", file=sys.stderr)
    return check_posts([*forwarded, *(str(p) for p in posts)])


def run() -> int:
    """The ``hub-check-changed-posts`` command."""
    return run_command("check_changed_posts", main, sys.argv[1:])
