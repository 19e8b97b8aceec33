"""What a reader sees around a post: the byline under its title and what search finds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from socialcouncils.content.reading_time import reading_minutes

from conftest import REPO, find_post_page, heading_text, make_project, post_meta, run_mkdocs_build

POST_FILES = sorted((REPO / "docs/blog/posts").glob("*.md"))
POSTS = [post_meta(p) for p in POST_FILES]
COUNCILS = yaml.safe_load((REPO / "docs/blog/.councils.yml").read_text())["councils"]
AUTHORS = yaml.safe_load((REPO / "docs/blog/.authors.yml").read_text())["authors"]


# -- Reading time ---------------------------------------------------------------------------------


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_reading_time_counts_words_at_the_given_pace() -> None:
    assert reading_minutes(words(1), 265) == 1
    assert reading_minutes(words(265), 265) == 1
    assert reading_minutes(words(266), 265) == 2
    assert reading_minutes(words(1000), 100) == 10


def test_reading_time_ignores_markup_nobody_reads() -> None:
    markup = (
        "<!-- more -->\n"
        '<div class="x" markdown>\n'
        "[a link](https://example.org/a/very/long/address/with/many/words/in/it)\n"
        "{ .md-button .md-button--primary }\n"
        '!!! note "Title"\n'
        "</div>\n"
    )
    # Only "a", "link" and "Title" are read.
    assert reading_minutes(words(262) + "\n" + markup, 265) == 1
    assert reading_minutes(words(263) + "\n" + markup, 265) == 2


def test_reading_time_adds_time_for_pictures() -> None:
    # 250 words take 57 s at 265 a minute; the first picture adds 12 s, the next 11 s.
    assert reading_minutes(words(250), 265) == 1
    assert reading_minutes(words(250) + "\n![a picture](a.png)", 265) == 2
    # Twenty pictures: 12 + 11 + ... + 4 (9 of them) + 3 for each other one = 72 + 33 = 105 s.
    pictures = "\n".join("![p](p.png)" for _ in range(20))
    assert reading_minutes(pictures, 265) == 2
    assert reading_minutes(words(66) + pictures, 265) == 3


# -- The byline -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", POSTS, ids=[p.stem for p in POST_FILES])
def test_byline_shows_author_role_council_date_reading_time_category_and_tags(
    built_site: Path, source: dict[str, Any]
) -> None:
    folder, doc = find_post_page(built_site, source["title"])
    (h1,) = doc.xpath("//article//h1")
    byline = h1.getnext()
    assert byline is not None and byline.get("class") == "hub-byline", (
        "byline is not under the title"
    )
    text = " ".join(byline.text_content().split())
    for author in source["authors"]:
        name, role = AUTHORS[author]["name"], AUTHORS[author]["role"]
        # A role the name already says is not said again (test_byline.py).
        said = name if role.casefold() in name.casefold() else f"{name}, {role}"
        assert said in text
    assert COUNCILS[source["council"]]["name"] in text
    assert byline.xpath(".//time/@datetime") == [source["date"].isoformat()]
    assert re.search(r"\b[1-9]\d* minute read\b", text), text
    assert source["categories"][0] in text
    tag_links = byline.xpath(".//p[@class='hub-byline__tags']/a")
    assert [a.text for a in tag_links] == source["tags"]
    for a in tag_links:
        target = (folder / a.get("href") / "index.html").resolve()
        assert target.is_file(), f"tag link {a.get('href')} goes nowhere"
        assert heading_text(lxml.html.parse(target).getroot()) == f"Posts tagged “{a.text}”"
    # The theme's own row of tags above the title is hidden, so tags are not listed twice.
    assert doc.xpath("//nav[@class='md-tags']") and not doc.xpath(
        "//nav[@class='md-tags'][not(@hidden)]"
    )


def test_reading_time_in_front_matter_wins(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    path = project / "docs/blog/posts/social-media-friendly.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("council: leeds\n", "council: leeds\nreadtime: 42\n", 1))
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    _, doc = find_post_page(build.site, "Social Media Friendly?")
    assert "42 minute read" in doc.xpath("string(//div[@class='hub-byline'])")


def test_reading_time_matches_the_post_length(built_site: Path) -> None:
    """The byline's figure is the same pace as the theme's: about 265 words a minute."""
    for source in POSTS:
        _, doc = find_post_page(built_site, source["title"])
        match = re.search(r"(\d+) minute read", doc.xpath("string(//div[@class='hub-byline'])"))
        assert match is not None
        shown = int(match[1])
        body = doc.xpath("//article//h2[@id='related-posts']/preceding-sibling::*")
        # The byline and the readers' archived responses are not the post's own words.
        read = " ".join(
            e.text_content() for e in body if e.get("class") not in ("hub-byline", "hub-responses")
        )
        count = len(re.findall(r"\w+", read))
        assert count / 265 - 1 <= shown <= count / 265 + 2, (source["title"], count, shown)


# -- Search ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_index(built_site: Path) -> list[dict[str, str]]:
    data = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return data["docs"]


def post_titles_matching(index: list[dict[str, str]], phrase: str) -> set[str]:
    """Titles of the post pages whose indexed text (any section) contains ``phrase``."""
    found = set()
    for doc in index:
        if not re.match(r"blog/\d{4}/\d\d/\d\d/[^/]+/", doc["location"]):
            continue
        text = lxml.html.fromstring(f"<div>{doc['title']} {doc['text']}</div>").text_content()
        if phrase.lower() in " ".join(text.split()).lower():
            page = doc["location"].split("#")[0]
            found.add(next(d["title"] for d in index if d["location"] == page))
    return found


def titles_with(key: str, value: str) -> set[str]:
    """Titles of the posts whose front matter ``key`` is, or lists, ``value``."""
    return {
        p["title"] for p in POSTS if value in (p[key] if isinstance(p[key], list) else [p[key]])
    }


def test_search_finds_posts_by_council_name(search_index: list[dict[str, str]]) -> None:
    for council_id, council in COUNCILS.items():
        expected = titles_with("council", council_id)
        assert post_titles_matching(search_index, council["name"]) >= expected
    assert post_titles_matching(search_index, "Monmouthshire County Council") == titles_with(
        "council", "monmouthshire"
    )


def test_search_finds_posts_by_author(search_index: list[dict[str, str]]) -> None:
    for author_id, author in AUTHORS.items():
        expected = titles_with("authors", author_id)
        assert post_titles_matching(search_index, author["name"]) >= expected
    assert post_titles_matching(search_index, "Jon King") == titles_with("authors", "jon-king")


def test_search_finds_posts_by_tag(search_index: list[dict[str, str]]) -> None:
    for tag in {t for p in POSTS for t in p["tags"]}:
        listed = {p["title"] for p in POSTS if tag in tags_in_index(search_index, p["title"])}
        assert listed == titles_with("tags", tag), tag


def tags_in_index(index: list[dict[str, str]], title: str) -> list[str]:
    """The tags listed in the indexed text of the post titled ``title``."""
    page = next(d for d in index if d["title"] == title and "#" not in d["location"])
    paragraphs = lxml.html.fromstring(f"<div>{page['text']}</div>").xpath("p/text()")
    lines = [p for p in paragraphs if p.startswith("Tags: ")]
    assert len(lines) == 1, f"{title}: no tags in the indexed text"
    return [t.strip() for t in lines[0].removeprefix("Tags: ").split(",")]


def test_related_posts_are_not_indexed(search_index: list[dict[str, str]]) -> None:
    """A post is found for what it is, not for the posts listed at its end."""
    assert not [d for d in search_index if d["location"].endswith("#related-posts")]
    pages = {d["title"]: d["location"] for d in search_index if "#" not in d["location"]}
    for source in POSTS:
        sections = [d for d in search_index if d["location"].startswith(pages[source["title"]])]
        others = [p["description"] for p in POSTS if p is not source]
        for section in sections:
            for description in others:
                assert description not in section["text"], (source["title"], description)


def test_lists_of_posts_are_not_indexed(search_index: list[dict[str, str]]) -> None:
    """A search finds each post on its own page, not again on every page that lists it: the home
    page, council pages and tag pages are found by their own words."""
    descriptions = [p["description"] for p in POSTS]
    lists = [
        d
        for d in search_index
        if d["location"] == "" or d["location"].startswith(("councils/", "tags/"))
    ]
    assert {d["location"].split("/")[0] for d in lists} == {"", "councils", "tags"}
    for doc in lists:
        for description in descriptions:
            assert description not in doc["text"], doc["location"]
    leeds = next(d for d in search_index if d["location"] == "councils/leeds/")
    assert leeds["title"] == "Leeds City Council"
