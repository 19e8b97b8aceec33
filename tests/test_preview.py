"""The one-post preview: builds only the named posts, renders them as the full build does."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import lxml.html
from lxml import etree

from conftest import REPO, fetch, heading_text, wait_until

PREVIEW = REPO / "scripts" / "preview.py"
POST = "docs/blog/posts/social-media-friendly.md"
POST_PAGE = "blog/2012/10/01/social-media-friendly/index.html"


def preview(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PREVIEW), "-f", "mkdocs.yml", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def article(html_file: Path) -> str:
    """A post's article, without its related posts: the preview holds only the posts it names,
    so it can list none of the others."""
    doc = lxml.html.fromstring(html_file.read_text(encoding="utf-8"))
    (node,) = doc.xpath("//article[contains(@class, 'md-content__inner')]")
    for related in node.xpath(
        ".//h2[@id='related-posts'] | .//h2[@id='related-posts']/following-sibling::div[1]"
    ):
        related.drop_tree()
    return lxml.html.tostring(node, encoding="unicode")


def test_preview_builds_only_the_named_post_and_what_it_needs(
    project_factory: Callable[..., Path], built_site: Path
) -> None:
    project = project_factory()
    site = project / "preview-site"
    result = preview(project, POST, "--build", str(site))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    built_posts = sorted(
        p.relative_to(site).as_posix() for p in (site / "blog").glob("[0-9]*/*/*/*/index.html")
    )
    assert built_posts == [POST_PAGE]
    # What mkdocs.yml leaves out of the site stays out of the preview too.
    assert not (site / "maintainers").exists()
    council = lxml.html.fromstring((site / "councils/leeds/index.html").read_text())
    assert [heading_text(h, ".") for h in council.xpath("//article[@class='hub-card']//h3")] == [
        "Social Media Friendly?"
    ]
    assert (site / "blog/author/phil-jewitt/index.html").is_file()
    assert (site / "blog/avatars/phil-jewitt.svg").is_file()
    assert article(site / POST_PAGE) == article(built_site / POST_PAGE)


def test_preview_brings_the_posts_pictures(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    site = project / "preview-site"
    post = "docs/blog/posts/the-benefits-of-open-access.md"
    result = preview(project, post, "--build", str(site))
    assert result.returncode == 0, result.stderr
    pictures = list(site.rglob("coventry-skyline.svg"))
    assert pictures, "the post's picture is missing from the preview"


def test_preview_reports_the_posts_problems(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    path = project / POST
    path.write_text(path.read_text().replace("council: leeds", "council: leds"))
    result = preview(project, POST, "--build", str(project / "preview-site"))
    assert "social-media-friendly.md:7:10: PM008 unknown council 'leds'" in result.stderr
    assert "did you mean 'leeds'?" in result.stderr


def test_preview_refuses_a_path_that_is_not_a_post(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    for path in ("README.md", "docs/about.md", "docs/blog/posts/no-such-post.md"):
        result = preview(project, path, "--build", str(project / "preview-site"))
        assert result.returncode == 2, path
        assert "preview: error:" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (project / "preview-site").exists()


def test_a_live_preview_rebuilds_on_save_and_its_feed_links_to_the_preview(
    project_factory: Callable[..., Path], tmp_path: Path
) -> None:
    project = project_factory()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = f"http://127.0.0.1:{port}/"
    page_url = site + POST_PAGE.removesuffix("index.html")
    log = tmp_path / "preview.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, str(PREVIEW), "-f", "mkdocs.yml", "--dev-addr", f"127.0.0.1:{port}", POST],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_until(lambda: fetch(page_url) is not None, 120), log.read_text()
            post = project / POST
            post.write_text(post.read_text(encoding="utf-8") + "\nAdded while previewing.\n")
            assert wait_until(lambda: "Added while previewing." in (fetch(page_url) or ""), 60)
            feed = fetch(site + "feed.xml")
            json_feed = fetch(site + "feed.json")
        finally:
            server.terminate()
            server.wait(timeout=30)
    said = log.read_text(encoding="utf-8")
    assert "WARNING" not in said, said
    # Only what the officer acts on: where the post is, and nothing of each rebuild.
    assert f"{POST}: {page_url}" in said, said
    assert "INFO" not in said and "/tmp/" not in said, said
    assert feed is not None
    # One item for the post, however often it was rebuilt, at the preview's own address.
    links = etree.fromstring(feed.encode("utf-8")).xpath("/rss/channel/item/link/text()")
    assert links == [page_url]
    assert json_feed is not None
    assert [item["url"] for item in json.loads(json_feed)["items"]] == [page_url]
