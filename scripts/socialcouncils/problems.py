"""One shape for every problem the checks report: ``path:line:col: CODE message`` and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def format_text(self) -> str:
        text = f"{self.location()}: {self.code} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the line."""
        props = ",".join(
            [
                f"file={_escape_property(self.path)}",
                f"line={self.line}",
                f"col={self.col}",
                f"title={_escape_property(self.code)}",
            ]
        )
        body = self.message + (f" Hint: {self.hint}" if self.hint else "")
        return f"::error {props}::{_escape_data(body)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_report(problems: Iterable[Problem], style: str = "text") -> str:
    formatter = Problem.format_github if style == "github" else Problem.format_text
    return "\n".join(formatter(p) for p in sorted(problems))


def summary_line(problems: list[Problem], files_checked: int) -> str:
    files_with = len({p.path for p in problems})
    if not problems:
        return f"All {files_checked} file(s) passed."
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {files_with} of {files_checked} file(s)."
