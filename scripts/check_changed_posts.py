#!/usr/bin/env python3
"""Check the posts this branch adds or changes, compared with another branch.

A thin door onto socialcouncils.commands.check_changed_posts (installed as hub-check-changed-posts).
"""

import sys

from socialcouncils.commands.check_changed_posts import run

if __name__ == "__main__":
    sys.exit(run())
