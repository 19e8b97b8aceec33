"""The built-site check: pictures in every page and feed, nothing loaded from another website,
and post content that passes the markup policy.

The real site must pass; small sites written here show each thing the check must catch, and
real builds show that the hook fails a strict build on what only the built pages reveal.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import lxml.etree
import pytest

from socialcouncils.problems import Problem
from socialcouncils.site.site_check import check_site
from socialcouncils.source.project import Project, load_project

from conftest import REPO, make_project, post_meta, run_mkdocs_build, run_script

SITE_URL = "https://socialcouncils.github.io/"
POST = "docs/blog/posts/a-post.md"
SOURCES = {"blog/2012/03/07/a-post/": POST}


def run_check_site(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return run_script("check_site.py", *args, cwd=cwd)


def codes(problems: list[Problem]) -> list[tuple[str, str, int]]:
    return sorted((p.path.removeprefix("site/"), p.code, p.line) for p in problems)


@pytest.fixture
def project() -> Project:
    return load_project(REPO / "mkdocs.yml")


def write(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page(head: str, content: str) -> str:
    """A page shaped like Material's: theme scripts and a search form around the content."""
    return "\n".join(
        [
            "<!doctype html>",
            "<html><head>",
            head,
            '<script src="../assets/javascripts/bundle.js"></script>',
            "</head><body>",
            '<form class="md-search__form"><input name="query"></form>',
            '<div class="md-content" data-md-component="content"><article>',
            content,
            "</article></div>",
            "<script>theme()</script>",
            "</body></html>",
        ]
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "index.html", page("", "<p>Home</p>"))
    (site / "blog").mkdir()
    (site / "blog" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return site


def test_real_site_passes_check_site(built_site: Path) -> None:
    result = run_check_site(str(built_site))
    assert result.returncode == 0, result.stdout + result.stderr
    checked = int(result.stdout.split()[1])
    assert checked >= 40, result.stdout


def test_real_posts_pass_check_posts() -> None:
    result = run_script("check_posts.py")
    assert result.returncode == 0, result.stdout + result.stderr
    posts = len(load_project(REPO / "mkdocs.yml").post_files())
    assert result.stdout.strip() == f"All {posts} file(s) passed."


def test_every_kind_of_page_picture_is_resolved(project: Project, site: Path) -> None:
    head = "\n".join(
        [
            f'<meta property="og:image" content="{SITE_URL}blog/missing-card.png">',
            '<meta name="twitter:image" content="https://cdn.example.org/card.png">',
            f'<meta property="og:image" content="{SITE_URL}blog/card.png">',
        ]
    )
    content = "\n".join(
        [
            '<img src="../../../../card.png" alt="A card">',
            '<img src="nope.png" alt="A missing card">',
            '<img src="data:image/png;base64,iVBORw0KGgo=" alt="A dot">',
            '<picture><source srcset="../../../../card.png 1x, gone@2x.png 2x">',
            '<img src="//cdn.example.org/x.png" alt="A picture"></picture>',
            '<img src="/blog/card.png" alt="From the root">',
        ]
    )
    write(site, "blog/2012/03/07/a-post/index.html", page(head, content))
    report = check_site(project, site, lambda: SOURCES)
    assert codes(report.problems) == [
        ("blog/2012/03/07/a-post/index.html", "HTML020", 14),
        ("blog/2012/03/07/a-post/index.html", "IMG040", 3),
        ("blog/2012/03/07/a-post/index.html", "IMG040", 11),
        ("blog/2012/03/07/a-post/index.html", "IMG040", 12),
        ("blog/2012/03/07/a-post/index.html", "IMG040", 13),
    ]
    messages = " ".join(p.message for p in report.problems)
    for url in ("missing-card.png", "nope.png", "data:image/png", "gone@2x.png", "//cdn"):
        assert url in messages
    assert all(p.message.endswith(f"(from {POST})") for p in report.problems)
    # A share card on another website is for the social network to fetch, not the reader.
    assert "cdn.example.org/card.png" not in messages
    assert report.files_checked == 2


def test_anything_a_page_loads_from_another_website_is_found(project: Project, site: Path) -> None:
    head = "\n".join(
        [
            '<link rel="stylesheet" href="https://fonts.example.org/font.css">',
            '<link rel="alternate" type="application/rss+xml" href="https://other.example.org/feed.xml">',
            '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
        ]
    )
    content = "\n".join(
        [
            '<video poster="//evil.example/poster.jpg"></video>',
            '<p style="background: url(https://evil.example/bg.png)">Styled</p>',
            '<svg><use href="https://evil.example/sprite.svg#a"></use></svg>',
            '<a href="https://other.example.org/">A link is the reader\'s choice</a>',
        ]
    )
    write(site, "blog/2012/03/07/a-post/index.html", page(head, content))
    report = check_site(project, site, lambda: SOURCES)
    loaded = sorted(
        (p.line, p.message.split("'")[1]) for p in report.problems if p.code == "HTML020"
    )
    assert loaded == [
        (3, "https://fonts.example.org/font.css"),
        (5, "https://evil.example/"),
        (10, "//evil.example/poster.jpg"),
        (11, "https://evil.example/bg.png"),
        (12, "https://evil.example/sprite.svg#a"),
    ]


def test_unsafe_markup_in_content_is_found_and_the_theme_is_not(
    project: Project, site: Path
) -> None:
    content = "\n".join(
        [
            '<p onclick="steal()">Click</p>',
            "<script>alert(1)</script>",
            '<a href="javascript:alert(1)">Read more</a>',
            '<iframe src="https://evil.example/"></iframe>',
        ]
    )
    write(site, "blog/2012/03/07/a-post/index.html", page("", content))
    report = check_site(project, site, lambda: SOURCES)
    assert [(p.code, p.line) for p in sorted(report.problems)] == [
        ("HTML005", 8),
        ("HTML001", 9),
        ("HTML006", 10),
        ("HTML020", 11),
    ]


def test_a_post_body_is_held_to_the_markup_policy(project: Project, site: Path) -> None:
    """What a post carries to its page is exactly what the policy allows, once the hub's own
    parts (an embed waiting for a click) are set aside."""
    body = "\n".join(
        [
            '<div class="hub-post-body">',
            '<p>Fine text with <strong>bold</strong> and a <a href="https://example.org">link</a>.</p>',
            '<p class="md-dialog">A theme class</p>',
            '<div class="hub-embed"><p><button data-hub-embed-src="x">Show</button></p></div>',
            '<p title="x" id="__config">Clobbering the theme settings</p>',
            "</div>",
        ]
    )
    write(site, "blog/2012/03/07/a-post/index.html", page("", body))
    report = check_site(project, site, lambda: SOURCES)
    assert [(p.code, p.line) for p in sorted(report.problems)] == [("HTML009", 10), ("HTML010", 12)]


def test_excerpt_pictures_are_traced_to_their_post(project: Project, site: Path) -> None:
    excerpt = "\n".join(
        [
            '<article class="md-post md-post--excerpt">',
            '<nav class="md-post__authors"><span class="md-author">',
            '<img src="avatars/nobody.svg" alt="Nobody"></span></nav>',
            '<div class="md-post__content md-typeset">',
            '<h2><a class="toclink" href="../../2012/03/07/a-post/">A post</a></h2>',
            '<img src="a-post/pier.png" alt="A pier">',
            "</div></article>",
        ]
    )
    write(site, "blog/category/case-studies/index.html", page("", excerpt))
    report = check_site(project, site, lambda: SOURCES)
    origins = sorted(p.message.rsplit("(from ", 1)[1] for p in report.problems)
    assert origins == ["docs/blog/.authors.yml)", f"{POST})"]


def test_rss_atom_and_json_feeds_are_checked(project: Project, site: Path) -> None:
    post_url = f"{SITE_URL}blog/2012/03/07/a-post/"
    description = '<p>Hi</p><img src="a-post/pier.png" alt="A pier"><script>x()</script>'
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Social Councils</title>
  <image><url>{SITE_URL}blog/card.png</url></image>
  <item>
    <title>A post</title>
    <link>{post_url}</link>
    <description>{description.replace("&", "&amp;").replace("<", "&lt;")}</description>
    <enclosure url="{SITE_URL}blog/a-post/cover.png" type="image/png" length="1"/>
    <media:thumbnail url="https://cdn.example.org/thumb.png"/>
  </item>
</channel>
</rss>
"""
    write(site, "feed_rss_created.xml", rss)
    atom = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <logo>logo.png</logo>
  <entry><link href="{post_url}"/>
    <content type="html">&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;</content>
  </entry>
</feed>
"""
    write(site, "atom.xml", atom)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Social Councils",
        "icon": None,
        "items": [
            {
                "url": post_url,
                "image": f"{SITE_URL}blog/card.png",
                "banner_image": "https://socialcouncils.github.io/blog/a-post/banner.png",
                "content_html": '<p onmouseover="x()">Hello</p>',
            }
        ],
    }
    write(site, "feed_json_created.json", json.dumps(feed, indent=1))
    # Not feeds: they are left alone even when they hold addresses.
    write(
        site,
        "sitemap.xml",
        f'<?xml version="1.0"?><urlset><url><loc>{SITE_URL}x</loc></url></urlset>',
    )
    write(site, "search/search_index.json", json.dumps({"docs": [{"location": "<script>"}]}))
    report = check_site(project, site, lambda: SOURCES)
    assert codes(report.problems) == [
        ("atom.xml", "HTML004", 5),
        ("atom.xml", "IMG041", 3),
        ("feed_json_created.json", "HTML005", 10),
        ("feed_json_created.json", "IMG040", 9),
        ("feed_rss_created.xml", "HTML001", 9),
        ("feed_rss_created.xml", "HTML020", 11),
        ("feed_rss_created.xml", "IMG040", 10),
        ("feed_rss_created.xml", "IMG041", 9),
    ]
    item_problems = [p for p in report.problems if "atom" not in p.path or p.code == "HTML004"]
    assert all(p.message.endswith(f"(from {POST})") for p in item_problems)
    assert report.files_checked == 5


def test_the_search_index_is_held_to_the_markup_policy(project: Project, site: Path) -> None:
    index = {
        "docs": [
            {
                "location": "blog/2012/03/07/a-post/",
                "title": "A <b>post</b>",
                "text": "<p>Fine</p>",
            },
            {
                "location": "blog/2012/03/07/a-post/#x",
                "title": "<img src=x onerror=alert(1)>",
                "text": '<p>Hi <a href="javascript:alert(2)">there</a></p>',
            },
        ]
    }
    write(site, "search/search_index.json", json.dumps(index))
    report = check_site(project, site, lambda: SOURCES)
    assert sorted(p.code for p in report.problems) == ["HTML005", "HTML006"]
    assert all(p.message.endswith(f"(from {POST})") for p in report.problems)


def test_a_site_without_feeds_passes(project: Project, site: Path) -> None:
    report = check_site(project, site)
    assert report.problems == []
    assert report.files_checked == 1


def test_check_site_command_exit_codes_and_formats(project: Project, site: Path) -> None:
    write(site, "about/index.html", page("", '<img src="missing.png" alt="A thing">'))
    result = run_check_site(str(site))
    assert result.returncode == 1
    assert "site/about/index.html:8:1: IMG040 the picture 'missing.png'" in result.stdout
    assert result.stdout.rstrip().endswith("1 problem in 1 of 2 file(s).")
    github = run_check_site(str(site), "--format", "github")
    assert github.stdout.startswith("::error file=")
    assert ",line=8,col=1,title=IMG040::" in github.stdout
    missing = run_check_site(str(site / "nowhere"))
    assert missing.returncode == 2
    assert "is not a built site" in missing.stderr


def test_a_page_is_checked_at_its_source_line_and_not_again_in_the_built_site(
    tmp_path: Path,
) -> None:
    """Pages other than posts are checked before the build, at their own lines; what they break
    in the built page is not reported a second time. The site check, run on its own after a
    lenient build, knows no sources and names the built page."""
    project = make_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + '\n<img src="team-photo.png" alt="The team">\n')
    line = about.read_text().splitlines().index('<img src="team-photo.png" alt="The team">') + 1
    build = run_mkdocs_build(project)
    assert build.returncode == 1
    warnings = [w for w in build.output.splitlines() if w.startswith("WARNING")]
    assert any(f"docs/about.md:{line}:" in w and " IMG001 " in w for w in warnings), build.output
    assert not any(" IMG040 " in w for w in warnings), build.output
    lenient = run_mkdocs_build(project, strict=False)
    assert lenient.returncode == 0, lenient.output
    again = run_check_site("-f", "mkdocs.yml", "site", cwd=project)
    assert again.returncode == 1
    assert "site/about/index.html:" in again.stdout and " IMG040 " in again.stdout


def test_real_feeds_from_the_rss_plugin_are_checked(tmp_path: Path) -> None:
    """mkdocs-rss-plugin's own RSS and JSON feeds: the check reports exactly the enclosure
    addresses that are not files in the built site (worked out here, independently)."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - tags:\n",
            "  - rss:\n      match_path: blog/posts/.*\n      use_git: false\n"
            "      date_from_meta:\n        as_creation: date\n      json_feed_enabled: true\n"
            "  - tags:\n",
            1,
        )
    )
    assert config.read_text().count("  - rss:") == 2
    build = run_mkdocs_build(project, strict=False)
    assert build.returncode == 0, build.output
    rss = build.site / "feed_rss_created.xml"
    assert rss.is_file()
    enclosures = lxml.etree.parse(str(rss)).xpath("//enclosure/@url")
    # One for each published post: its share card (socialcouncils.pages.share_cards).
    assert len(enclosures) == sum(
        1 for p in project.glob("docs/blog/posts/*.md") if not post_meta(p).get("draft")
    )
    missing = {
        str(url)
        for url in enclosures
        if not (build.site / str(url).removeprefix(SITE_URL)).is_file()
    }
    report = check_site(load_project(config), build.site)

    def reported(feed: str) -> set[str]:
        return {
            match.group(1)
            for p in report.problems
            if p.code == "IMG040" and p.path.endswith(feed)
            for match in [re.search(r"'(https?://[^']+)'", p.message)]
            if match
        }

    assert reported("feed_rss_created.xml") == missing
    assert reported("feed_json_created.json") == missing
