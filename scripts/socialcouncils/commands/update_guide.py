"""Rewrite the generated parts of CONTRIBUTING.md (the field table and the post template).

python scripts/update_guide.py          # rewrite them from the schema and the scaffold
python scripts/update_guide.py --check  # exit 1 if the guide is out of date (make check)
"""

import argparse
import sys
from pathlib import Path

from socialcouncils.commands.guide import GuideError, update_guide
from socialcouncils.source.project import find_config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is up to date")
    parser.add_argument("--guide", type=Path, default=None, help="the guide (default: %(default)s)")
    args = parser.parse_args()
    args.guide = args.guide or find_config().parent / "CONTRIBUTING.md"
    text = args.guide.read_text(encoding="utf-8")
    try:
        updated = update_guide(text)
    except GuideError as exc:
        print(f"update_guide: {args.guide}: {exc}", file=sys.stderr)
        return 2
    if updated == text:
        print(f"{args.guide.name} is up to date.")
        return 0
    if args.check:
        print(
            f"{args.guide.name} is out of date with the post schema: run 'make guide'.",
            file=sys.stderr,
        )
        return 1
    args.guide.write_text(updated, encoding="utf-8")
    print(f"Updated {args.guide.name}.")
    return 0


def run() -> int:
    """The ``hub-update-guide`` command."""
    return main()
