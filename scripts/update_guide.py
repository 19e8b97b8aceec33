#!/usr/bin/env python3
"""Rewrite the generated parts of both guides (make guide).

A thin door onto socialcouncils.commands.update_guide (installed as hub-update-guide).
"""

import sys

from socialcouncils.commands.update_guide import run

if __name__ == "__main__":
    sys.exit(run())
