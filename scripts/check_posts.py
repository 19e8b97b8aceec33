#!/usr/bin/env python3
"""Check posts' front matter, images and markup without building the site.

A thin door onto socialcouncils.commands.check_posts (installed as hub-check-posts).
"""

import sys

from socialcouncils.commands.check_posts import run

if __name__ == "__main__":
    sys.exit(run())
