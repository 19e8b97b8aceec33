"""The GitHub workflows: they lint clean, pass the security audit, and only run Makefile tasks."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

BIN = Path(sys.executable).parent
GITHUB = REPO / ".github"
WORKFLOWS = {path.name: path for path in sorted((GITHUB / "workflows").glob("*.yml"))}
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, re.MULTILINE))
MAKE_VARIABLES = set(re.findall(r"^([A-Z_]+) \?=", MAKEFILE, re.MULTILINE))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(\S+))?\s*$")


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOWS[name].read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key 'on' as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in data["jobs"].items() for step in job["steps"]]


def lint(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


ACTIONLINT = [str(BIN / "actionlint"), "-shellcheck", str(BIN / "shellcheck")]
ZIZMOR = [str(BIN / "zizmor"), "--offline", "--no-progress", "--format", "json"]
ZIZMOR_INPUTS = ["--collect=default,pre-commit", "."]


@pytest.fixture(scope="module")
def unsafe_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with a workflow that makes every classic mistake, to prove the tools see them."""
    repo = tmp_path_factory.mktemp("unsafe")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/unsafe.yml").write_text(
        "name: unsafe\n"
        "on:\n  pull_request_target:\n"
        "jobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
        '      - run: echo "${{ github.event.pull_request.title }}" && echo $HOME\n',
        encoding="utf-8",
    )
    return repo


def test_there_are_the_two_workflows() -> None:
    assert set(WORKFLOWS) == {"pull-request.yml", "publish.yml"}


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = lint(ACTIONLINT, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_and_its_shellcheck_catch_a_broken_workflow(unsafe_repo: Path) -> None:
    result = lint(ACTIONLINT, unsafe_repo)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout
    assert "SC2086" in result.stdout, "shellcheck must run on every run: script"


def test_zizmor_reports_no_findings_offline() -> None:
    result = lint([*ZIZMOR, *ZIZMOR_INPUTS], REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    for audited in (*WORKFLOWS, "dependabot.yml", ".pre-commit-config.yaml"):
        assert audited in result.stderr, f"zizmor did not audit {audited}"


def test_zizmor_catches_the_unsafe_workflow(unsafe_repo: Path) -> None:
    result = lint([*ZIZMOR, *ZIZMOR_INPUTS], unsafe_repo)
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"} <= found


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version() -> None:
    pins: dict[str, set[str]] = {}
    for name, path in WORKFLOWS.items():
        uses_lines = [line for line in path.read_text().splitlines() if "uses:" in line]
        assert uses_lines, f"{name} uses no actions"
        for line in uses_lines:
            match = USES_LINE.match(line)
            assert match, f"{name}: cannot read {line.strip()!r}"
            ref, version = match.group(1), match.group(2)
            assert PINNED.match(ref), f"{name}: {ref} is not pinned to a 40-character commit SHA"
            assert version and re.fullmatch(r"v\d+\.\d+\.\d+", version), (
                f"{name}: {ref} needs its release in a comment, e.g. '# v4.2.2'"
            )
            action, sha = ref.split("@")
            pins.setdefault(f"{action} {version}", set()).add(sha)
    for action, shas in pins.items():
        assert len(shas) == 1, f"{action} is pinned to different commits: {shas}"


def test_workflows_only_run_makefile_tasks() -> None:
    for name in WORKFLOWS:
        for job_id, step in steps(workflow(name)):
            if "run" not in step:
                continue
            command = step["run"].strip()
            assert "\n" not in command and not re.search(r"[;&|`]", command), (
                f"{name}/{job_id}: '{command}' must be a single make command"
            )
            words = shlex.split(command)
            assert words[0] == "make", f"{name}/{job_id}: '{command}' is not a make task"
            for word in words[1:]:
                if "=" in word:
                    assert word.split("=")[0] in MAKE_VARIABLES, f"{name}: unknown variable {word}"
                else:
                    assert word in MAKE_TARGETS, f"{name}: 'make {word}' is not in the Makefile"


def make_dry_run(*args: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_makefile_tasks_run_the_checkers_the_workflows_need() -> None:
    assert "scripts/check_changed_posts.py --format github origin/main" in make_dry_run(
        "check-changed-posts", "FORMAT=github", "BASE=origin/main"
    )
    assert "scripts/check_posts.py --format github docs/blog/posts/a.md" in make_dry_run(
        "check-posts", "FORMAT=github", "POSTS=docs/blog/posts/a.md"
    )
    assert "mkdocs build --strict --site-dir site" in make_dry_run("build")
    assert "properdocs build --strict --site-dir site" in make_dry_run("build", "ENGINE=properdocs")
    compare = make_dry_run("compare-engines")
    assert "properdocs build --strict --site-dir site-properdocs" in compare
    assert "scripts/compare_sites.py site site-properdocs" in compare
    assert "scripts/check_site.py site" in make_dry_run("check-site")
    check = make_dry_run("check")
    for tool in ("actionlint", "zizmor --offline", "ruff check", "mypy", "update_guide.py --check"):
        assert tool in check, f"make check does not run {tool}"


def test_pull_request_workflow_runs_every_check_with_a_read_only_token() -> None:
    data = workflow("pull-request.yml")
    assert set(data["on"]) == {"pull_request"}
    assert data["permissions"] == {}
    for job in data["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    runs = [step["run"] for _, step in steps(data) if "run" in step]
    assert runs == [
        'make check-changed-posts FORMAT=github BASE="origin/$BASE_REF"',
        "make build",
        "make check-site",
        "make compare-engines",
        "make check",
        "make test",
    ]
    uploads = [s for _, s in steps(data) if s.get("uses", "").startswith("actions/upload-artifact")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "site/"
    text = WORKFLOWS["pull-request.yml"].read_text()
    assert "secrets." not in text and "github.token" not in text and "GH_TOKEN" not in text


def test_no_workflow_uses_pull_request_target_and_every_job_sets_permissions() -> None:
    for name in WORKFLOWS:
        data = workflow(name)
        assert "pull_request_target" not in data["on"], name
        assert data["permissions"] == {}, f"{name}: the default token must have no permissions"
        for job_id, job in data["jobs"].items():
            assert "permissions" in job, f"{name}/{job_id} must say which permissions it needs"
        for job_id, step in steps(data):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"{name}/{job_id}"


def test_publish_workflow_gives_pages_rights_only_to_the_deploy_job() -> None:
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    jobs = data["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    assert [s.get("run") for s in jobs["build"]["steps"] if "run" in s] == [
        "make build",
        "make check-site",
    ]
    assert jobs["build"]["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_the_untrusted_jobs_are_held_to_minutes() -> None:
    """A hostile post cannot hold the runner: every job of the pull-request workflow, which
    builds strangers' posts, has a timeout of minutes, and its build step a shorter one."""
    data = workflow("pull-request.yml")
    for job_id, job in data["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 20, job_id
    build = [s for s in data["jobs"]["build"]["steps"] if s.get("run") == "make build"]
    assert len(build) == 1 and build[0]["timeout-minutes"] <= 5
    for name in WORKFLOWS:
        assert "issues" not in WORKFLOWS[name].read_text(), f"{name} needs no issues access"


CODE_PATHS = [
    "hooks/",
    "scripts/",
    ".github/",
    "mkdocs.yml",
    "Makefile",
    "requirements.in",
    "requirements.txt",
    "requirements-dev.in",
    "requirements-dev.txt",
]


def codeowners() -> dict[str, list[str]]:
    rules = {}
    for line in (GITHUB / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    return rules


def test_codeowners_require_a_maintainer_for_everything_that_runs_code() -> None:
    rules = codeowners()
    for path in CODE_PATHS:
        assert rules.get(f"/{path}"), f"CODEOWNERS does not cover {path}"
    for pattern, owners in rules.items():
        assert (REPO / pattern.lstrip("/")).exists(), f"CODEOWNERS names a missing path {pattern}"
        assert all(re.fullmatch(r"@[\w-]+/[\w-]+|@[\w-]+", o) for o in owners), pattern
    assert not any(p.startswith("/docs/blog/posts") for p in rules), "posts need no code owner"


def test_dependabot_updates_pip_and_actions_weekly() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"pip", "github-actions"} <= set(ecosystems)
    for update in ecosystems.values():
        assert update["schedule"]["interval"] == "weekly"
        assert (REPO / update["directory"].lstrip("/")).is_dir()
