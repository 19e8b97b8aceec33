"""The weekly external-image check, reported in one GitHub issue that is kept up to date.

``python scripts/report_broken_images.py -- CHECK COMMAND...`` runs the check command (the
online image check of the built site) and then, with the ``gh`` command-line tool:

- when the check finds problems, opens an issue listing the broken addresses, or updates the
  one already open (only when the list has changed, so nobody is notified twice for the same);
- when the check passes, closes that issue with a comment saying so;
- when the check itself cannot run (any exit code other than 0 or 1), touches no issue.

It exits with the check's own exit code, so the scheduled run goes red while images are broken.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

ISSUE_TITLE = "Broken external images"
URL_RE = re.compile(r"https?://[^\s'\"<>]+")
# GitHub refuses issue bodies over 65,536 characters; the full report is cut to fit.
REPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Issue:
    number: int
    body: str


def broken_urls(report: str) -> list[str]:
    """Every distinct web address in the check's report, in the order it first appears."""
    found: dict[str, None] = {}
    for match in URL_RE.finditer(report):
        found.setdefault(match.group(0).rstrip(".,;:)]"), None)
    return list(found)


def run_link() -> str:
    server, repo, run = (
        os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else ""


def issue_body(report: str, today: dt.date) -> str:
    urls = broken_urls(report)
    lines = [
        f"The weekly check on {today.isoformat()} could not load these external images,"
        " which published posts show:",
        "",
        *(f"- {url}" for url in urls),
    ]
    if not urls:
        lines.append("- (the report below names no web address)")
    lines += [
        "",
        "For each one: ask the owner of the image for a working address, or copy the image"
        " into the post's own folder (with permission and a credit line), or remove it.",
        "This issue is updated by the weekly check and closed when every image loads again.",
    ]
    link = run_link()
    if link:
        lines += ["", f"The check's run: {link}"]
    cut = report if len(report) <= REPORT_LIMIT else report[:REPORT_LIMIT] + "\n[report cut short]"
    lines += [
        "",
        "<details><summary>The full report</summary>",
        "",
        "```text",
        cut,
        "```",
        "</details>",
    ]
    return "\n".join(lines) + "\n"


class GitHubIssues:
    """The few issue operations the report needs, through the ``gh`` command-line tool."""

    def __init__(self, gh: str = "gh") -> None:
        self.gh = gh

    def _run(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [self.gh, *args], input=stdin, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"gh {' '.join(args[:2])} failed: {result.stderr.strip()}")
        return result.stdout

    def find_open(self, title: str) -> Issue | None:
        listed = self._run(
            "issue", "list", "--state", "open", "--limit", "500", "--json", "number,title,body"
        )
        for item in json.loads(listed or "[]"):
            if item.get("title") == title:
                return Issue(int(item["number"]), str(item.get("body") or ""))
        return None

    def create(self, title: str, body: str) -> None:
        self._run("issue", "create", "--title", title, "--body-file", "-", stdin=body)

    def update(self, number: int, body: str, comment: str) -> None:
        self._run("issue", "edit", str(number), "--body-file", "-", stdin=body)
        self._run("issue", "comment", str(number), "--body-file", "-", stdin=comment)

    def close(self, number: int, comment: str) -> None:
        self._run("issue", "close", str(number), "--comment", comment)


def report_to_issue(
    returncode: int, report: str, issues: GitHubIssues, today: dt.date
) -> str | None:
    """Open, update or close the issue for this result; returns what was done, for the log."""
    if returncode not in (0, 1):
        return None
    existing = issues.find_open(ISSUE_TITLE)
    if returncode == 0:
        if existing is None:
            return None
        issues.close(existing.number, f"The check on {today.isoformat()} loaded every image.")
        return f"closed issue #{existing.number}"
    body = issue_body(report, today)
    if existing is None:
        issues.create(ISSUE_TITLE, body)
        return "opened an issue"
    if broken_urls(existing.body) == broken_urls(body):
        return f"issue #{existing.number} already lists these images"
    issues.update(
        existing.number,
        body,
        f"The list of broken images changed on {today.isoformat()}; the description is updated.",
    )
    return f"updated issue #{existing.number}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the online image check and keep one GitHub issue in step with it."
    )
    parser.add_argument("--gh", default="gh", help="the GitHub command-line tool (default: gh)")
    parser.add_argument("command", nargs="+", help="the check to run, after '--'")
    args = parser.parse_args(argv)
    result = subprocess.run(args.command, capture_output=True, text=True, check=False)
    report = (result.stdout + result.stderr).strip()
    if report:
        print(report)
    done = report_to_issue(result.returncode, report, GitHubIssues(args.gh), dt.date.today())
    if done:
        print(f"report_broken_images: {done}.", file=sys.stderr)
    return result.returncode
