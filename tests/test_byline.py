"""A post's byline reads as a sentence: "By Helen Reynolds, Communications officer (social media),
Monmouthshire County Council", never saying a role or a council twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lxml.html
import yaml

from conftest import REPO, find_post_page, run_mkdocs_build

AUTHORS = yaml.safe_load((REPO / "docs/blog/.authors.yml").read_text())["authors"]
COUNCILS = yaml.safe_load((REPO / "docs/blog/.councils.yml").read_text())["councils"]
HELEN = "‘The world hasn’t ended’: what happens when you give all staff access to social media"
OFFICER = "Overly cautious social media policies do more harm than good"


def who(doc: lxml.html.HtmlElement) -> str:
    (line,) = doc.xpath("//div[@class='hub-byline']/p[@class='hub-byline__who']")
    return " ".join(line.text_content().split())


def test_a_byline_names_the_author_their_role_and_council_once_each(built_site: Path) -> None:
    author, council = AUTHORS["helen-reynolds"], COUNCILS["monmouthshire"]
    doc = find_post_page(built_site, HELEN)[1]
    assert who(doc) == f"By {author['name']}, {author['role']}, {council['name']}"
    assert who(doc) == (
        "By Helen Reynolds, Communications officer (social media), Monmouthshire County Council"
    )


def test_a_name_that_says_the_role_and_council_is_not_followed_by_them(built_site: Path) -> None:
    doc = find_post_page(built_site, OFFICER)[1]
    assert who(doc) == "By A Monmouthshire County Council officer"


FIXTURE_AUTHORS = """
  sam-patel:
    name: Sam Patel
    description: Digital lead at Leeds City Council, writing about the council's Instagram.
    role: Digital lead, Leeds City Council
    council: leeds
    avatar: blog/avatars/phil-jewitt.svg
  leeds-web-team:
    name: Leeds web team
    description: The team that runs the council's website.
    role: Web team
    council: leeds
    avatar: blog/avatars/phil-jewitt.svg
"""

FIXTURE_POST = """---
title: "Two authors from Leeds on one post"
description: "A post by two authors, one whose role says the council and one whose name does."
date: 2012-11-05
authors:
  - {first}
  - {second}
council: leeds
categories:
  - Guest posts
tags:
  - leeds
---

Two of us wrote this post about the council's web pages and its social media accounts.

<!-- more -->

It has a second paragraph.
"""


def test_a_role_that_names_the_council_and_two_authors(
    project_factory: Callable[..., Path],
) -> None:
    project = project_factory()
    authors = project / "docs/blog/.authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + FIXTURE_AUTHORS, encoding="utf-8")
    posts = project / "docs/blog/posts"
    for name, first, second in [
        ("role-names-council.md", "sam-patel", "phil-jewitt"),
        ("name-says-council.md", "phil-jewitt", "leeds-web-team"),
    ]:
        text = FIXTURE_POST.format(first=first, second=second)
        if name.startswith("name"):
            text = text.replace("Two authors from Leeds", "Leeds and its web team")
        (posts / name).write_text(text, encoding="utf-8")
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    doc = find_post_page(build.site, "Two authors from Leeds on one post")[1]
    # The council is in Sam's role: it is not said again at the end.
    assert (
        who(doc) == "By Sam Patel, Digital lead, Leeds City Council; Phil Jewitt, Council officer"
    )
    doc = find_post_page(build.site, "Leeds and its web team on one post")[1]
    # The team's name says its role, and "Leeds", the council's short name.
    assert who(doc) == "By Phil Jewitt, Council officer; Leeds web team"
    names = [a.text for a in doc.xpath("//p[@class='hub-byline__who']/a")]
    assert names == ["Phil Jewitt", "Leeds web team"]
