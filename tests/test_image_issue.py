"""The weekly image report: one issue, opened, updated or closed to match the check's result.

A stand-in for the ``gh`` tool keeps its issues in a JSON file, so each test can see exactly
what the report did; the check is a small command that prints what a real check would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from socialcouncils.image_issue import ISSUE_TITLE, broken_urls

from conftest import REPO

REPORT_SCRIPT = REPO / "scripts" / "report_broken_images.py"

FAKE_GH = """\
import json, sys
from pathlib import Path

state_file = Path(__file__).with_name("issues.json")
state = json.loads(state_file.read_text())
args = sys.argv[1:]
state["calls"].append(args[:2])

def option(name):
    return args[args.index(name) + 1]

def body():
    return sys.stdin.read() if option("--body-file") == "-" else ""

def issue(number):
    return next(i for i in state["issues"] if i["number"] == int(number))

if args[:2] == ["issue", "list"]:
    print(json.dumps([i for i in state["issues"] if i["state"] == "open"]))
elif args[:2] == ["issue", "create"]:
    number = len(state["issues"]) + 1
    state["issues"].append({"number": number, "title": option("--title"), "body": body(),
                            "state": "open", "comments": []})
elif args[:2] == ["issue", "edit"]:
    issue(args[2])["body"] = body()
elif args[:2] == ["issue", "comment"]:
    issue(args[2])["comments"].append(body())
elif args[:2] == ["issue", "close"]:
    issue(args[2])["state"] = "closed"
    issue(args[2])["comments"].append(option("--comment"))
else:
    sys.exit(f"unexpected gh call: {args}")
state_file.write_text(json.dumps(state))
"""

BROKEN = [
    "https://images.example.org/town-hall.jpg",
    "http://old-blog.example.net/wp-content/uploads/2011/06/skyline.png",
]


class FakeGitHub:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.gh = folder / "gh"
        self.gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
        self.gh.chmod(0o755)
        self.save({"issues": [], "calls": []})

    def save(self, state: dict[str, Any]) -> None:
        (self.folder / "issues.json").write_text(json.dumps(state))

    def state(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.folder / "issues.json").read_text())
        return loaded

    def add_issue(self, title: str, body: str) -> None:
        state = self.state()
        number = len(state["issues"]) + 1
        issue = {"number": number, "title": title, "body": body, "state": "open", "comments": []}
        state["issues"].append(issue)
        self.save(state)

    def writes(self) -> list[list[str]]:
        return [call for call in self.state()["calls"] if call != ["issue", "list"]]


@pytest.fixture
def github(tmp_path: Path) -> FakeGitHub:
    return FakeGitHub(tmp_path)


def check_printing(lines: list[str], exit_code: int) -> list[str]:
    """A stand-in for the online image check: prints its report and exits with its code."""
    code = f"print({chr(10).join(lines)!r}); raise SystemExit({exit_code})"
    return [sys.executable, "-c", code]


def report(github: FakeGitHub, check: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPORT_SCRIPT), "--gh", str(github.gh), "--", *check],
        capture_output=True,
        text=True,
        timeout=60,
    )


def broken_report(urls: list[str]) -> list[str]:
    return [
        f"site/blog/2011/06/28/post/index.html:{n}:5: IMG301 external image {url} could not be"
        f" loaded (HTTP 404)\n    hint: copy the image into the post's folder"
        for n, url in enumerate(urls, 30)
    ]


def test_broken_images_open_one_issue_listing_them(github: FakeGitHub) -> None:
    result = report(github, check_printing(broken_report(BROKEN), 1))
    assert result.returncode == 1, result.stderr
    assert "IMG301" in result.stdout, "the check's report is passed through to the log"
    (issue,) = github.state()["issues"]
    assert issue["title"] == ISSUE_TITLE
    assert issue["state"] == "open"
    for url in BROKEN:
        assert f"- {url}\n" in issue["body"]
    assert "opened an issue" in result.stderr


def test_an_open_issue_is_updated_when_the_list_changes(github: FakeGitHub) -> None:
    github.add_issue("Something else entirely", "unrelated")
    report(github, check_printing(broken_report(BROKEN[:1]), 1))
    result = report(github, check_printing(broken_report(BROKEN), 1))
    assert result.returncode == 1
    issues = github.state()["issues"]
    assert [i["title"] for i in issues] == ["Something else entirely", ISSUE_TITLE]
    ours = issues[1]
    assert all(f"- {url}" in ours["body"] for url in BROKEN)
    assert len(ours["comments"]) == 1 and "changed" in ours["comments"][0]
    assert issues[0]["body"] == "unrelated"


def test_the_same_broken_images_are_not_reported_twice(github: FakeGitHub) -> None:
    report(github, check_printing(broken_report(BROKEN), 1))
    result = report(github, check_printing(broken_report(BROKEN), 1))
    assert result.returncode == 1
    assert github.writes() == [["issue", "create"]]
    assert "already lists these images" in result.stderr


def test_the_issue_is_closed_when_every_image_loads_again(github: FakeGitHub) -> None:
    report(github, check_printing(broken_report(BROKEN), 1))
    result = report(github, check_printing(["All 12 external images loaded."], 0))
    assert result.returncode == 0
    (issue,) = github.state()["issues"]
    assert issue["state"] == "closed"
    assert "loaded every image" in issue["comments"][-1]


def test_a_clean_check_with_no_issue_open_changes_nothing(github: FakeGitHub) -> None:
    result = report(github, check_printing(["All 12 external images loaded."], 0))
    assert result.returncode == 0
    assert github.writes() == []


def test_a_check_that_cannot_run_touches_no_issue(github: FakeGitHub) -> None:
    github.add_issue(ISSUE_TITLE, f"- {BROKEN[0]}\n")
    result = report(github, check_printing(["check_site: error: no such folder: site"], 2))
    assert result.returncode == 2
    assert github.state()["calls"] == []
    assert github.state()["issues"][0]["state"] == "open"


def test_broken_urls_are_listed_once_each_in_order_without_trailing_punctuation() -> None:
    text = (
        "a.html:1:1: IMG301 https://b.example/x.png failed.\n"
        "b.html:2:1: IMG301 (https://a.example/y.jpg), again https://b.example/x.png\n"
    )
    assert broken_urls(text) == ["https://b.example/x.png", "https://a.example/y.jpg"]
