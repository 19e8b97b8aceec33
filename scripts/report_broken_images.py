#!/usr/bin/env python3
"""Run the online image check and open, update or close one GitHub issue to match (weekly job).

python scripts/report_broken_images.py -- .venv/bin/python scripts/check_site.py --online site
"""

import sys

from socialcouncils.image_issue import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
