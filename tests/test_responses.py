"""Readers' responses archived from a post's original blog (``<stem>.responses.yml``).

Each bad file of tests/bad_responses/ gets its code at its line, all in one run and in the strict
build; the seed posts show their responses, named, dated and nested; hostile names and texts
reach the page only as text or as the markup policy leaves them; the responses are on the post
page only, never in a feed item, an excerpt or the search index; and axe finds nothing wrong with
a post that has them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from test_changed_posts import branch, check_changed, commit  # noqa: F401 (a fixture)
from test_site_check import SOURCES, page, write

from socialcouncils.commands.check_changed_posts import ALL_POSTS, posts_to_check
from socialcouncils.content.posts import collect_posts
from socialcouncils.content.responses import RESPONSE_CODES, read_responses
from socialcouncils.pages.accessibility import AXE_RUNS, WCAG_TAGS
from socialcouncils.pages.responses_html import when
from socialcouncils.site.browser import axe_violations, describe_violations, site_page
from socialcouncils.site.site_check import check_site
from socialcouncils.source.project import load_project

from conftest import (
    REPO,
    assert_every_case_reported,
    find_post_page,
    make_project,
    run_mkdocs_build,
    run_script,
)

CORPUS = Path(__file__).resolve().parent / "bad_responses"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text())
TODAY = dt.date(2026, 11, 23)
ORPHAN = "no-post-beside.responses.yml"

WORLD = "‘The world hasn’t ended’: what happens when you give all staff access to social media"
FRIENDLY = "Social Media Friendly?"
# Words of the seed posts' responses that are in no post.
RESPONSE_WORDS = ("Kingsley Iball", "closed to new replies", "technophobs", "hub-response")

POST = """---
title: "{title}"
description: "A post from Leeds used to check the responses archived from its original blog."
date: 2012-12-03
authors:
  - phil-jewitt
council: leeds
categories:
  - Case studies
tags:
  - leeds
---

Leeds tried something new with its Twitter accounts this winter, and this post says what happened.

<!-- more -->

It has a second paragraph.
"""


def stem(name: str) -> str:
    return name.removesuffix(".responses.yml")


def post_text(title: str) -> str:
    return POST.format(title=title)


def section(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    found = doc.xpath("//section[@class='hub-responses']")
    assert len(found) == 1, "one section of archived responses"
    return found[0]


def meta(article: lxml.html.HtmlElement) -> str:
    return " ".join(article.xpath("string(./p[@class='hub-response__meta'])").split())


def names(items: list[lxml.html.HtmlElement]) -> list[str]:
    return [
        item.xpath("string(./article/p/span[@class='hub-response__name'])").strip()
        for item in items
    ]


# -- The bad files ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project with a post for each bad responses file (but the one with no post)."""
    posts = {
        f"{stem(name)}.md": post_text(f"Archived responses case {stem(name)}")
        for name in CASES
        if name != ORPHAN
    }
    project = make_project(tmp_path_factory.mktemp("responses") / "project", posts=posts)
    for name in CASES:
        shutil.copy(CORPUS / name, project / "docs/blog/posts" / name)
    return project


def test_every_bad_file_has_an_expectation_and_every_code_a_case() -> None:
    assert {p.name for p in CORPUS.glob("*.responses.yml")} == set(CASES)
    covered = {case["code"] for case in CASES.values()}
    assert set(RESPONSE_CODES) <= covered


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_reports_its_code_on_its_line_once(corpus_project: Path, name: str) -> None:
    project = load_project(corpus_project / "mkdocs.yml")
    posts = [] if name == ORPHAN else [project.posts_dir / f"{stem(name)}.md"]
    problems = [
        p
        for p in collect_posts(project, posts, today=TODAY).problems()
        if p.path == f"docs/blog/posts/{name}"
    ]
    found = [(p.code, p.line) for p in problems]
    expected = (CASES[name]["code"], CASES[name]["line"])
    assert expected in found, f"{name} ({CASES[name]['why']}): expected {expected}, got {found}"
    assert len({(p.line, p.col, p.code) for p in problems}) == len(problems), "each once"
    for problem in problems:
        assert problem.hint and problem.col >= 1


def test_one_run_of_the_check_reports_every_file(corpus_project: Path) -> None:
    result = run_script("check_posts.py", "-f", "mkdocs.yml", cwd=corpus_project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert_every_case_reported(result.stdout, CASES)
    lines = [line for line in result.stdout.splitlines() if line.startswith("docs/")]
    assert len(lines) == len(set(lines)), "a problem is reported once"
    hints = [line for line in result.stdout.splitlines() if line.startswith("    hint: ")]
    assert len(hints) == len(lines)
    assert "did you mean 'name'?" in result.stdout


def test_naming_a_responses_file_checks_it_with_its_post(corpus_project: Path) -> None:
    """As the pre-commit hook does when only a responses file changed."""
    shown = "docs/blog/posts/unknown-key.responses.yml"
    result = run_script("check_posts.py", "-f", "mkdocs.yml", shown, cwd=corpus_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{shown}:2:5: RSP004 'nmae' is not a key of a response" in result.stdout
    assert "missing-date.responses.yml" not in result.stdout


def test_the_strict_build_fails_on_every_file_at_its_line(corpus_project: Path) -> None:
    build = run_mkdocs_build(corpus_project)
    assert build.returncode != 0
    assert "Traceback" not in build.output
    assert_every_case_reported(build.output, CASES)


def test_a_good_file_reads_with_nesting_dates_and_pingbacks(tmp_path: Path) -> None:
    path = tmp_path / "post.responses.yml"
    path.write_text(
        "responses:\n"
        "  - name: Sarah Jones\n"
        "    date: 2012-03-08 10:15:00\n"
        "    text: |\n"
        "      Great post. The images aren't loading properly for me.\n"
        "    replies:\n"
        "      - name: Helen Reynolds\n"
        "        date: 2012-03-08 12:00:00\n"
        "        by_author: true\n"
        "        text: Thanks, fixed now.\n"
        "  - date: unknown\n"
        "    text: An undated response.\n"
        "pingbacks:\n"
        '  - title: "Ten social media policies worth reading"\n'
        "    url: https://example.org/2012/03/ten-policies/\n"
        "    date: 2012-03-10\n",
        encoding="utf-8",
    )
    archived = read_responses(path, "post.responses.yml", TODAY)
    assert archived.problems == []
    first, undated = archived.responses
    assert (first.name, first.date) == ("Sarah Jones", dt.datetime(2012, 3, 8, 10, 15))
    assert first.replies[0].by_author and first.replies[0].name == "Helen Reynolds"
    assert undated.date is None and undated.name == ""
    assert archived.pingbacks[0].url == "https://example.org/2012/03/ten-policies/"
    assert archived.count() == 3
    assert when(first.date) == '<time datetime="2012-03-08T10:15:00">8 March 2012 at 10:15am</time>'


# -- The seed posts ------------------------------------------------------------------------------


def test_the_world_hasnt_ended_shows_its_seventeen_dated_responses(built_site: Path) -> None:
    _, doc = find_post_page(built_site, WORLD)
    shown = section(doc)
    assert (
        shown.xpath("string(./h2[@id='responses'])")
        .strip()
        .startswith("Responses on the original blog")
    )
    note = shown.xpath("string(./p[@class='hub-responses__note'])")
    assert "left on the original blog" in note and "closed to new replies" in note
    items = shown.xpath("./ol[@class='hub-responses__list']/li")
    assert len(items) == 17
    assert set(names(items)) == {"A reader"}
    times = [item.xpath("./article/p/time")[0] for item in items]
    assert times[0].get("datetime") == "2012-03-07T06:42:00"
    assert times[0].text_content() == "7 March 2012 at 6:42am"
    assert times[-1].get("datetime") == "2014-01-05T00:46:00"
    assert times[-1].text_content() == "5 January 2014 at 12:46am"
    texts = [" ".join(item.xpath("string(.//div)").split()) for item in items]
    assert texts[2] == (
        "If you’re good, your reputation usually takes care of itself << We believe this too be"
        " true too."
    )
    assert "a few of the images aren’t loading properly" in texts[15]
    assert texts[12].startswith("Reblogged this on Digital Monmouthshire and commented:")
    assert "not reproduced here" not in doc.text_content()


def test_social_media_friendly_nests_the_authors_replies(built_site: Path) -> None:
    _, doc = find_post_page(built_site, FRIENDLY)
    shown = section(doc)
    items = shown.xpath("./ol[@class='hub-responses__list']/li")
    assert names(items) == ["A reader", "A reader", "Kingsley Iball", "A reader", "Fiona"]
    replies = {
        names([item])[0] + str(index): item.xpath("./article/ol[@class='hub-response__replies']/li")
        for index, item in enumerate(items)
    }
    assert [len(r) for r in replies.values()] == [1, 1, 0, 0, 1]
    for reply in [r for found in replies.values() for r in found]:
        assert names([reply]) == ["Phil Jewitt"]
        assert "(the post’s author)" in meta(reply.xpath("./article")[0])
        assert "hub-response--by-author" in reply.xpath("./article")[0].get("class")
    fiona_reply = replies["Fiona4"][0].xpath("string(.//div)")
    assert fiona_reply.strip().startswith("Thanks for the response Fiona.")
    # The archive shows no dates for this post: each says so, and none is made up.
    assert not shown.xpath(".//time")
    assert all(meta(a).endswith("· undated") for a in shown.xpath(".//article"))
    assert "not reproduced here" not in doc.text_content()


def test_the_responses_follow_the_body_before_related_posts_and_comments(
    built_site: Path,
) -> None:
    for title in (WORLD, FRIENDLY):
        _, doc = find_post_page(built_site, title)
        order = [
            e.get("class") or e.get("id")
            for e in doc.xpath("//article//*[@class='hub-post-body']/following-sibling::*")
        ]
        assert order[0] == "hub-responses", (title, order)
        assert order.index("hub-comments") > order.index("hub-responses")


def test_the_responses_are_on_the_post_pages_only(built_site: Path) -> None:
    """Not in feed items, excerpts in lists, the search index, or as a file of the site."""
    assert not list(built_site.rglob("*.responses.yml"))
    for feed in ("feed.xml", "feed.json"):
        text = (built_site / feed).read_text(encoding="utf-8")
        if feed.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        for words in RESPONSE_WORDS:
            assert words not in text, (feed, words)
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for words in RESPONSE_WORDS:
        assert words not in json.dumps(json.loads(index), ensure_ascii=False)
    post_pages = {
        find_post_page(built_site, title)[0] / "index.html" for title in (WORLD, FRIENDLY)
    }
    lists = [p for p in built_site.rglob("*.html") if p not in post_pages]
    assert any("md-post--excerpt" in p.read_text(encoding="utf-8") for p in lists)
    for listing in lists:
        text = listing.read_text(encoding="utf-8")
        assert not [w for w in RESPONSE_WORDS if w in text], listing


# -- Hostile responses ----------------------------------------------------------------------------

HOSTILE_TITLE = "A post from Leeds whose archived responses are hostile"
HOSTILE = """responses:
  - name: "<script>alert('name')</script> Sarah <img src=x onerror=alert(2)>"
    date: 2012-03-08
    text: |
      Hello <script>alert('text')</script> there.

      <img src="x.png" onerror="alert(3)" alt="x">

      <base href="https://evil.example/">

      A [link](javascript:alert(4)) and **bold** words.
    replies:
      - name: "<base href=https://evil.example/>"
        date: 2012-03-09
        text: A reply.
pingbacks:
  - title: "<img src=x onerror=alert(5)>"
    url: https://example.org/linked-here/?a=1&b=2
"""


def test_hostile_names_and_texts_reach_the_page_only_as_text(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "project",
        posts={
            "hostile.md": post_text(HOSTILE_TITLE),
            "hostile.responses.yml": HOSTILE,
        },
    )
    strict = run_mkdocs_build(project)
    assert strict.returncode != 0
    for code, line in (("RSP011", 2), ("HTML001", 5), ("HTML005", 7), ("HTML007", 9)):
        assert f"docs/blog/posts/hostile.responses.yml:{line}:" in strict.output
        assert any(
            f"hostile.responses.yml:{line}:" in out and f" {code} " in out
            for out in strict.output.splitlines()
        ), (code, line)
    lenient = run_mkdocs_build(project, strict=False)
    assert lenient.returncode == 0, lenient.output
    _, doc = find_post_page(lenient.site, HOSTILE_TITLE)
    shown = section(doc)
    first = shown.xpath("./ol/li/article")[0]
    assert names(shown.xpath("./ol/li")) == [
        "<script>alert('name')</script> Sarah <img src=x onerror=alert(2)>"
    ]
    assert names(first.xpath("./ol/li")) == ["<base href=https://evil.example/>"]
    assert " ".join(first.xpath("string(./div)").split()).startswith("Hello there.")
    assert first.xpath(".//strong")[0].text == "bold"
    assert not doc.xpath("//script[contains(., 'alert')]")
    assert not doc.xpath("//*[@onerror]") and not doc.xpath("//base")
    assert not doc.xpath("//a[starts-with(@href, 'javascript:')]")
    # The picture is reported (RSP012); a lenient build shows it as the policy leaves it.
    assert [dict(img.attrib) for img in shown.xpath(".//img")] == [{"src": "x.png", "alt": "x"}]
    link = shown.xpath(".//ul[@class='hub-responses__links']/li/a")[0]
    assert link.text == "<img src=x onerror=alert(5)>"


def test_the_site_check_holds_each_response_text_to_the_policy(tmp_path: Path) -> None:
    """A response's text on a built page is post content: the site check judges it too."""
    site = tmp_path / "site"
    responses = "\n".join(
        [
            '<section class="hub-responses" aria-labelledby="responses">',
            '<h2 id="responses">Responses on the original blog</h2>',
            '<ol class="hub-responses__list"><li><article class="hub-response">',
            '<div class="hub-response__text"><p class="md-dialog">A theme class</p></div>',
            "</article></li></ol></section>",
        ]
    )
    write(site, "blog/2012/03/07/a-post/index.html", page("", responses))
    report = check_site(load_project(REPO / "mkdocs.yml"), site, lambda: SOURCES)
    assert [(p.code, p.line) for p in sorted(report.problems)] == [("HTML009", 11)]


def test_a_responses_file_that_is_a_link_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("responses:\n  - date: 2012-03-08\n    text: A secret from elsewhere\n")
    project = make_project(tmp_path / "project", posts={"linked.md": post_text(HOSTILE_TITLE)})
    (project / "docs/blog/posts/linked.responses.yml").symlink_to(secret)
    strict = run_mkdocs_build(project)
    assert strict.returncode != 0
    assert "docs/blog/posts/linked.responses.yml:1:1: FILE001" in strict.output
    lenient = run_mkdocs_build(project, strict=False)
    assert lenient.returncode == 0, lenient.output
    assert (
        "A secret from elsewhere"
        not in find_post_page(lenient.site, HOSTILE_TITLE)[1].text_content()
    )


# -- The changed-posts check ----------------------------------------------------------------------


def test_a_changed_responses_file_checks_its_post() -> None:
    project = load_project(REPO / "mkdocs.yml")
    posts = project.posts_dir
    changed = [posts / "social-media-friendly.responses.yml"]
    assert posts_to_check(project, changed) == [posts / "social-media-friendly.md"]
    assert posts_to_check(project, [posts / "no-such-post.responses.yml"]) is ALL_POSTS


def test_a_broken_responses_file_on_a_branch_is_annotated_at_its_line(
    branch: Path,  # noqa: F811 (the fixture)
) -> None:
    path = branch / "docs/blog/posts/social-media-friendly.responses.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - name: Kingsley Iball", "  - nmae: Kingsley"),
        encoding="utf-8",
    )
    commit(branch, "Change a responses file")
    result = check_changed(branch, "--format", "github", "origin/main")
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "nmae:" in text
    )
    assert (
        f"::error file=docs/blog/posts/social-media-friendly.responses.yml,line={line},col=5,"
        "title=RSP004::'nmae' is not a key of a response Hint: did you mean 'name'?"
    ) in result.stdout
    assert "docs/blog/posts/social-media-friendly.md" in result.stderr


# -- In the browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "width"), AXE_RUNS, ids=[f"{s}-{w}" for s, w in AXE_RUNS])
@pytest.mark.parametrize("title", [WORLD, FRIENDLY], ids=["world-hasnt-ended", "friendly"])
def test_axe_finds_no_violations_on_a_post_with_responses(
    browser: Any, site_url: str, built_site: Path, title: str, scheme: str, width: int
) -> None:
    folder, _ = find_post_page(built_site, title)
    path = folder.relative_to(built_site).as_posix() + "/"
    with site_page(browser, site_url, path, scheme=scheme, width=width) as (page, requests):
        assert page.locator("section.hub-responses article").count() > 0
        violations = axe_violations(page, WCAG_TAGS)
        assert not violations, describe_violations(violations)
        assert all(url.startswith(site_url) for url in requests.urls)
