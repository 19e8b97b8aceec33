"""ProperDocs builds the same site as MkDocs, and the comparison that says so can fail."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from socialcouncils.site.site_compare import compare_sites, without_build_stamps

from conftest import make_project, run_mkdocs_build, run_script

GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)"')


def generator(page: Path) -> str:
    found = GENERATOR.search(page.read_text(encoding="utf-8"))
    assert found, f"{page} names no generator"
    return found[1]


def test_properdocs_builds_the_same_site_as_mkdocs(built_site: Path, tmp_path: Path) -> None:
    build = run_mkdocs_build(make_project(tmp_path / "project"), engine="properdocs")
    assert build.returncode == 0, build.output
    # The hooks ran: the posts were checked and the council pages made.
    assert "Checked " in build.output and (build.site / "councils/index.html").is_file()
    assert generator(built_site / "index.html").startswith("mkdocs-1.")
    assert generator(build.site / "index.html").startswith("mkdocs-ProperDocs ")
    result = compare_sites(built_site, build.site)
    assert result.only_in_first == [] and result.only_in_second == []
    assert result.differences == []
    assert result.files_compared == len(list(p for p in built_site.rglob("*") if p.is_file()))


# -- What the comparison leaves out, and nothing more --------------------------------------------

PAGE = """<!doctype html>
<html><head>
<meta name="generator" content="{engine}">
<title>{title}</title>
</head><body><p>A page</p></body></html>
"""
FEED = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"><channel>
    <title>Social Councils</title>
    <pubDate>{built}</pubDate>
    <lastBuildDate>{built}</lastBuildDate>
    <item>
      <title>A post</title>
      <pubDate>{posted}</pubDate>
    </item>
</channel></rss>
"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset><url><loc>{loc}</loc><lastmod>{day}</lastmod></url></urlset>
"""


def write_site(
    root: Path,
    *,
    engine: str = "mkdocs-1.6.1",
    title: str = "Home",
    built: str = "Wed, 02 Dec 2026 15:27:08 -0000",
    posted: str = "Wed, 07 Mar 2012 00:00:00 -0000",
    loc: str = "https://example.org/",
    day: str = "2026-12-02",
    gzip_time: int = 0,
) -> Path:
    root.mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format(engine=engine, title=title))
    (root / "feed.xml").write_text(FEED.format(built=built, posted=posted))
    sitemap = SITEMAP.format(loc=loc, day=day).encode()
    (root / "sitemap.xml").write_bytes(sitemap)
    (root / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=gzip_time))
    return root


def differing_files(first: Path, second: Path) -> list[str]:
    return [d.path for d in compare_sites(first, second).differences]


def test_build_stamps_are_left_out(tmp_path: Path) -> None:
    first = write_site(tmp_path / "a")
    second = write_site(
        tmp_path / "b",
        engine="mkdocs-ProperDocs 1.6.7",
        built="Thu, 03 Dec 2026 09:00:00 -0000",
        day="2026-12-03",
        gzip_time=1_796_256_000,
    )
    assert (first / "index.html").read_bytes() != (second / "index.html").read_bytes()
    result = compare_sites(first, second)
    assert result.same and result.files_compared == 4


def test_everything_else_is_compared(tmp_path: Path) -> None:
    first = write_site(tmp_path / "first")
    for name, change in {
        "title": {"title": "Another"},
        "posted": {"posted": "Thu, 08 Mar 2012 00:00:00 -0000"},
        "loc": {"loc": "https://example.org/other/"},
    }.items():
        other = write_site(tmp_path / name, **change)  # type: ignore[arg-type]
        found = compare_sites(first, other).differences
        assert found, name
        if name == "title":
            assert [(d.path, d.line, d.first, d.second) for d in found] == [
                ("index.html", 4, "<title>Home</title>", "<title>Another</title>")
            ]
    assert differing_files(first, tmp_path / "posted") == ["feed.xml"]
    assert differing_files(first, tmp_path / "loc") == ["sitemap.xml", "sitemap.xml.gz"]
    extra = write_site(tmp_path / "extra")
    (extra / "more.html").write_text("<p>more</p>")
    result = compare_sites(first, extra)
    assert result.only_in_second == ["more.html"] and not result.same
    assert compare_sites(extra, first).only_in_first == ["more.html"]


def test_only_a_feed_channels_dates_are_build_stamps() -> None:
    feed = FEED.format(built="B", posted="P").encode()
    left = without_build_stamps("feed.xml", feed).decode()
    assert "<pubDate></pubDate>" in left and "<lastBuildDate></lastBuildDate>" in left
    assert "<pubDate>P</pubDate>" in left
    # A page that only quotes a feed's tags is compared as it is.
    quoted = b"<pre>&lt;pubDate&gt;B&lt;/pubDate&gt;</pre><pubDate>B</pubDate>"
    assert without_build_stamps("page.xml", quoted) == quoted


def test_the_command_says_whether_two_builds_are_the_same_site(tmp_path: Path) -> None:
    first = write_site(tmp_path / "first")
    same = write_site(tmp_path / "same", engine="mkdocs-ProperDocs 1.6.7")
    other = write_site(tmp_path / "other", title="Another")
    result = run_script("compare_sites.py", str(first), str(same))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same site: 4 file(s) compared" in result.stdout
    result = run_script("compare_sites.py", str(first), str(other))
    assert result.returncode == 1
    assert f"{first.as_posix()}/index.html:4: <title>Home</title>" in result.stdout
    assert f"{other.as_posix()}/index.html:4: <title>Another</title>" in result.stdout
    result = run_script("compare_sites.py", str(first), str(tmp_path / "missing"))
    assert result.returncode == 2 and "is not a built site" in result.stderr
    assert "Traceback" not in result.stderr
