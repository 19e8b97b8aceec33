#!/usr/bin/env python3
"""Start a new post from the template, asking for its details.

A thin door onto socialcouncils.commands.new_post (installed as hub-new-post).
"""

import sys

from socialcouncils.commands.new_post import run

if __name__ == "__main__":
    sys.exit(run())
