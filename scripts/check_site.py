#!/usr/bin/env python3
"""Check a built site: every picture in every page and feed is there, and nothing unsafe.

A thin door onto socialcouncils.commands.check_site (installed as hub-check-site).
"""

import sys

from socialcouncils.commands.check_site import run

if __name__ == "__main__":
    sys.exit(run())
