"""The WordPress importer (scripts/import_wordpress.py) on exports of its own in tests/wordpress/:
the posts it writes, what it reports, that the hub's check and strict build agree, and that it
is safe to run again and safe on bad input."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from socialcouncils.site.browser import serve_directory, site_page
from socialcouncils.wordpress import redirects
from socialcouncils.wordpress.state import read_state

from conftest import REPO, make_project, post_meta, run_mkdocs_build, run_script

FIXTURES = Path(__file__).resolve().parent / "wordpress"
EXPORT = FIXTURES / "blog.xml"
MAPPING = FIXTURES / "mapping.yml"
PROBLEM_RE = re.compile(r"^(\S+?):(\d+):(\d+): (\w+) ", re.M)


def make_uploads(folder: Path) -> Path:
    """A copy of wp-content/uploads: an original too large for the site, its size variant, a PNG
    with transparency and a small JPEG."""
    (folder / "2012/03").mkdir(parents=True)
    (folder / "2012/06").mkdir(parents=True)
    noise = Image.effect_noise((3000, 2000), 80).convert("RGB")
    noise.save(folder / "2012/03/Town-Hall.jpg", quality=98)
    Image.new("RGB", (300, 200), (120, 80, 40)).save(folder / "2012/03/Town-Hall-300x200.jpg")
    Image.new("RGBA", (400, 300), (10, 200, 40, 128)).save(folder / "2012/06/market.png")
    Image.new("RGB", (400, 300), (200, 200, 40)).save(folder / "2012/06/stall-sign.jpg")
    return folder


def import_into(project: Path, export: Path = EXPORT, *extra: str, uploads: Path | None = None):
    args = [str(export), "--council", "monmouthshire", "-f", str(project / "mkdocs.yml")]
    args += ["--mapping", str(MAPPING)]
    if uploads is not None:
        args += ["--uploads", str(uploads)]
    return run_script("import_wordpress.py", *args, *extra, cwd=project)


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts[:1]
    }


def problems(output: str) -> set[tuple[str, str, str, str]]:
    return set(PROBLEM_RE.findall(output))


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, str, Path]:
    project = make_project(tmp_path / "project", posts={})
    uploads = make_uploads(tmp_path / "uploads")
    result = import_into(project, uploads=uploads)
    assert result.returncode == 1, result.stdout + result.stderr
    # No progress bar when the output is not a terminal.
    assert result.stderr == ""
    return project, result.stdout, uploads


def test_help() -> None:
    result = run_script("import_wordpress.py", "--help")
    assert result.returncode == 0
    assert "--council" in result.stdout and "WP010" in result.stdout


def test_the_posts_written(imported: tuple[Path, str, Path]) -> None:
    project, output, _ = imported
    posts = project / "docs/blog/posts"
    assert sorted(p.name for p in posts.glob("*.md")) == [
        "market-online.md",
        "opening-social-media.md",
    ]
    meta = post_meta(posts / "opening-social-media.md")
    assert meta["title"] == "Opening social media to every member of staff"
    assert str(meta["date"]) == "2012-03-07 09:30:00"
    assert meta["authors"] == ["helen-reynolds"]
    assert meta["council"] == "monmouthshire"
    assert meta["categories"] == ["Case studies"]
    assert meta["tags"] == ["social media", "staff access"]
    assert meta["image"] == "opening-social-media/town-hall.jpg"
    assert meta["image_alt"] == "The town hall in Usk at dusk"
    assert (
        meta["original_url"]
        == "https://blog.monmouthshire.example/2012/03/07/opening-social-media/"
    )
    assert meta["description"].startswith("In January we opened social media")
    body = (posts / "opening-social-media.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    blocks = body.strip().split("\n\n")
    assert blocks[1] == "<!-- more -->"
    assert (
        '<figure markdown="span">\n  ![The town hall in Usk at dusk](opening-social-media/town-hall.jpg)\n  <figcaption>The town hall, where it all began</figcaption>\n</figure>'
        in body
    )
    assert "## What we learnt" in body and "- Most people are **nice**." in body
    assert "Text about &lt;script&gt; tags stays text." in body
    assert "5 \\* 3 is still 15" in body
    market = post_meta(posts / "market-online.md")
    # 13:00 GMT in June is 14:00 in London, the site's time zone.
    assert str(market["date"]) == "2012-06-15 14:00:00"
    assert market["categories"] == ["Guest posts"]
    assert market["authors"] == ["gwen-price"]
    text = (posts / "market-online.md").read_text(encoding="utf-8")
    assert "wp:paragraph" not in text
    assert "![Stalls of the Saturday market in Abergavenny](market-online/market.png)" in text
    assert "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>" in text
    assert (
        "[Listen: https://blog.monmouthshire.example/wp-content/uploads/2012/06/interview.mp3]"
        in text
    )
    assert '`[contact-form-7 id="5" title="Tell us"]`' in text
    assert "Imported 2 post(s): 2 new, 0 updated, 0 unchanged." in output


def test_pictures_fit_the_rules(imported: tuple[Path, str, Path]) -> None:
    project, _, _ = imported
    folder = project / "docs/blog/posts/opening-social-media"
    assert [p.name for p in folder.iterdir()] == ["town-hall.jpg"]
    picture = folder / "town-hall.jpg"
    assert picture.stat().st_size <= 500 * 1024
    with Image.open(picture) as image:
        # The original, not the 300x200 variant the post showed, scaled down until it fits.
        assert image.format == "JPEG" and 300 < max(image.size) <= 2000
    assert sorted(p.name for p in (project / "docs/blog/posts/market-online").iterdir()) == [
        "market.png",
        "stall-sign.jpg",
    ]


def test_skipped_items_are_listed_with_their_reason(imported: tuple[Path, str, Path]) -> None:
    _, output, _ = imported
    for title, reason in (
        ("A draft post", "a draft"),
        ("A pending post", "waiting for review"),
        ("A private post", "private"),
        ("A protected post", "password-protected"),
        ("A scheduled post", "scheduled for the future"),
        ("A trashed post", "in the trash"),
        ("About us", "a page, not a post"),
        ("Home", "a menu entry"),
        ("Town hall photo", "an attachment"),
    ):
        assert f"“{title}”: {reason}" in output


def test_responses_file(imported: tuple[Path, str, Path]) -> None:
    project, _, _ = imported
    path = project / "docs/blog/posts/opening-social-media.responses.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Responses on the original blog")
    assert yaml.safe_load(text) == {
        "responses": [
            {
                "name": "Sarah Jones",
                "date": __import__("datetime").datetime(2012, 3, 8, 10, 15),
                "text": "Great post. The images aren't loading properly for me.",
                "replies": [
                    {
                        "name": "Helen Reynolds",
                        "date": __import__("datetime").datetime(2012, 3, 8, 12, 0),
                        "text": "Thanks, fixed now.",
                        "by_author": True,
                    }
                ],
            },
            {
                "name": "Mallory",
                "date": __import__("datetime").datetime(2012, 3, 9, 8, 0),
                "text": "Nice work, click.",
            },
        ],
        "pingbacks": [
            {
                "title": "Ten social media policies worth reading",
                "url": "https://example.org/2012/03/ten-policies/",
                "date": __import__("datetime").date(2012, 3, 10),
            }
        ],
    }
    assert not (project / "docs/blog/posts/market-online.responses.yml").exists()


def test_no_email_ip_or_hostile_markup_is_written(imported: tuple[Path, str, Path]) -> None:
    project, output, _ = imported
    written = [
        project / "docs/blog/posts/opening-social-media.md",
        project / "docs/blog/posts/opening-social-media.responses.yml",
        project / "docs/blog/posts/market-online.md",
        project / "docs/blog/.authors.yml",
        project / "docs/blog/.imported.yml",
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in written)
    for banned in (
        "@example.org",
        "192.0.2.",
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "steal()",
        "hunter2",
        "Buy now",
        "Not yet approved",
    ):
        assert banned not in text, banned
    assert "name: Gwen Price" in text
    # Removed markup is reported at its line in the export.
    assert re.search(r"blog\.xml:195:\d+: WP020 .*onclick", output)
    assert re.search(r"blog\.xml:195:\d+: WP020 .*<script>", output)
    assert re.search(r"blog\.xml:1:1: WP005 the author name", output)
    # ... and what a response lost, at the response's line.
    assert re.search(r"blog\.xml:114:1: WP020 .*<script>.*in a response to", output)
    assert re.search(r"blog\.xml:114:1: WP020 .*javascript:alert", output)
    assert re.search(r"blog\.xml:114:1: WP005 the name of a response", output)


def test_tags_not_in_the_tags_file_are_proposed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("categories: {}\n", encoding="utf-8")
    args = [str(EXPORT), "--council", "monmouthshire", "--mapping", str(mapping)]
    args += ["-f", str(project / "mkdocs.yml")]
    result = run_script(
        "import_wordpress.py", *args, "--uploads", str(make_uploads(tmp_path / "u")), cwd=project
    )
    assert "  staff: 1 post(s)" in result.stdout
    assert "staff" not in yaml.safe_load((project / "docs/blog/.tags.yml").read_text())["tags"]
    assert re.search(r"opening-social-media\.md:\d+:\d+: PM010 unknown tag 'staff'", result.stdout)


def test_the_check_reports_what_the_importer_reported(imported: tuple[Path, str, Path]) -> None:
    project, output, _ = imported
    check = run_script("check_posts.py", "-f", str(project / "mkdocs.yml"), cwd=project)
    assert check.returncode == 1
    checked = problems(check.stdout)
    assert checked == {("docs/blog/posts/market-online.md", "34", "5", "IMG006")}
    reported = problems(output)
    assert {p for p in reported if not p[3].startswith("WP")} == checked
    assert ("docs/blog/posts/market-online.md", "32", "1", "WP010") in reported


def test_strict_build_and_redirects(imported: tuple[Path, str, Path], browser: Any) -> None:
    project, _, _ = imported
    post = project / "docs/blog/posts/market-online.md"
    lines = post.read_text(encoding="utf-8").split("\n")
    assert lines[33] == "![](market-online/stall-sign.jpg)"
    lines[33] = "![A sign on a market stall](market-online/stall-sign.jpg)"
    post.write_text("\n".join(lines), encoding="utf-8")
    assert (
        run_script("check_posts.py", "-f", str(project / "mkdocs.yml"), cwd=project).returncode == 0
    )
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    for old, new in (
        ("2012/03/07/opening-social-media", "blog/2012/03/07/opening-social-media"),
        ("2012/06/15/market-online", "blog/2012/06/15/market-online"),
    ):
        page = (build.site / old / "index.html").read_text(encoding="utf-8")
        found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page)
        assert found is not None
        target = found.group(1)
        resolved = (build.site / old / target / "index.html").resolve()
        assert resolved == (build.site / new / "index.html").resolve() and resolved.exists()
    script = (build.site / "assets/javascripts/old-addresses.js").read_text(encoding="utf-8")
    assert '"100": "blog/2012/03/07/opening-social-media/"' in script
    assert (build.site / "blog/2012/03/07/opening-social-media/index.html").exists()
    assert "old-addresses.js" in (build.site / "404.html").read_text(encoding="utf-8")
    assert not list(build.site.rglob("*.responses.yml"))
    # The redirect pages pass the built-site check: nothing from another website.
    site_check = run_script("check_site.py", "-f", str(project / "mkdocs.yml"), str(build.site))
    assert site_check.returncode == 0, site_check.stdout + site_check.stderr
    # An old link by post id, on the 404 page, goes on to the post; nothing else is asked for.
    with (
        serve_directory(build.site) as url,
        site_page(browser, url, "404.html?p=100") as (page, requests),
    ):
        page.wait_for_url(f"{url}blog/2012/03/07/opening-social-media/", timeout=10_000)
        assert all(request.startswith(url) for request in requests.urls)
    with serve_directory(build.site) as url, site_page(browser, url, "404.html?p=999") as (page, _):
        assert page.url == f"{url}404.html?p=999"
    # A map that names another website or a script (written by hand, not by the importer): the
    # 404 page sends no one there.
    (build.site / "assets/javascripts/old-addresses.js").write_text(
        script.replace(
            '"100": "blog/2012/03/07/opening-social-media/"',
            '"100": "//evil.example/", "102": "javascript:document.title=\'ran\'"',
        ),
        encoding="utf-8",
    )
    for post_id in ("100", "102"):
        with (
            serve_directory(build.site) as url,
            site_page(browser, url, f"404.html?p={post_id}") as (page, requests),
        ):
            page.wait_for_timeout(500)
            assert page.url == f"{url}404.html?p={post_id}"
            assert page.title() != "ran"
            assert not [u for u in requests.urls if "evil.example" in u]


def test_same_export_again_changes_nothing(imported: tuple[Path, str, Path]) -> None:
    project, _, uploads = imported
    before = tree(project)
    again = import_into(project, uploads=uploads)
    assert "0 new, 0 updated, 2 unchanged" in again.stdout
    assert tree(project) == before


def test_edited_post_is_kept_and_force_replaces_it(imported: tuple[Path, str, Path]) -> None:
    project, _, uploads = imported
    post = project / "docs/blog/posts/opening-social-media.md"
    edited = post.read_text(encoding="utf-8").replace("Nobody could", "No one could")
    post.write_text(edited, encoding="utf-8")
    again = import_into(project, uploads=uploads)
    assert (
        "docs/blog/posts/opening-social-media.md:1:1: WP003 edited since it was imported"
        in again.stdout
    )
    assert post.read_text(encoding="utf-8") == edited
    forced = import_into(project, EXPORT, "--force", uploads=uploads)
    assert "1 updated" in forced.stdout
    assert "Nobody could" in post.read_text(encoding="utf-8")


def test_newer_export_updates_without_duplicates(
    imported: tuple[Path, str, Path], tmp_path: Path
) -> None:
    project, _, uploads = imported
    newer = tmp_path / "newer.xml"
    newer.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "Nobody could remember", "Nobody at all could remember"
        ),
        encoding="utf-8",
    )
    result = import_into(project, newer, uploads=uploads)
    assert "0 new, 1 updated, 1 unchanged" in result.stdout
    assert len(list((project / "docs/blog/posts").glob("*.md"))) == 2
    assert "Nobody at all" in (project / "docs/blog/posts/opening-social-media.md").read_text()
    assert len(yaml.safe_load((project / "docs/blog/.imported.yml").read_text())["posts"]) == 2


def test_wxr_1_1_reads_the_same(tmp_path: Path) -> None:
    old = tmp_path / "old.xml"
    old.write_text(
        EXPORT.read_text(encoding="utf-8")
        .replace("export/1.2/", "export/1.1/")
        .replace("<wp:wxr_version>1.2", "<wp:wxr_version>1.1"),
        encoding="utf-8",
    )
    project = make_project(tmp_path / "project", posts={})
    result = import_into(project, old, uploads=make_uploads(tmp_path / "uploads"))
    assert "2 new" in result.stdout, result.stdout + result.stderr


BAD_EXPORTS = {
    "malformed": "<rss><channel><item></channel></rss>",
    "truncated": EXPORT.read_text(encoding="utf-8")[:3000],
    "not-wxr": '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title></channel></rss>',
    "not-rss": '<?xml version="1.0"?><html><body>hello</body></html>',
    "no-posts": EXPORT.read_text(encoding="utf-8").replace(
        "<wp:post_type><![CDATA[post]]>", "<wp:post_type><![CDATA[page]]>"
    ),
    "billion-laughs": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><title>&c;</title></channel></rss>',
    "xxe": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title></channel></rss>',
    "empty": "",
}


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_bad_export_writes_nothing(case: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    export = tmp_path / f"{case}.xml"
    export.write_text(BAD_EXPORTS[case], encoding="utf-8")
    before = tree(project)
    result = import_into(project, export, uploads=make_uploads(tmp_path / "uploads"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.search(rf"{case}\.xml:\d+:\d+: WP001 ", result.stderr)
    assert "Traceback" not in result.stderr and "root:" not in result.stderr
    assert tree(project) == before


@pytest.mark.parametrize("problem", ["uploads", "council", "mapping"])
def test_bad_options_write_nothing(problem: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    before = tree(project)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(
        "categories:\n  News: Opinion\n" if problem == "mapping" else "{}\n", encoding="utf-8"
    )
    args = [str(EXPORT), "--council", "atlantis" if problem == "council" else "monmouthshire"]
    args += ["--uploads", str(tmp_path / ("missing" if problem == "uploads" else "u"))]
    args += ["--mapping", str(mapping), "-f", str(project / "mkdocs.yml")]
    make_uploads(tmp_path / "u")
    result = run_script("import_wordpress.py", *args, cwd=project)
    assert result.returncode == 2
    assert "WP002" in result.stderr and "Traceback" not in result.stderr
    assert tree(project) == before


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def old_site(tmp_path: Path) -> Iterator[str]:
    """The old blog's uploads served on 127.0.0.1, at the address path WordPress gives them."""
    root = tmp_path / "old-site"
    make_uploads(root / "wp-content/uploads")
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_online_downloads_pictures(old_site: str, tmp_path: Path) -> None:
    export = tmp_path / "online.xml"
    export.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "https://blog.monmouthshire.example/wp-content", f"{old_site}/wp-content"
        ),
        encoding="utf-8",
    )
    project = make_project(tmp_path / "project", posts={})
    result = import_into(project, export, "--online")
    assert "2 new" in result.stdout, result.stdout + result.stderr
    assert (project / "docs/blog/posts/opening-social-media/town-hall.jpg").exists()
    assert (project / "docs/blog/posts/market-online/stall-sign.jpg").exists()
    assert "WP030" not in result.stdout
    assert list((project / ".cache/wordpress").iterdir())


def test_hostile_export(tmp_path: Path) -> None:
    """Markup in a post, a response, an author's name, a title, a tag and a slug: what comes
    across is text, each removal is reported, the check agrees and the strict build passes."""
    project = make_project(tmp_path / "project", posts={})
    result = run_script(
        "import_wordpress.py",
        str(FIXTURES / "hostile.xml"),
        "--council",
        "leeds",
        "-f",
        str(project / "mkdocs.yml"),
        cwd=project,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    posts = project / "docs/blog/posts"
    assert sorted(p.name for p in posts.iterdir()) == ["etcpasswd.md", "etcpasswd.responses.yml"]
    meta = post_meta(posts / "etcpasswd.md")
    assert meta["title"] == "How we answer residents at night"
    assert meta["tags"] == ["twitter"]
    assert meta["original_site"] == "Blog"
    assert meta["authors"] == ["eve-bold-evans"]
    authors = yaml.safe_load((project / "docs/blog/.authors.yml").read_text(encoding="utf-8"))
    assert authors["authors"]["eve-bold-evans"]["name"] == "Eve Bold Evans"
    written = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (posts / "etcpasswd.md", posts / "etcpasswd.responses.yml")
    )
    for banned in ("<script", "<style", "<iframe", "<form", "onmouseover", "target=", "alert(6)"):
        assert banned not in written, banned
    assert "javascript:alert(4)" not in written and "data:image" not in written
    assert "[Picture: Tracker](https://evil.example/track.gif)" in written
    body = (posts / "etcpasswd.md").read_text(encoding="utf-8")
    assert "It started small." in body and "[a good one](https://example.org/)" in body
    replies = yaml.safe_load((posts / "etcpasswd.responses.yml").read_text(encoding="utf-8"))
    assert replies == {
        "responses": [
            {
                "date": __import__("datetime").datetime(2013, 5, 3, 8, 0),
                "text": "Nice post\n&amp; thanks.\nresponses: \\[\\]\n\\- name: injected\n",
            }
        ]
    }
    reported = problems(result.stdout)
    codes = sorted(code for *_rest, code in reported)
    assert codes.count("WP020") == 8 and codes.count("WP030") == 3
    assert {"WP005", "WP007", "WP010"} <= set(codes)
    check = run_script("check_posts.py", "-f", str(project / "mkdocs.yml"), cwd=project)
    assert check.returncode == 0, check.stdout
    assert {p for p in reported if not p[3].startswith("WP")} == problems(check.stdout) == set()
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    page = next(build.site.glob("blog/2013/05/02/*/index.html")).read_text(encoding="utf-8")
    # The [embed] shortcode is shown as code, as typed; nothing of the post can run.
    assert "<code>[embed]javascript:alert(3)[/embed]</code>" in page
    assert 'href="javascript' not in page and "evil.example/frame" not in page
    assert "onmouseover" not in page and "<style>body" not in page


def test_pictures_missing_from_the_uploads_are_left_for_a_person(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    result = import_into(project)
    assert result.returncode == 1
    assert (
        "docs/blog/posts/opening-social-media.md:1:1: WP030 the featured picture" in result.stdout
    )
    assert re.search(
        r"opening-social-media\.md:\d+:\d+: WP030 a picture could not be brought across: 2012/03/Town-Hall\.jpg is not in the uploads folder",
        result.stdout,
    )
    text = (project / "docs/blog/posts/opening-social-media.md").read_text(encoding="utf-8")
    assert (
        "[Picture: The town hall in Usk at dusk](https://blog.monmouthshire.example/wp-content/uploads/2012/03/Town-Hall-300x200.jpg)"
        in text
    )
    assert not (project / "docs/blog/posts/opening-social-media").exists()


def test_video_on_an_approved_host_is_embedded(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "embed_hosts: []", "embed_hosts: [youtube-nocookie.com]"
        ),
        encoding="utf-8",
    )
    import_into(project, uploads=make_uploads(tmp_path / "uploads"))
    text = (project / "docs/blog/posts/market-online.md").read_text(encoding="utf-8")
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text


def test_a_post_already_brought_across_by_hand_is_not_duplicated(tmp_path: Path) -> None:
    existing = (REPO / "docs/blog/posts/the-world-hasnt-ended.md").read_text(encoding="utf-8")
    by_hand = existing.replace(
        "council: monmouthshire\n",
        "council: monmouthshire\n"
        "original_url: https://blog.monmouthshire.example/2012/03/07/opening-social-media/\n",
    )
    project = make_project(tmp_path / "project", posts={"the-world-hasnt-ended.md": by_hand})
    result = import_into(project, uploads=make_uploads(tmp_path / "uploads"))
    assert "docs/blog/posts/the-world-hasnt-ended.md:1:1: WP004" in result.stdout
    assert not (project / "docs/blog/posts/opening-social-media.md").exists()
    assert (project / "docs/blog/posts/market-online.md").exists()


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    leader, follower = pty.openpty()
    command = [sys.executable, str(REPO / "scripts/import_wordpress.py"), str(EXPORT)]
    command += ["--council", "monmouthshire", "-f", str(project / "mkdocs.yml")]
    with os.fdopen(leader, "rb", buffering=0) as terminal:
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        seen = b""
        try:
            while chunk := terminal.read(1024):
                seen += chunk
        except OSError:  # the terminal closes when the command ends
            pass
        assert process.wait(timeout=120) == 1
    assert b"Importing" in seen and b"2/2" in seen


# docs/blog/.imported.yml is data a pull request can change: a file or address in it that is not
# the site's own is bad input, reported at its line, and nothing is written or deleted.
STATE = "docs/blog/.imported.yml"
OPENING = "https://blog.monmouthshire.example/2012/03/07/opening-social-media/"


def plant_state(project: Path, text: str) -> dict[str, str]:
    """``text`` as the project's state file; the project's files as they then are."""
    (project / STATE).write_text(text, encoding="utf-8")
    return tree(project)


def refused(project: Path, before: dict[str, str], where: str, message: str) -> str:
    """The import, stopped with ``message`` at ``where`` in the state file, having written
    nothing; its output."""
    result = import_into(project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{STATE}:{where}: WP008 {message}" in result.stderr, result.stderr
    assert "hint: restore this file from the project's history" in result.stderr
    assert "Nothing was imported." in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert tree(project) == before
    return result.stderr


@pytest.mark.parametrize("how", ["climbing out", "absolute", "backslashes", "through a link"])
def test_state_file_cannot_delete_a_file_outside_the_post(how: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    victim = tmp_path / "outside" / "rt-victim.txt"
    victim.parent.mkdir()
    victim.write_text("not the importer's\n", encoding="utf-8")
    name = {
        "climbing out": "../" * 20 + victim.relative_to("/").as_posix(),
        "absolute": str(victim),
        "backslashes": "blog/posts/" + "..\\" * 20 + "rt-victim.txt",
        "through a link": "blog/posts/opening-social-media/rt-victim.txt",
    }[how]
    if how == "through a link":
        (project / "docs/blog/posts/opening-social-media").symlink_to(victim.parent)
    # The post is in the export, and the file's hash is right: without the check, the run
    # takes the file for one the post no longer has, and deletes it.
    before = plant_state(
        project,
        "posts:\n"
        "  100:\n"
        "    file: blog/posts/opening-social-media.md\n"
        f"    permalink: {OPENING}\n"
        "    url: blog/2012/03/07/opening-social-media/\n"
        "    files:\n"
        f"      {json.dumps(name)}: {hashlib.sha256(victim.read_bytes()).hexdigest()[:32]}\n",
    )
    output = refused(project, before, "7:7", f"the file '{name[:40]}")
    assert "' of post 100 is not one of its own: it " in output
    assert victim.read_text(encoding="utf-8") == "not the importer's\n"


@pytest.mark.parametrize(
    "address",
    [
        "//evil.example/",
        "https://evil.example/",
        "javascript:alert(document.domain)",
        "/\\evil.example/",
        "/\t/evil.example/",
        'blog/"><script>alert(1)</script>/',
        "blog/../../../elsewhere/",
        "blog/%2e%2e/%2e%2e/elsewhere/",
    ],
)
def test_state_file_cannot_send_readers_to_another_site(address: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    before = plant_state(
        project,
        "posts:\n"
        "  999:\n"
        "    file: blog/posts/gone.md\n"
        "    permalink: https://blog.monmouthshire.example/?p=999\n"
        f"    url: {json.dumps(address)}\n",
    )
    output = refused(project, before, "5:10", "the address of post 999, '")
    assert "is not an address on this site: it " in output
    script = (project / "docs/assets/javascripts/old-addresses.js").read_text(encoding="utf-8")
    assert "999" not in script and "evil" not in script


@pytest.mark.parametrize(
    "file",
    [
        "../../../../../tmp/rt-evil.md",
        "/tmp/rt-evil.md",
        "blog/posts/../../../../tmp/rt-evil.md",
        "blog/posts/elsewhere/rt-evil.md",
        "blog/posts/rt-evil.txt",
        'blog/posts/"><script>.md',
    ],
)
def test_state_file_cannot_redirect_to_a_file_outside_the_posts(file: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", posts={})
    before = plant_state(
        project,
        "posts:\n"
        "  999:\n"
        f"    file: {json.dumps(file)}\n"
        "    permalink: https://blog.monmouthshire.example/2012/01/01/gone/\n"
        "    url: blog/2012/01/01/gone/\n",
    )
    refused(
        project, before, "3:11", f"the file of post 999, '{file}', is not a post of blog/posts/: "
    )
    assert "rt-evil" not in (project / "mkdocs.yml").read_text(encoding="utf-8")


def test_state_file_written_by_the_importer_is_read_back(imported: tuple[Path, str, Path]) -> None:
    project, _, _ = imported
    state = read_state(project / STATE, project / "docs", project / "docs/blog/posts", STATE).posts
    assert sorted(state) == ["100", "101"]
    assert state["100"].url == "blog/2012/03/07/opening-social-media/"
    assert "blog/posts/opening-social-media/town-hall.jpg" in state["100"].files


@pytest.mark.parametrize(
    "address",
    ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil", "a b/", ""],
)
def test_the_map_by_id_is_never_written_with_another_site(address: str, tmp_path: Path) -> None:
    script = tmp_path / "old-addresses.js"
    script.write_text("// wordpress:ids:start\n// wordpress:ids:end\n", encoding="utf-8")
    with pytest.raises(redirects.UnsafeValue):
        redirects.write_ids(script, {"999": address}, "old-addresses.js")
    written = redirects.write_ids(
        script, {"100": "blog/2012/03/07/a-post/", "101": "/blog/a/"}, "old-addresses.js"
    )
    assert 'const oldPostIds = {"100": "blog/2012/03/07/a-post/", "101": "/blog/a/"};' in written


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("2012/01/01/gone/index.md", "../../../../../tmp/rt-evil.md"),
        ("2012/01/01/gone/index.md", "/tmp/rt-evil.md"),
        ("2012/01/01/gone/index.md", "blog/posts/gone.html"),
        ("2012/01/01/gone/index.md", 'blog/posts/"><b>.md'),
        ("../../gone/index.md", "blog/posts/gone.md"),
    ],
)
def test_redirects_are_never_written_outside_the_site(
    source: str, target: str, tmp_path: Path
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "plugins:\n  - redirects:\n      # wordpress:redirects:start\n"
        "      redirect_maps: {}\n      # wordpress:redirects:end\n",
        encoding="utf-8",
    )
    with pytest.raises(redirects.UnsafeValue):
        redirects.write_redirects(config, {source: target}, "mkdocs.yml")
    written = redirects.write_redirects(
        config, {"2012/01/01/gone/index.md": "blog/posts/gone.md"}, "mkdocs.yml"
    )
    assert '        "2012/01/01/gone/index.md": "blog/posts/gone.md"\n' in written


def test_nothing_is_written_through_a_link_out_of_the_docs(tmp_path: Path) -> None:
    """A post's folder that is a link to elsewhere (a pull request can add one) is never
    written into."""
    project = make_project(tmp_path / "project", posts={})
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "docs/blog/posts/opening-social-media").symlink_to(outside)
    before = tree(project)
    result = import_into(project, uploads=make_uploads(tmp_path / "uploads"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "WP008 this file is outside the site's docs folder (a link leads out of it)"
        in result.stderr
    )
    assert list(outside.iterdir()) == []
    assert tree(project) == before
