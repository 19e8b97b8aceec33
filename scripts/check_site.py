#!/usr/bin/env python3
"""Check a built site: every picture in every page and feed is there, and nothing unsafe.

python scripts/check_site.py                  # the site built into site/ (make build)
python scripts/check_site.py path/to/site     # another built copy
python scripts/check_site.py --format github  # GitHub Actions annotations
"""

import sys

from socialcouncils.check_site_command import main
from socialcouncils.cli import run_command

if __name__ == "__main__":
    sys.exit(run_command("check_site", main, sys.argv[1:]))
