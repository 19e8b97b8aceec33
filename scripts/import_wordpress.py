#!/usr/bin/env python3
"""Import a council's WordPress blog (Tools → Export) as posts, pictures, responses and redirects.

python scripts/import_wordpress.py export.xml --council monmouthshire --uploads wp-content/uploads
python scripts/import_wordpress.py --help     # every option, the exit codes and the WP codes
"""

import sys

from socialcouncils.wordpress.command import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
