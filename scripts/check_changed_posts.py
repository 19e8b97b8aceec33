#!/usr/bin/env python3
"""Check the posts this branch adds or changes, compared with another branch.

python scripts/check_changed_posts.py origin/main
python scripts/check_changed_posts.py --format github origin/main   # the pull-request workflow
"""

import sys

from socialcouncils.changed_posts_command import main
from socialcouncils.cli import run_command

if __name__ == "__main__":
    sys.exit(run_command("check_changed_posts", main, sys.argv[1:]))
