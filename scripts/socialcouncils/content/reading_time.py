"""How long a post takes to read, estimated from its Markdown.

The same estimate as Material for MkDocs' blog (words at a steady pace, plus a few seconds per
picture), but made from the source, so the byline can show it before the page is rendered.
"""

from __future__ import annotations

import math
import re

# Markdown and HTML that is not read aloud: comments, tags, link and image targets, attribute lists.
_NOT_READ = re.compile(
    r"<!--.*?-->"  # comments, such as <!-- more -->
    r"|<[^>\n]+>"  # HTML tags
    r"|\]\([^)\n]*\)"  # the target of a link or image: [text](target)
    r"|\{\s*[:#.][^}\n]*\}",  # attribute lists: { .md-button }
    re.DOTALL,
)
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+", re.MULTILINE)
_IMAGE = re.compile(r"!\[|<img\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def reading_minutes(markdown: str, words_per_minute: int) -> int:
    """Whole minutes, at least 1: words at ``words_per_minute``, then 12 s for the first picture,
    one second less for each further one, down to 3 s."""
    images = len(_IMAGE.findall(markdown))
    text = _ADMONITION.sub(" ", _NOT_READ.sub(" ", markdown))
    seconds = math.ceil(len(_WORD.findall(text)) / words_per_minute * 60)
    seconds += sum(max(12 - i, 3) for i in range(images))
    return max(1, math.ceil(seconds / 60))
