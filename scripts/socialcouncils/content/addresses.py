"""Where the site puts what it makes from the content: the slugs of titles, tags and categories
(as the blog and tags plugins make them, with pymdownx's slugify) and the folders of the pages
generated for councils and tags."""

from __future__ import annotations

from pymdownx.slugs import slugify

COUNCILS_DIR = "councils"
TAGS_DIR = "tags"

_slugify = slugify(case="lower")


def slug(text: str) -> str:
    """A title's, tag's or category's slug: lowercase words joined by hyphens."""
    return str(_slugify(text, "-"))
