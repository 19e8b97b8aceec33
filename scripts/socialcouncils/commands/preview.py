"""Live preview of one post (or a few) with the site's look, however large the archive.

    python scripts/preview.py docs/blog/posts/my-post.md   # or: make preview POST=docs/...

The site is built from every page except the posts not named, so a save in the post being
written rebuilds a handful of pages instead of the whole archive. The post's pictures, its
authors, its council page and its tags come along. Problems the check finds are shown at the
top of the pages, and change on every save.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from socialcouncils.commands.cli import EXIT_USAGE, UsageError, load, resolve_post_paths
from socialcouncils.content.posts import collect_posts
from socialcouncils.pages.notices import PROBLEMS_PAGE
from socialcouncils.source.project import Project

PREVIEW_CONFIG = "mkdocs.preview.yml"


def preview_config(project: Project, posts: list[Path]) -> Path:
    """A config that inherits mkdocs.yml and leaves out every post not named (and whatever
    mkdocs.yml leaves out itself, as this config's ``exclude_docs`` replaces its own)."""
    posts_dir = project.posts_dir.relative_to(project.docs_dir).as_posix()
    patterns = [*project.exclude_docs, f"/{posts_dir}/*"]
    for post in posts:
        name = post.relative_to(project.posts_dir.resolve())
        patterns += [
            f"!/{posts_dir}/{name.as_posix()}",
            f"!/{posts_dir}/{name.with_suffix('').as_posix()}/",
        ]
    lines = [
        "# Written by scripts/preview.py for a preview of: "
        + ", ".join(project.display(p) for p in posts),
        f"INHERIT: {project.config_file.name}",
        "exclude_docs: |",
        *(f"  {pattern}" for pattern in patterns),
        "",
    ]
    path = project.root / PREVIEW_CONFIG
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", nargs="+", metavar="POST", help="the post file(s) to preview")
    parser.add_argument("-f", "--config-file", type=Path, default=None)
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="where to serve")
    parser.add_argument("--build", metavar="SITE_DIR", help="build once into SITE_DIR, no server")
    args = parser.parse_args(argv)
    try:
        project = load(args.config_file)
        posts = resolve_post_paths(project, args.posts) or []
    except UsageError as exc:
        print(f"preview: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config = preview_config(project, posts)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs"]
    if args.build:
        command = [*mkdocs, "build", "-f", str(config), "--site-dir", args.build]
    else:
        print(f"Previewing at http://{args.dev_addr}/ (Ctrl+C to stop):", flush=True)
        for post in collect_posts(project, posts, compare_with_all=False).posts:
            if post.readable_by_engine and post.url:
                where = post.url
            else:  # the site cannot show the post until the problems listed there are fixed
                where = PROBLEMS_PAGE.removesuffix(".md") + "/ (what to fix before it shows)"
            print(f"  {post.source.shown}: http://{args.dev_addr}/{where}", flush=True)
        print("Each page shows what is left to fix, and changes when you save.", flush=True)
        command = [*mkdocs, "serve", "--quiet", "-f", str(config), "--dev-addr", args.dev_addr]
        command.append("--livereload")
    # Become the MkDocs process, so that stopping the preview stops the server with it.
    os.chdir(project.root)
    os.execve(sys.executable, command, env)


def run() -> int:
    """The ``hub-preview`` command."""
    return main()
