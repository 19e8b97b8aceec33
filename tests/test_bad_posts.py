"""The bad-post corpus: each file in tests/bad_posts/ gets its expected code on its expected line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcouncils.content.posts import collect_posts
from socialcouncils.source.project import load_project

from conftest import assert_every_case_reported, make_project, run_script

CORPUS = Path(__file__).resolve().parent / "bad_posts"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text())
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project with the whole corpus as its posts."""
    project = make_project(tmp_path_factory.mktemp("corpus") / "project", posts={})
    for name in CASES:
        shutil.copy(CORPUS / name, project / "docs/blog/posts" / name)
    return project


def test_the_corpus_is_large_and_every_file_has_an_expectation() -> None:
    files = {p.name for p in CORPUS.glob("*.md")}
    assert len(CASES) >= 40
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_post_reports_its_code_on_its_line(corpus_project: Path, name: str) -> None:
    project = load_project(corpus_project / "mkdocs.yml")
    post_file = project.posts_dir / name
    collection = collect_posts(project, [post_file], today=TODAY)
    found = [(p.code, p.line) for p in collection.problems() if p.path.endswith(name)]
    expected = (CASES[name]["code"], CASES[name]["line"])
    assert expected in found, f"{name} ({CASES[name]['why']}): expected {expected}, got {found}"
    for problem in collection.problems():
        assert problem.path == f"docs/blog/posts/{name}"
        assert problem.hint, f"{problem.code} has no hint"
        assert problem.col >= 1


def test_command_reports_every_problem_in_every_file_in_one_run(corpus_project: Path) -> None:
    result = run_script("check_posts.py", "-f", "mkdocs.yml", cwd=corpus_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # The command judges the future by today's date; the unit test fixes it.
    assert_every_case_reported(
        result.stdout, {n: c for n, c in CASES.items() if c["code"] != "PM006"}
    )
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith("    hint: ")) == sum(
        1 for line in lines if line.startswith("docs/blog/posts/")
    )


# A post with many mistakes that do not depend on one another, each on its own line: one run of
# the check must report every one of them, at its line, once.
MANY_MISTAKES = """---
title: "Our pilot of Facebook groups for residents"
description: "Too short."
date: "2012-03-07"
authors:
  - helen-reynold
council: leed
categories:
  - Case study
tags:
  - facebok
---

We ran a pilot of Facebook groups for residents of three estates.

<!-- more -->

![A resident's post in the group](our-pilot/missing-screenshot.png)

<script>alert("hello")</script>
"""
MANY_EXPECTED = {
    ("PM004", 3),  # the description is too short
    ("PM005", 4),  # the date is quoted
    ("PM007", 6),  # an unknown author
    ("PM008", 7),  # an unknown council
    ("PM009", 9),  # an unknown category
    ("PM010", 11),  # an unknown tag
    ("IMG001", 18),  # a picture that is not there
    ("HTML001", 20),  # a script
}
# A tab in the front matter makes it unreadable, but the body is still checked.
TAB_IN_FRONT_MATTER = MANY_MISTAKES.replace("  - helen-reynold", "\t- helen-reynold")
TAB_EXPECTED = {("FM004", 6), ("IMG001", 18), ("HTML001", 20)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [(MANY_MISTAKES, MANY_EXPECTED), (TAB_IN_FRONT_MATTER, TAB_EXPECTED)],
    ids=["independent-mistakes", "tab-in-front-matter"],
)
def test_one_run_reports_every_independent_mistake_once_at_its_line(
    tmp_path: Path, text: str, expected: set[tuple[str, int]]
) -> None:
    project = make_project(tmp_path / "project", posts={"our-pilot.md": text})
    result = run_script(
        "check_posts.py", "-f", "mkdocs.yml", "docs/blog/posts/our-pilot.md", cwd=project
    )
    assert result.returncode == 1
    found = [
        (line.split(" ")[1], int(line.split(":")[1]))
        for line in result.stdout.splitlines()
        if line.startswith("docs/blog/posts/our-pilot.md:")
    ]
    assert expected <= set(found), result.stdout
    assert len(found) == len(set(found)), f"a problem reported twice:\n{result.stdout}"
    assert "Traceback" not in result.stdout + result.stderr
