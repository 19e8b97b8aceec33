"""The hub's steps run around an engine that runs no hooks, as commands (``hub-build-step``).

The project is built by MkDocs with its ``hooks:`` taken out, as Zensical would read it: the
step before writes the pages the hub makes, and the step after finishes the feeds and the search
index and checks the site. What those steps make must be there, and work.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from conftest import make_project, published_posts, run_mkdocs_build, run_script


def step(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_script("build_step.py", "-f", "mkdocs.yml", *args, cwd=project)


@pytest.fixture(scope="module")
def hookless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hookless") / "project")
    config = project / "mkdocs.yml"
    text, count = re.subn(
        r"^hooks:\n(?:  - .*\n)+", "", config.read_text(encoding="utf-8"), flags=re.M
    )
    assert count == 1
    config.write_text(text, encoding="utf-8")
    before = step(project, "before", "--pages-into", "docs")
    assert before.returncode == 0, before.stdout + before.stderr
    build = run_mkdocs_build(project, strict=False)
    assert build.returncode == 0, build.output
    after = step(project, "after", "site")
    assert after.returncode == 0, after.stdout + after.stderr
    return project / "site"


def test_the_step_before_writes_the_council_and_tag_pages(hookless: Path) -> None:
    councils = {meta["council"] for meta in published_posts().values()}
    for council in councils:
        page = lxml.html.parse(hookless / "councils" / council / "index.html").getroot()
        links = page.xpath("//article//a/@href")
        # Its list of posts links to posts of the built site.
        posts = [href for href in links if href.startswith("/blog/20")]
        assert posts, council
        for href in posts:
            assert (hookless / href.strip("/") / "index.html").is_file(), href
    assert list((hookless / "tags").glob("*/index.html"))


def test_the_step_after_cuts_a_feed_for_each_council(hookless: Path) -> None:
    by_council: dict[str, int] = {}
    for meta in published_posts().values():
        by_council[meta["council"]] = by_council.get(meta["council"], 0) + 1
    for council, count in by_council.items():
        feed = lxml.etree.parse(str(hookless / "councils" / council / "feed.xml"))
        items = feed.xpath("/rss/channel/item")
        assert len(items) == count, council
        # Full text, read back from each post's built page.
        content = "{http://purl.org/rss/1.0/modules/content/}encoded"
        assert all(len(item.findtext(content) or "") > 1000 for item in items), council


def test_the_step_after_leaves_no_markup_in_the_search_index(hookless: Path) -> None:
    index = json.loads((hookless / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["title"] for d in index["docs"] if "<script" in d["title"].lower()]


def test_the_step_before_fails_on_a_broken_post_at_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    post = next((project / "docs" / "blog" / "posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8").replace("council:", "councl:", 1))
    result = step(project, "before")
    assert result.returncode == 1
    shown = post.relative_to(project).as_posix()
    assert re.search(rf"^{re.escape(shown)}:\d+:\d+: PM002 ", result.stdout, re.M), result.stdout
