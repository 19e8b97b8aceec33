"""The pre-commit hook: a commit with a broken post is stopped, with the checker's message."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_changed_posts import BROKEN_POST, git

from conftest import REPO, make_project, run_git

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The project in a git repository with the hooks installed, using the project's .venv."""
    project = make_project(tmp_path / "project")
    shutil.copy(REPO / ".pre-commit-config.yaml", project)
    shutil.copy(REPO / "pyproject.toml", project)
    (project / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    git(project, "init", "-q", "-b", "main")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=project, env=env, check=True, capture_output=True
    )
    return project


def commit_post(repo: Path, text: str) -> subprocess.CompletedProcess[str]:
    (repo / "docs/blog/posts/facebook-questions.md").write_text(text, encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml", "docs/blog/posts/facebook-questions.md")
    cache = str(repo.parent / "cache")
    return run_git(repo, "commit", "-m", "Add a post", check=False, PRE_COMMIT_HOME=cache)


def test_a_commit_with_a_broken_post_is_stopped_with_the_message(repo: Path) -> None:
    result = commit_post(repo, BROKEN_POST)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "docs/blog/posts/facebook-questions.md:7:10: PM008 unknown council 'narnia'" in output
    assert git(repo, "log", "--oneline", "--all") == ""


def test_a_commit_with_a_good_post_goes_through(repo: Path) -> None:
    good = BROKEN_POST.replace("narnia", "leeds").replace("socialmedia", "social media")
    result = commit_post(repo, good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"check posts\.+Passed", result.stdout + result.stderr)
    assert "Add a post" in git(repo, "log", "--oneline")
