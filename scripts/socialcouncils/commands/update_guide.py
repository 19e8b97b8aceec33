"""Rewrite the generated parts of both guides: CONTRIBUTING.md and docs/maintainers/guide.md.

make guide          # rewrite them from the schema, the scaffold and the checks
make check          # among others: exit 1 if either guide is out of date
"""

import argparse
import sys
from pathlib import Path

from socialcouncils.commands.guide import GUIDES, GuideError, update_guide
from socialcouncils.source.project import find_config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether they are up to date")
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the folder the guides are in (default: the project's)",
    )
    args = parser.parse_args()
    root = args.root or find_config().parent
    stale = []
    for name, parts in GUIDES.items():
        path = root / name
        try:
            text = path.read_text(encoding="utf-8")
            updated = update_guide(text, parts)
        except (OSError, GuideError) as exc:
            print(f"update_guide: {name}: {exc}", file=sys.stderr)
            return 2
        if updated == text:
            print(f"{name} is up to date.")
        elif args.check:
            stale.append(name)
        else:
            path.write_text(updated, encoding="utf-8")
            print(f"Updated {name}.")
    for name in stale:
        print(f"{name} is out of date with the code: run 'make guide'.", file=sys.stderr)
    return 1 if stale else 0


def run() -> int:
    """The ``hub-update-guide`` command."""
    return main()
