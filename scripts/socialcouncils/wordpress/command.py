"""``python scripts/import_wordpress.py EXPORT.xml --council ID``: a WordPress blog into the hub."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from socialcouncils.problems import format_report
from socialcouncils.source.project import ConfigError, load_project
from socialcouncils.wordpress.importer import ImportError_, Options, run_import
from socialcouncils.wordpress.report import EXIT_BAD_INPUT, WORDPRESS_CODES


def parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in WORDPRESS_CODES.items())
    p = argparse.ArgumentParser(
        description="Import a council's WordPress blog (Tools → Export, WXR 1.1 or 1.2) as posts"
        " in docs/blog/posts/, with their pictures, responses and redirects from the old addresses."
        " Safe to run again: the same export changes nothing, a newer one updates what changed,"
        " and a post edited since its import is kept unless --force.",
        epilog="Exit codes: 0 nothing left to do, 1 problems left for a person, 2 bad input"
        " (nothing written).\n\nCodes:\n" + codes,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("export", type=Path, help="the export file (.xml)")
    p.add_argument("--council", required=True, help="the council's id in docs/blog/.councils.yml")
    p.add_argument(
        "--uploads", type=Path, help="a local copy of the blog's wp-content/uploads folder"
    )
    p.add_argument(
        "--online",
        action="store_true",
        help="download pictures the uploads folder lacks from the old site (cached in .cache/wordpress/)",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        help="the YAML file mapping WordPress categories and tags to the hub's",
    )
    p.add_argument(
        "--force", action="store_true", help="replace posts edited since they were imported"
    )
    p.add_argument("--config-file", "-f", type=Path, default=None, help="the site's mkdocs.yml")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = load_project(args.config_file)
    except ConfigError as exc:
        print(f"import_wordpress: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    options = Options(
        export=args.export,
        council=args.council,
        uploads=args.uploads,
        online=args.online,
        mapping=args.mapping,
        force=args.force,
        progress=sys.stderr.isatty(),
        cache=project.config_file.parent / ".cache" / "wordpress",
    )
    try:
        report = run_import(project, options)
    except ImportError_ as exc:
        print(format_report(exc.problems), file=sys.stderr)
        print("Nothing was imported.", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(report.text())
    return report.exit_code


def run() -> int:
    """The ``hub-import-wordpress`` command."""
    return main(sys.argv[1:])
