#!/usr/bin/env python3
"""The hub's steps before and after a site engine's build.

A thin door onto socialcouncils.commands.build_step (installed as hub-build-step).
"""

import sys

from socialcouncils.commands.build_step import run

if __name__ == "__main__":
    sys.exit(run())
