"""The standalone commands' shared front end: argument parsing, output and exit codes.

Exit codes: 0 when clean, 1 when content has problems, 2 for usage errors (bad arguments,
missing or unusable mkdocs.yml). Problems never come out as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from socialcouncils.content.responses import is_responses_file, posts_beside
from socialcouncils.problems import Problem, format_report, summary_line
from socialcouncils.source.project import (
    ConfigError,
    Project,
    is_markdown,
    load_project,
    markdown_files,
)

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github' prints GitHub Actions annotations (default: text)",
    )
    parser.add_argument(
        "--config-file",
        "-f",
        type=Path,
        default=None,
        help="the site's mkdocs.yml (default: the one in this repository)",
    )
    return parser


def report(problems: list[Problem], files_checked: int, style: str) -> int:
    if problems:
        print(format_report(problems, style))
    print(
        summary_line(problems, files_checked), file=sys.stderr if style == "github" else sys.stdout
    )
    return EXIT_PROBLEMS if problems else EXIT_CLEAN


def run_command(
    name: str, main: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None
) -> int:
    """Run a command's main, turning usage and configuration errors into exit code 2."""
    try:
        return main(argv)
    except (UsageError, ConfigError) as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def resolve_post_paths(project: Project, raw: Sequence[str]) -> list[Path] | None:
    """The post files named on the command line (folders expand to their posts, responses files
    to the post beside them); None for all."""
    if not raw:
        return None
    posts_dir = project.posts_dir.resolve()
    found: list[Path] = []
    for item in raw:
        path = Path(item)
        if not path.exists():
            raise UsageError(f"{item}: no such file or folder")
        candidates = markdown_files(path) if path.is_dir() else [path]
        if is_responses_file(path) and posts_dir in path.resolve().parents:
            # A post's responses file: its post (one with none is reported by every check).
            candidates = posts_beside(path)
        for candidate in candidates:
            resolved = candidate.resolve()
            if posts_dir not in resolved.parents or not is_markdown(resolved.name):
                raise UsageError(
                    f"{item} is not a post: posts are Markdown (.md) files in {project.display(project.posts_dir)}/"
                )
            found.append(resolved)
    return found


def load(config_file: Path | None) -> Project:
    return load_project(config_file)
