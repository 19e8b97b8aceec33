#!/usr/bin/env python3
"""Compare two builds of the site file by file: only the engine's name and build times may differ.

python scripts/compare_sites.py site site-properdocs   # what make compare-engines runs
"""

import sys

from socialcouncils.cli import run_command
from socialcouncils.compare_sites_command import main

if __name__ == "__main__":
    sys.exit(run_command("compare_sites", main, sys.argv[1:]))
