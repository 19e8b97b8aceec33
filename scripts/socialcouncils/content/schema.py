"""The post front-matter contract, declared once.

The checker validates posts against ``PostMeta``; the scaffolder writes posts from it; the
field table in the contributor guide is generated from it; the tests read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

TITLE_LENGTH = (5, 120)
DESCRIPTION_LENGTH = (40, 300)
TAG_COUNT = (1, 10)

# The value a date must have on the page: a YAML date (2012-03-07) or date and time
# (2012-03-07 09:30:00). Both are read by the site engine as real dates.
PostDate = dt.datetime | dt.date
# Where a template leaves the date: written unquoted, so that typing the date over it gives a
# YAML date, not text.
DATE_PLACEHOLDER = "YYYY-MM-DD"


def _field(description: str, example: Any, officers: bool = True, **kwargs: Any) -> Any:
    """A key's documentation: ``officers=False`` for the theme's keys, which the officers'
    guide leaves out and the maintainers' guide lists."""
    extra = {"example": example, "officers": officers}
    return Field(description=description, json_schema_extra=extra, **kwargs)


class PostMeta(BaseModel):
    """Every key a post may have. Keys not listed here are errors."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: Annotated[
        str,
        _field(
            f"The headline, {TITLE_LENGTH[0]}–{TITLE_LENGTH[1]} characters.",
            "How we opened social media to every member of staff",
            min_length=TITLE_LENGTH[0],
            max_length=TITLE_LENGTH[1],
        ),
    ]
    description: Annotated[
        str,
        _field(
            f"One or two plain sentences, {DESCRIPTION_LENGTH[0]}–{DESCRIPTION_LENGTH[1]}"
            " characters, shown in feeds, search results and link previews.",
            "What happened when Monmouthshire County Council let every member of staff"
            " use social media at work.",
            min_length=DESCRIPTION_LENGTH[0],
            max_length=DESCRIPTION_LENGTH[1],
        ),
    ]
    date: Annotated[
        PostDate,
        _field(
            "Publication date as YYYY-MM-DD (or YYYY-MM-DD HH:MM:SS). A real calendar date,"
            " not in the future unless the post is a draft.",
            "2012-03-07",
        ),
    ]
    authors: Annotated[
        list[str],
        _field(
            "One or more author ids from docs/blog/.authors.yml.",
            ["helen-reynolds"],
            min_length=1,
        ),
    ]
    council: Annotated[str, _field("The council id from docs/blog/.councils.yml.", "monmouthshire")]
    categories: Annotated[
        list[str],
        _field(
            "Exactly one category: Guest posts or Case studies.",
            ["Case studies"],
            min_length=1,
            max_length=1,
        ),
    ]
    tags: Annotated[
        list[str],
        _field(
            f"{TAG_COUNT[0]}–{TAG_COUNT[1]} lowercase tags from docs/blog/.tags.yml. Add a new"
            " tag to that file in the same pull request.",
            ["social media", "staff access"],
            min_length=TAG_COUNT[0],
            max_length=TAG_COUNT[1],
        ),
    ]
    image: Annotated[
        str | None,
        _field(
            "A picture shown at the top of the post, and in link previews and feeds, as a path"
            " relative to the post.",
            "my-post/town-hall.png",
        ),
    ] = None
    image_alt: Annotated[
        str | None,
        _field("Alt text for image; required when image is set.", "The town hall at dusk"),
    ] = None
    image_credit: Annotated[
        str | None,
        _field(
            "Who made the image, and its licence; shown under it.", "Photo: Jo Bloggs, CC BY 4.0"
        ),
    ] = None
    original_url: Annotated[
        str | None,
        _field(
            "Where the post first appeared: an absolute http(s) address. The post says"
            " “First published on …”, linked there.",
            "https://example.org/2012/03/07/my-post/",
        ),
    ] = None
    original_site: Annotated[
        str | None,
        _field(
            "The name of the site it first appeared on, for “First published on …”"
            " (without it, the address's host is shown).",
            "We Love Local Government",
            max_length=120,
        ),
    ] = None
    comments: Annotated[
        bool, _field("Show the Comments section under the post (default true).", True)
    ] = True
    draft: Annotated[
        bool, _field("A draft is previewed but never published or put in a feed.", False)
    ] = False
    slug: Annotated[
        str | None,
        _field(
            "The last part of the post's address, if the title makes a poor one.", "open-access"
        ),
    ] = None
    updated: Annotated[
        PostDate | None,
        _field("The date of the last significant change, not before date.", "2012-04-01"),
    ] = None
    # Material for MkDocs' own post keys (not its related ``links``, which would put addresses
    # and titles on the page that no rule of the hub reads).
    pin: Annotated[
        bool, _field("Pin the post to the top of the blog index (Material).", False, officers=False)
    ] = False
    readtime: Annotated[
        int | None,
        _field("Reading time in minutes, if the estimate is wrong (Material).", 5, officers=False),
    ] = None
    search: Annotated[
        dict[str, Any] | None,
        _field("Search settings, e.g. {exclude: true} (Material).", {}, officers=False),
    ] = None
    hide: Annotated[
        list[str] | None,
        _field("Parts of the page to hide, e.g. [toc] (Material).", ["toc"], officers=False),
    ] = None


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    type: str
    description: str
    example: Any
    # Whether an officer sets it (the officers' guide lists only these).
    for_officers: bool = True


def _type_name(annotation: Any) -> str:
    text = str(annotation)
    for verbose, plain in (
        ("datetime.datetime | datetime.date", "date"),
        ("<class 'str'>", "text"),
        ("<class 'bool'>", "true or false"),
        ("<class 'int'>", "whole number"),
        ("list[str]", "list of text"),
        ("list[typing.Any]", "list"),
        ("dict[str, typing.Any]", "mapping"),
        ("str", "text"),
        ("bool", "true or false"),
        ("int", "whole number"),
    ):
        text = text.replace(verbose, plain)
    return text.replace(" | None", "").replace("typing.Optional", "")


def field_docs() -> list[FieldDoc]:
    docs = []
    for name, info in PostMeta.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        docs.append(
            FieldDoc(
                name=name,
                required=info.is_required(),
                type=_type_name(info.annotation),
                description=info.description or "",
                example=extra.get("example"),
                for_officers=bool(extra.get("officers", True)),
            )
        )
    return docs


def allowed_keys() -> list[str]:
    return list(PostMeta.model_fields)


def required_keys() -> list[str]:
    return [name for name, info in PostMeta.model_fields.items() if info.is_required()]
