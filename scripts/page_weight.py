#!/usr/bin/env python3
"""How many bytes a post page makes a reader's browser download (make page-weight)."""

import sys

from socialcouncils.site.page_weight import main

if __name__ == "__main__":
    sys.exit(main())
