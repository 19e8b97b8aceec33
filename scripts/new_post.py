#!/usr/bin/env python3
"""Start a new post from the template, asking for its details.

    python scripts/new_post.py
    python scripts/new_post.py --title "How we ..." --council leeds --author phil-jewitt \\
        --category "Case studies" --tag "social media" --description "..."
"""

import sys

from socialcouncils.cli import run_command
from socialcouncils.new_post_command import main

if __name__ == "__main__":
    sys.exit(run_command("new_post", main, sys.argv[1:]))
