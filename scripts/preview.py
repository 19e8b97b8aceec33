#!/usr/bin/env python3
"""Live preview of one post (or a few) with the site's look, however large the archive.

A thin door onto socialcouncils.commands.preview (installed as hub-preview).
"""

import sys

from socialcouncils.commands.preview import run

if __name__ == "__main__":
    sys.exit(run())
