"""Names each heading's permalink after its heading, for screen readers.

The table-of-contents extension puts a "¶" link after every heading. Read aloud, or listed with
the page's other links, every one of them is just "pilcrow". This Python-Markdown extension gives
each a name that says where it goes: "Link to this section: Related posts".
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
DEFAULT_LABEL = "Link to this section"


def _flatten(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))


class _PermalinkNamer(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        names = {t["id"]: t["name"] for t in _flatten(getattr(self.md, "toc_tokens", []))}
        for heading in root.iter():
            if heading.tag not in HEADINGS or heading.get("id") not in names:
                continue
            for link in heading.iter("a"):
                if "headerlink" in (link.get("class") or "").split():
                    label = link.get("title") or DEFAULT_LABEL
                    link.set("aria-label", f"{label}: {names[heading.get('id')]}")


class PermalinkLabels(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the table of contents (priority 5), which adds the permalinks.
        md.treeprocessors.register(_PermalinkNamer(md), "hub_permalink_labels", 4)
