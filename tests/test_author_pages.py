"""Each author's page (the blog's profile, /blog/author/<id>/) says who they are: picture, role,
council and what the authors file says of them, all as text, the picture from this site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import REPO, heading_text, post_meta, run_mkdocs_build

AUTHORS = yaml.safe_load((REPO / "docs/blog/.authors.yml").read_text())["authors"]
COUNCILS = yaml.safe_load((REPO / "docs/blog/.councils.yml").read_text())["councils"]
# Authors of published posts: the blog gives only them a page.
WRITING = sorted(
    {
        author
        for path in (REPO / "docs/blog/posts").glob("*.md")
        if not (meta := post_meta(path)).get("draft")
        for author in meta["authors"]
    }
)


def author_page(site: Path, author_id: str) -> lxml.html.HtmlElement:
    path = site / "blog" / "author" / author_id / "index.html"
    assert path.is_file(), f"no page for {author_id}"
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def about(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    (h1,) = doc.xpath("//div[@class='md-content']//h1")
    found = h1.getnext()
    assert found is not None and found.get("class") == "hub-author", "nothing under the name"
    return found


@pytest.mark.parametrize("author_id", WRITING)
def test_an_author_page_shows_picture_role_and_council(built_site: Path, author_id: str) -> None:
    author = AUTHORS[author_id]
    folder = built_site / "blog" / "author" / author_id
    doc = author_page(built_site, author_id)
    assert heading_text(doc) == author["name"]
    block = about(doc)
    (img,) = block.xpath(".//img")
    picture = (folder / img.get("src")).resolve()
    assert picture.read_bytes() == (REPO / "docs" / author["avatar"]).read_bytes()
    assert img.get("alt") == "", "the name beside it says who it is"
    role = " ".join(block.xpath("string(.//p[@class='hub-author__role'])").split())
    council = COUNCILS[author["council"]]
    assert role == f"{author['role']}, {council['name']}"
    (link,) = block.xpath(".//a")
    linked = lxml.html.parse(folder / link.get("href") / "index.html").getroot()
    assert heading_text(linked) == council["name"]


BIO = "Writes about <b>councils</b> & their Twitter accounts"


def test_a_bio_is_shown_as_text_and_a_remote_picture_never(
    project_factory: Callable[..., Path],
) -> None:
    project = project_factory()
    path = project / "docs/blog/.authors.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["authors"]["helen-reynolds"]["description"] = BIO
    data["authors"]["jon-king"]["description"] = "Writes about Yammer and the intranet."
    data["authors"]["jon-king"]["avatar"] = "https://example.org/jon-king.png"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # The check reports both (PT and IMG codes); a lenient build still makes safe pages.
    build = run_mkdocs_build(project, strict=False)
    assert build.returncode == 0, build.output
    block = about(author_page(build.site, "helen-reynolds"))
    (bio,) = block.xpath(".//p[@class='hub-author__about']")
    assert bio.text_content() == BIO
    assert not block.xpath(".//b")
    jon = about(author_page(build.site, "jon-king"))
    assert jon.xpath("string(.//p[@class='hub-author__about'])") == (
        "Writes about Yammer and the intranet."
    )
    page = (build.site / "blog/author/jon-king/index.html").read_text(encoding="utf-8")
    assert "example.org" not in page
    assert not jon.xpath(".//img")
