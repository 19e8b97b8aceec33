"""``python scripts/compare_sites.py FIRST SECOND``: are two builds of the site the same site?"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from socialcouncils.commands.cli import EXIT_CLEAN, EXIT_PROBLEMS, UsageError, run_command
from socialcouncils.site.site_compare import compare_sites


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare two built sites file by file. Only each page's generator tag, the "
        "feeds' build times and the sitemap's dates may differ."
    )
    parser.add_argument("first", metavar="FIRST", type=Path, help="one built site")
    parser.add_argument("second", metavar="SECOND", type=Path, help="the other built site")
    args = parser.parse_args(argv)
    for site in (args.first, args.second):
        if not (site / "index.html").is_file():
            raise UsageError(f"{site} is not a built site (no index.html): build it first")
    result = compare_sites(args.first, args.second)
    for rel in result.only_in_first:
        print(f"{args.first.as_posix()}/{rel}: not in {args.second.as_posix()}/")
    for rel in result.only_in_second:
        print(f"{args.second.as_posix()}/{rel}: not in {args.first.as_posix()}/")
    for diff in result.differences:
        print(f"{args.first.as_posix()}/{diff.path}:{diff.line}: {diff.first}")
        print(f"{args.second.as_posix()}/{diff.path}:{diff.line}: {diff.second}")
    if result.same:
        print(f"The two builds are the same site: {result.files_compared} file(s) compared.")
        return EXIT_CLEAN
    differing = len(result.only_in_first) + len(result.only_in_second) + len(result.differences)
    print(f"The two builds differ in {differing} file(s) of {result.files_compared} compared.")
    return EXIT_PROBLEMS


def run() -> int:
    """The ``hub-compare-sites`` command."""
    return run_command("compare_sites", main, sys.argv[1:])
