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
