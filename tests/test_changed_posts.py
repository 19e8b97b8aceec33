"""The pull-request post check, run on real git branches the way the workflow runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_git

CHECK_CHANGED = REPO / "scripts" / "check_changed_posts.py"

# A new post with two mistakes at known places: the council on line 7 (from column 10) and a
# tag on line 11 (from column 5).
BROKEN_POST = """\
---
title: "How we answer questions on Facebook"
description: "How Leeds City Council answers residents' questions on Facebook, and what it learned."
date: 2012-05-01
authors:
  - phil-jewitt
council: narnia
categories:
  - Case studies
tags:
  - socialmedia
---

We answer every question within a working day.

<!-- more -->

## What we learned

Short answers work best.
"""


def git(repo: Path, *args: str) -> str:
    return run_git(repo, *args).stdout


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A clone of a repository holding the real project, on a new branch off origin/main."""
    origin = make_project(tmp_path / "origin")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "The site as it is on main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "new-post")
    return clone


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def check_changed(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK_CHANGED), "--config-file", "mkdocs.yml", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_broken_post_on_a_branch_gives_annotations_on_its_lines(branch: Path) -> None:
    (branch / "docs/blog/posts/facebook-questions.md").write_text(BROKEN_POST, encoding="utf-8")
    commit(branch, "Add a post")

    result = check_changed(branch, "--format", "github", "origin/main")

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "::error file=docs/blog/posts/facebook-questions.md,line=7,col=10,title=PM008::"
        "unknown council 'narnia' Hint: use an id from docs/blog/.councils.yml:"
        " coventry, leeds, monmouthshire, shropshire",
        "::error file=docs/blog/posts/facebook-questions.md,line=11,col=5,title=PM010::"
        "unknown tag 'socialmedia' Hint: did you mean 'social media'? use a tag from"
        " docs/blog/.tags.yml, or add 'socialmedia' there in the same pull request",
    ]
    assert "docs/blog/posts/facebook-questions.md" in result.stderr


def test_text_format_gives_the_same_problems_with_hints(branch: Path) -> None:
    (branch / "docs/blog/posts/facebook-questions.md").write_text(BROKEN_POST, encoding="utf-8")
    commit(branch, "Add a post")
    result = check_changed(branch, "origin/main")
    assert result.returncode == 1
    assert "docs/blog/posts/facebook-questions.md:7:10: PM008 unknown council 'narnia'" in (
        result.stdout
    )
    assert "    hint: did you mean 'social media'?" in result.stdout


def test_only_the_changed_posts_are_checked(branch: Path) -> None:
    origin = branch.parent / "origin"
    seed = origin / "docs/blog/posts/social-media-friendly.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("council: leeds", "council: narnia"))
    commit(origin, "A post on main breaks")
    git(branch, "pull", "-q", "--ff-only", "origin", "main")
    (branch / "docs/blog/posts/facebook-questions.md").write_text(
        BROKEN_POST.replace("council: narnia", "council: leeds").replace(
            "socialmedia", "social media"
        ),
        encoding="utf-8",
    )
    commit(branch, "Add a good post")

    result = check_changed(branch, "--format", "github", "origin/main")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "facebook-questions.md" in result.stderr
    assert "social-media-friendly.md" not in result.stderr


def test_a_branch_that_changes_no_post_passes_without_checking(branch: Path) -> None:
    (branch / "README.md").write_text("A change outside the posts.\n", encoding="utf-8")
    commit(branch, "Change something else")
    result = check_changed(branch, "--format", "github", "origin/main")
    assert (result.returncode, result.stdout) == (0, "")
    assert "No posts changed since origin/main." in result.stderr


def test_a_deleted_post_is_not_checked(branch: Path) -> None:
    (branch / "docs/blog/posts/social-media-friendly.md").unlink()
    commit(branch, "Remove a post")
    result = check_changed(branch, "--format", "github", "origin/main")
    assert (result.returncode, result.stdout) == (0, "")
    assert "No posts changed" in result.stderr


def test_a_new_picture_checks_the_post_beside_its_folder(branch: Path) -> None:
    folder = branch / "docs/blog/posts/social-media-friendly"
    folder.mkdir()
    (folder / "diagram.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    commit(branch, "Add a picture")
    result = check_changed(branch, "origin/main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs/blog/posts/social-media-friendly.md" in result.stderr


def test_a_post_in_a_subfolder_saved_as_markdown_is_checked(branch: Path) -> None:
    """MkDocs builds any Markdown ending anywhere under the posts folder, so each is a post."""
    post = branch / "docs/blog/posts/2012/facebook-questions.markdown"
    post.parent.mkdir()
    post.write_text(BROKEN_POST, encoding="utf-8")
    commit(branch, "Add a post in a folder of its year")

    result = check_changed(branch, "--format", "github", "origin/main")

    assert result.returncode == 1, result.stdout + result.stderr
    shown = "file=docs/blog/posts/2012/facebook-questions.markdown"
    assert f"::error {shown},line=7,col=10,title=PM008::" in result.stdout
    assert f"::error {shown},line=11,col=5,title=PM010::" in result.stdout


def test_a_new_picture_beside_a_post_in_a_subfolder_checks_that_post(branch: Path) -> None:
    origin = branch.parent / "origin"
    post = origin / "docs/blog/posts/2012/facebook-questions.md"
    post.parent.mkdir()
    post.write_text(BROKEN_POST, encoding="utf-8")
    commit(origin, "A post in a folder of its year, on main")
    git(branch, "pull", "-q", "--ff-only", "origin", "main")
    (branch / "docs/blog/posts/2012/facebook-questions").mkdir()
    (branch / "docs/blog/posts/2012/facebook-questions/chart.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'/>\n"
    )
    commit(branch, "Add a picture")

    result = check_changed(branch, "--format", "github", "origin/main")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "file=docs/blog/posts/2012/facebook-questions.md,line=7" in result.stdout


def test_a_changed_tags_file_checks_every_post(branch: Path) -> None:
    tags = branch / "docs/blog/.tags.yml"
    lines = tags.read_text(encoding="utf-8").splitlines(keepends=True)
    tags.write_text("".join(line for line in lines if not line.startswith("  yammer:")))
    commit(branch, "Retire the yammer tag")

    result = check_changed(branch, "--format", "github", "origin/main")

    assert result.returncode == 1
    assert "every post" in result.stderr
    flagged = [line for line in result.stdout.splitlines() if "unknown tag 'yammer'" in line]
    assert flagged, result.stdout
    assert all("title=PM010" in line and "file=docs/blog/posts/" in line for line in flagged)


def test_an_unknown_base_branch_is_a_usage_error(branch: Path) -> None:
    result = check_changed(branch, "origin/no-such-branch")
    assert result.returncode == 2
    assert "cannot compare this branch with origin/no-such-branch" in result.stderr
    assert "Traceback" not in result.stderr
