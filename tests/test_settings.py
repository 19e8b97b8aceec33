"""The hub's settings in mkdocs.yml: read once into typed models, every mistake at its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialcouncils.content.posts import collect_posts
from socialcouncils.source.project import load_project
from socialcouncils.source.settings import HubSettings

from conftest import edit_config, make_project, run_mkdocs_build


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_real_settings_are_read_without_a_problem() -> None:
    project = load_project()
    assert project.settings_problems == ()
    assert project.hub.feed_items == 20 and project.hub.related_posts == 3
    assert project.hub.trim_stylesheets and project.comments.editors_email


def test_a_mistyped_key_fails_the_build_at_its_line_with_a_did_you_mean(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("    feed_items: 20", "    feed_itmes: 5"))
    line = line_of(config, "feed_itmes")
    problems = load_project(config).settings_problems
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [
        ("mkdocs.yml", line, 5, "CFG001")
    ]
    assert "did you mean 'feed_items'?" in problems[0].hint
    build = run_mkdocs_build(project)
    assert build.returncode == 1
    assert f"mkdocs.yml:{line}:5: CFG001 'extra.hub.feed_itmes'" in build.output


def test_values_that_cannot_be_used_are_reported_and_fall_back_to_the_default(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project")

    def spoil(config: dict[str, Any]) -> None:
        config["extra"]["hub"]["feed_items"] = "twenty"
        config["extra"]["hub"]["embed_hosts"] = ["youtube-nocookie.com", "https://evil.example/"]
        config["extra"]["hub"]["councils_file"] = "../../etc/councils.yml"
        config["extra"]["comments"]["editors_email"] = 'x@y.org" onmouseover="alert(1)'
        config["extra"]["comments"]["giscus"]["repo"] = 'a/b" onload="alert(1)'
        config["extra"]["comments"]["giscus"]["colour"] = "red"

    edit_config(project, spoil)
    loaded = load_project(project / "mkdocs.yml")
    found = sorted((p.code, p.message.split("'")[1]) for p in loaded.settings_problems)
    assert found == [
        ("CFG001", "extra.comments.giscus.colour"),
        ("CFG002", "extra.comments.editors_email"),
        ("CFG002", "extra.comments.giscus.repo"),
        ("CFG002", "extra.hub.councils_file"),
        ("CFG002", "extra.hub.embed_hosts"),
        ("CFG002", "extra.hub.feed_items"),
    ]
    defaults = HubSettings()
    assert loaded.hub.feed_items == defaults.feed_items
    assert loaded.hub.councils_file == defaults.councils_file
    assert loaded.comments.editors_email == "" and loaded.comments.giscus.repo == ""
    # The check reports them too, so an officer's pull request shows them.
    codes = {p.code for p in collect_posts(loaded).problems()}
    assert {"CFG001", "CFG002"} <= codes
