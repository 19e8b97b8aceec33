#!/usr/bin/env python3
"""Rewrite the generated parts of both guides: CONTRIBUTING.md and docs/maintainers/guide.md.

python scripts/update_guide.py          # rewrite them from the schema, the scaffold and the checks
python scripts/update_guide.py --check  # exit 1 if either guide is out of date (make check)
"""

import argparse
import sys
from pathlib import Path

from socialcouncils.guide import GUIDES, GuideError, update_guide

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether they are up to date")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the folder the guides are in (default: %(default)s)",
    )
    args = parser.parse_args()
    stale = []
    for name, parts in GUIDES.items():
        path = args.root / name
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


if __name__ == "__main__":
    sys.exit(main())
