"""A council's WordPress blog brought across in one command (``scripts/import_wordpress.py``).

| module | its one concern |
| --- | --- |
| ``wxr.py`` | reading the export (WXR 1.1, 1.2) as a stream, safely |
| ``body.py`` | a post's HTML as the hub's Markdown, through the markup policy |
| ``shortcodes.py`` | WordPress shortcodes and bare video addresses |
| ``pictures.py`` | pictures from the uploads folder (or the old site), named and sized |
| ``responses.py`` | approved comments and pingbacks as ``<stem>.responses.yml`` |
| ``redirects.py`` | old permalinks and ``?p=123`` links to the new addresses |
| ``mapping.py`` | the council's category and tag mapping file |
| ``state.py`` | what was imported, so that a re-run never duplicates or overwrites edits; read as untrusted data |
| ``text.py`` | plain text and dates from the export |
| ``report.py`` | the final report, its WP codes and exit codes |
| ``importer.py``, ``command.py`` | the run, and the command's arguments and output |

From the rest of the core it uses only: ``catalogue``, ``html_changes``, ``markup``,
``markup_policy``, ``plain_text``, ``posts``, ``problems``, ``project``, ``scaffold``, ``schema``,
``yaml_source``.
"""
