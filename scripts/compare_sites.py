#!/usr/bin/env python3
"""Compare two builds of the site file by file: only the engine's name and build times may differ.

A thin door onto socialcouncils.commands.compare_sites (installed as hub-compare-sites).
"""

import sys

from socialcouncils.commands.compare_sites import run

if __name__ == "__main__":
    sys.exit(run())
