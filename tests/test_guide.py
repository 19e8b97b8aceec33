"""CONTRIBUTING.md and the GitHub forms: in step with the schema, the checks and the site."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from socialcouncils.commands.guide import PARTS, generated_part, post_template
from socialcouncils.content.catalogue import load_catalogue
from socialcouncils.content.posts import collect_posts
from socialcouncils.content.schema import allowed_keys, field_docs, required_keys
from socialcouncils.problems import format_report
from socialcouncils.source.project import load_project

from conftest import REPO, make_project, run_mkdocs_build

GUIDE_FILE = REPO / "CONTRIBUTING.md"
GUIDE = GUIDE_FILE.read_text(encoding="utf-8")
UPDATE_GUIDE = REPO / "scripts" / "update_guide.py"
BAD_POSTS = REPO / "tests" / "bad_posts"
PROJECT = load_project()
EXAMPLE = re.compile(
    r"```text\n(docs/blog/posts/(?P<name>[^:\s]+\.md):\d+:\d+: [A-Z]+\d{3} .*\n    hint: .*)\n```"
)


def update_guide(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(UPDATE_GUIDE), *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("name", sorted(PARTS))
def test_generated_part_of_the_guide_matches_the_code(name: str) -> None:
    assert generated_part(GUIDE, name) == PARTS[name](), "run 'make guide'"


def test_field_table_has_every_schema_key_once_with_required_ones_marked() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (\*\*required\*\*|optional) \|", GUIDE, re.MULTILINE)
    assert [key for key, _ in rows] == allowed_keys()
    assert [key for key, needed in rows if needed == "**required**"] == required_keys()
    for doc in field_docs():
        assert doc.description in GUIDE


def edited_guide(folder: Path, old: str, new: str) -> Path:
    """A copy of the guide with one edit, for the update command to work on."""
    assert old in GUIDE
    guide = folder / "CONTRIBUTING.md"
    guide.write_text(GUIDE.replace(old, new), encoding="utf-8")
    return guide


def test_a_stale_guide_fails_the_check_and_is_rewritten(tmp_path: Path) -> None:
    guide = edited_guide(tmp_path, "| `title` | **required** |", "| `title` | optional |")
    stale = update_guide("--check", "--guide", str(guide))
    assert stale.returncode == 1
    assert "make guide" in stale.stderr
    assert update_guide("--guide", str(guide)).returncode == 0
    assert guide.read_text() == GUIDE
    assert update_guide("--check", "--guide", str(guide)).returncode == 0


def test_a_guide_without_markers_is_a_usage_error(tmp_path: Path) -> None:
    guide = edited_guide(tmp_path, "<!-- template:end -->", "")
    result = update_guide("--check", "--guide", str(guide))
    assert result.returncode == 2
    assert "template:start" in result.stderr


def template_text() -> str:
    block = generated_part(GUIDE, "template")
    assert block.startswith("```markdown\n") and block.endswith("\n```")
    return block.removeprefix("```markdown\n").removesuffix("```")


def fill(template: str) -> str:
    """The template as an officer would finish it: schema examples, then their own words."""
    examples = {doc.name: doc.example for doc in field_docs()}
    lines = []
    key = ""
    for line in template.splitlines():
        if match := re.match(r"^(\w+):", line):
            key = match.group(1)
        if line == "date: YYYY-MM-DD":
            lines.append(f"date: {examples['date']}")  # typed over the placeholder
        elif "[[REPLACE:" not in line:
            lines.append(line)
        elif line.startswith("  - "):
            lines.append(f'  - "{examples[key][0]}"')
        elif key == "date" and line.startswith("date:"):
            lines.append(f"date: {examples['date']}")
        elif line.startswith(f"{key}:"):
            lines.append(f'{key}: "{examples[key]}"')
        elif line.startswith("## "):
            lines.append("## What we learned")
        else:
            lines.append("We answer every question from residents within a working day.")
    return "\n".join(lines) + "\n"


def test_the_guide_template_is_flagged_until_filled_then_builds(tmp_path: Path) -> None:
    template = template_text()
    assert yaml.safe_load(template.split("---\n")[1]).keys() == set(required_keys())
    project_dir = make_project(tmp_path / "project")
    project = load_project(project_dir / "mkdocs.yml")
    post = project.posts_dir / "my-post.md"
    post.write_text(template, encoding="utf-8")

    unfilled = collect_posts(project, [post]).problems()
    placeholder_lines = [
        n
        for n, line in enumerate(template.splitlines(), 1)
        if "[[REPLACE:" in line or line == "date: YYYY-MM-DD"
    ]
    # Each placeholder is one problem, on its own line, and nothing else is reported.
    assert {p.code for p in unfilled} == {"PM012"}
    assert sorted(p.line for p in unfilled) == placeholder_lines

    post.write_text(fill(template), encoding="utf-8")
    assert collect_posts(project, [post]).problems() == []
    build = run_mkdocs_build(project_dir)
    assert build.returncode == 0, build.output
    assert (
        build.site / "blog/2012/03/07/how-we-opened-social-media-to-every-member-of-staff"
    ).is_dir()


def test_the_template_is_what_the_generator_writes() -> None:
    assert template_text() == post_template().removeprefix("```markdown\n").removesuffix("```")


def test_every_example_message_in_the_guide_is_what_the_check_prints(tmp_path: Path) -> None:
    examples = list(EXAMPLE.finditer(GUIDE))
    assert len(examples) >= 20
    project_dir = make_project(tmp_path / "project", posts={})
    project = load_project(project_dir / "mkdocs.yml")
    for example in examples:
        name = example.group("name")
        source = BAD_POSTS / name
        assert source.is_file(), f"the example for {name} must come from tests/bad_posts/"
        post = project.posts_dir / name
        shutil.copy(source, post)
        printed = format_report(collect_posts(project, [post]).problems())
        post.unlink()
        assert example.group(1) in printed, (
            f"the guide's example is not what the check prints:\n{printed}"
        )


def test_every_problem_code_has_a_section_in_the_guide() -> None:
    source = "".join(p.read_text() for p in (REPO / "scripts/socialcouncils").rglob("*.py"))
    codes = set(re.findall(r'"((?:FM|PM)\d{3})"', source))
    assert len(codes) >= 23
    for code in sorted(codes):
        assert re.search(rf"^#### {code}: ", GUIDE, re.MULTILINE), f"{code} is not explained"
    for code in sorted(set(re.findall(r'"(DATA\d{3})"', source))):
        assert f"| {code} |" in GUIDE, f"{code} is not explained"
    assert "### Pictures and markup (IMG, HTML)" in GUIDE


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_inside_the_guide_goes_to_a_heading() -> None:
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", GUIDE, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", GUIDE)
    assert len(links) > 10
    for link in links:
        assert link in anchors, f"#{link} goes nowhere"


def test_the_guide_states_the_image_size_limit_from_the_settings() -> None:
    assert f"under **{PROJECT.hub.image_max_kb} KB**" in GUIDE


def test_the_guide_names_each_pull_request_check_as_github_shows_it() -> None:
    data = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text())
    for job in data["jobs"].values():
        assert f"**{data['name']} / {job['name']}**" in GUIDE


def test_the_issue_form_asks_for_the_post_and_offers_every_council_and_category() -> None:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/guest-post.yml").read_text())
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for required in ("council", "author", "title", "summary", "category"):
        assert fields[required]["validations"]["required"] is True, required
    councils = [c.name for c in load_catalogue(PROJECT).councils.values()]
    assert fields["council"]["attributes"]["options"][:-1] == councils
    assert fields["category"]["attributes"]["options"] == list(PROJECT.categories)
    assert f"Choose **{form['name']}**" in GUIDE


def test_the_issue_chooser_links_to_the_published_site() -> None:
    config = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/config.yml").read_text())
    assert [link["url"] for link in config["contact_links"]] == [PROJECT.site_url]


def test_the_pull_request_checklist_covers_consent_rights_alt_text_details_and_preview() -> None:
    template = (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text()
    items = re.findall(r"^- \[ \] \*\*(.+?):\*\*", template, re.MULTILINE)
    assert items == [
        "Consent to publish",
        "Image rights and credits",
        "Alt text",
        "Council and author details",
        "Preview",
    ]
    for item in items:
        assert f"**{item}**" in GUIDE, f"the guide does not explain '{item}'"
