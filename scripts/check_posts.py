#!/usr/bin/env python3
"""Check posts' front matter, images and markup without building the site.

python scripts/check_posts.py                 # every post
python scripts/check_posts.py docs/blog/posts/my-post.md
python scripts/check_posts.py --format github # GitHub Actions annotations
"""

import sys

from socialcouncils.check_posts_command import main
from socialcouncils.cli import run_command

if __name__ == "__main__":
    sys.exit(run_command("check_posts", main, sys.argv[1:]))
