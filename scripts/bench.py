#!/usr/bin/env python3
"""Benchmark the hub on synthetic sites of N posts and record the figures in docs/benchmarks.md.

    python scripts/bench.py                      # 100, 500, 1000 and 2000 posts
    python scripts/bench.py --posts 1000 --repeat 3 --no-write

Every stage runs as its own process, timed by wall clock, with its peak memory (max RSS) read
from the kernel. Machines are shared and noisy, so the figures that matter are ratios taken in
the same run: the build with the project's hooks against the same build without them, and the
post check against merely loading the same front matter with python-frontmatter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from socialcouncils.posts import collect_posts
from socialcouncils.project import REPO_ROOT, load_project
from socialcouncils.synthetic import make_site

DOC = REPO_ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:build:start -->", "<!-- bench:build:end -->"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Loads every post's front matter with python-frontmatter, then runs the project's check on the
# same files, alternating, in one process; prints the median of each.
PARSE_VS_CHECK = """
import statistics, sys, time
from pathlib import Path
import frontmatter
from socialcouncils.posts import collect_posts
from socialcouncils.project import load_project
project = load_project(Path(sys.argv[1]))
files = project.post_files()
load, check = [], []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); [frontmatter.load(f) for f in files]; load.append(time.perf_counter() - t)
    t = time.perf_counter(); collect_posts(project); check.append(time.perf_counter() - t)
print(statistics.median(load), statistics.median(check))
"""


@dataclass
class Stage:
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_stage(command: list[str], cwd: Path, stage: Stage) -> str:
    """Run one stage as a child process; record its wall time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    stage.seconds.append(time.perf_counter() - started)
    stage.peak_kb = max(stage.peak_kb, usage.ru_maxrss)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-2000:]}")
    return output


def without_hooks(site: Path) -> Path:
    """mkdocs.yml minus the project's hooks (and the nav entry only they generate)."""
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^hooks:\n(?:  - .*\n)+", "", text, flags=re.MULTILINE)
    text = text.replace("  - Councils: councils/index.md\n", "")
    config = site / "mkdocs-without-hooks.yml"
    config.write_text(text, encoding="utf-8")
    return config


@dataclass
class Result:
    posts: int
    stages: dict[str, Stage]
    load_seconds: float
    check_seconds: float
    preview_seconds: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (OSError, urllib.error.URLError):
        return None


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def bench_preview(site: Path, saves: int) -> list[float]:
    """Seconds from saving the previewed post to the preview serving the rebuilt page."""
    project = load_project(site / "mkdocs.yml")
    post = next(p for p in collect_posts(project).published() if p.url)
    port = free_port()
    page_url = f"http://127.0.0.1:{port}/{post.url}"
    server = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "scripts/preview.py"), "-f", "mkdocs.yml",
         "--dev-addr", f"127.0.0.1:{port}", str(post.source.path)],
        cwd=site, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    timings = []
    try:
        if not wait_for(lambda: fetch(page_url) is not None, timeout=300):
            raise SystemExit(f"the preview never served {page_url}")
        original = post.source.path.read_text(encoding="utf-8")
        for attempt in range(saves):
            marker = f"Saved edit number {attempt} at {time.time_ns()}."
            started = time.perf_counter()
            post.source.path.write_text(original + f"\n{marker}\n", encoding="utf-8")
            if not wait_for(lambda: marker in (fetch(page_url) or ""), timeout=120):  # noqa: B023
                raise SystemExit("the preview did not show the saved edit within 120 s")
            timings.append(time.perf_counter() - started)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return timings


def bench_size(posts: int, repeat: int, workdir: Path, preview: bool) -> Result:
    site = make_site(workdir / f"site-{posts}", posts)
    plain_config = without_hooks(site)
    python = sys.executable
    stages = {
        name: Stage() for name in ("build", "build_without_hooks", "check_posts", "check_site")
    }
    for _ in range(repeat):
        # Alternate the two builds so that load on the machine falls on both alike. No -q on the
        # strict build: it stops MkDocs counting warnings, and the build would never fail.
        output = run_stage(
            [python, "-m", "mkdocs", "build", "--strict", "-d", "site"], site, stages["build"]
        )
        if "Aborted" in output or "WARNING" in output:
            raise SystemExit(f"the strict build of {posts} posts has warnings:\n{output[-2000:]}")
        run_stage(
            [python, "-m", "mkdocs", "build", "-q", "-f", plain_config.name, "-d", "site-plain"],
            site,
            stages["build_without_hooks"],
        )
        run_stage(
            [python, str(REPO_ROOT / "scripts/check_posts.py"), "-f", "mkdocs.yml"],
            site,
            stages["check_posts"],
        )
        check_site = REPO_ROOT / "scripts" / "check_site.py"
        if check_site.exists():
            run_stage([python, str(check_site), "site"], site, stages["check_site"])
    timings = subprocess.run(
        [python, "-c", PARSE_VS_CHECK, str(site / "mkdocs.yml"), str(max(3, repeat))],
        cwd=site,
        env={**ENV, "PYTHONPATH": str(REPO_ROOT / "scripts")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    result = Result(posts, stages, float(timings[0]), float(timings[1]))
    if preview:
        result.preview_seconds = bench_preview(site, saves=3)
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}; Python {platform.python_version()}"


def seconds(stage: Stage) -> str:
    return f"{stage.median:.2f}" if stage.seconds else "–"


def render(results: list[Result], command: str, repeat: int) -> str:
    lines = [
        START,
        "",
        f"Measured on {dt.date.today().isoformat()} on {machine()}, with:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Wall-clock seconds (median of {repeat} run(s) each) and peak memory of each stage,"
        " each run as its own process on a synthetic site:",
        "",
        "| posts | strict build | build without hooks | hooks overhead | check_posts.py | check_site.py"
        " | front matter loaded alone | check in-process | check ÷ loading | peak memory (build) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        s = r.stages
        lines.append(
            f"| {r.posts:,} | {seconds(s['build'])} | {seconds(s['build_without_hooks'])}"
            f" | {s['build'].median / s['build_without_hooks'].median:.3f}×"
            f" | {seconds(s['check_posts'])} | {seconds(s['check_site'])}"
            f" | {r.load_seconds:.3f} | {r.check_seconds:.3f}"
            f" | {r.check_seconds / r.load_seconds:.2f}×"
            f" | {s['build'].peak_kb / 1024:.0f} MiB |"
        )
    by_size = {r.posts: r for r in results}
    if 500 in by_size and 2000 in by_size:
        small, large = by_size[500], by_size[2000]
        lines += ["", "Growth from 500 to 2,000 posts (4× the posts; linear growth is 4×):", ""]
        for name, label in (
            ("build", "strict build"),
            ("build_without_hooks", "build without hooks"),
            ("check_posts", "check_posts.py"),
            ("check_site", "check_site.py"),
        ):
            if small.stages[name].seconds and large.stages[name].seconds:
                ratio = large.stages[name].median / small.stages[name].median
                lines.append(f"- {label}: {ratio:.2f}×")
        lines.append(f"- the check in-process: {large.check_seconds / small.check_seconds:.2f}×")
    for r in results:
        if r.preview_seconds:
            lines += [
                "",
                f"One-post preview on the {r.posts:,}-post site (`make preview POST=...`): from"
                " saving the post to the preview serving the rebuilt page took"
                f" {', '.join(f'{t:.2f}' for t in r.preview_seconds)} s"
                f" (median {statistics.median(r.preview_seconds):.2f} s) over"
                f" {len(r.preview_seconds)} saves.",
            ]
    lines += ["", END]
    return "\n".join(lines)


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Build and checks\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage (median)")
    parser.add_argument("--no-write", action="store_true", help="print, don't update the docs")
    parser.add_argument(
        "--no-preview", action="store_true", help="skip timing the one-post preview"
    )
    args = parser.parse_args(argv)
    command = (
        "python scripts/bench.py"
        + (
            ""
            if args.posts == [100, 500, 1000, 2000]
            else " --posts " + " ".join(map(str, args.posts))
        )
        + (f" --repeat {args.repeat}" if args.repeat != 1 else "")
    )
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        results = []
        for posts in args.posts:
            print(f"{posts} posts…", file=sys.stderr, flush=True)
            preview = not args.no_preview and posts == max(args.posts)
            results.append(bench_size(posts, args.repeat, Path(workdir), preview))
    section = render(results, command, args.repeat)
    print(section)
    if not args.no_write:
        write(section)
        print(f"Updated {DOC.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
