#!/usr/bin/env python3
"""Benchmark the hub on synthetic sites of N posts and record the figures in
docs/maintainers/benchmarks.md.

    python scripts/bench.py                      # 100, 500, 1000 and 2000 posts
    python scripts/bench.py --posts 1000 --repeat 3 --no-write
    python scripts/bench.py --engine-options     # the blog engine's settings, one at a time

Every stage runs as its own process, timed by wall clock, with its peak memory (max RSS) read
from the kernel. Machines are shared and noisy, so the figures that matter are ratios taken in
the same run: the build with the project's hooks against the same build without them, and the
post check against merely loading the same front matter with python-frontmatter.

With --engine-options it measures the engine instead of the project's code: the strict build of
one synthetic site without the project's hooks, with the site's mkdocs.yml as it is and then with
one Material or plugin setting changed at a time, and how big each built site is.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import platform
import pstats
import re
import shutil
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
from typing import Any

import yaml

from socialcouncils.commands.synthetic import make_site
from socialcouncils.content.posts import collect_posts
from socialcouncils.source.project import find_config, load_project

REPO_ROOT = find_config().parent
DOC = REPO_ROOT / "docs" / "maintainers" / "benchmarks.md"
START, END = "<!-- bench:build:start -->", "<!-- bench:build:end -->"
ENGINE_START, ENGINE_END = "<!-- bench:engine:start -->", "<!-- bench:engine:end -->"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The line in which a build says how long its checks took.
CHECKED_RE = re.compile(
    r"Checked [\d,]+ posts? and [\d,]+ built pages and feeds in ([\d.]+) seconds"
)
# The line in which a build says how long the markup policy's sanitizer took.
SANITIZED_RE = re.compile(
    r"Sanitized pages, excerpts, feeds and the search index in ([\d.]+) seconds"
)

# Loads every post's front matter with python-frontmatter, then runs the project's check on the
# same files, alternating, in one process; prints the median of each.
PARSE_VS_CHECK = """
import statistics, sys, time
from pathlib import Path
import frontmatter
from socialcouncils.content.posts import collect_posts
from socialcouncils.source.project import load_project
from socialcouncils.source.yaml_source import forget_resolved_values
project = load_project(Path(sys.argv[1]))
files = project.post_files()
load, check = [], []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); [frontmatter.load(f) for f in files]; load.append(time.perf_counter() - t)
    forget_resolved_values()  # each check starts as check_posts.py does, in a new process
    t = time.perf_counter(); collect_posts(project); check.append(time.perf_counter() - t)
print(statistics.median(load), statistics.median(check))
"""


# The strict build with the checks left out: MkDocs run in a process where the steps that only
# check do nothing (the scan of each post's body for pictures and unsafe markup, and the check of
# the built site). The hooks still read each post's front matter, which every page they make
# needs, and still make everything for readers; the worker that reads the built pages for the
# stylesheets still runs, on the other core.
BUILD_WITHOUT_CHECKS = """
import sys
import socialcouncils.content.posts
import socialcouncils.site.site_check
socialcouncils.content.posts.BodyChecks.check = lambda *args, **kwargs: None
socialcouncils.site.site_check.check_site = lambda *args, **kwargs: socialcouncils.site.site_check.SiteReport()
from mkdocs.__main__ import cli
sys.argv[0] = "mkdocs"
cli()
"""


@dataclass
class Stage:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def run_stage(
    command: list[str], cwd: Path, stage: Stage, env: dict[str, str] | None = None
) -> str:
    """Run one stage as a child process; record its wall time, CPU time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env or ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    stage.seconds.append(time.perf_counter() - started)
    stage.cpu_seconds.append(usage.ru_utime + usage.ru_stime)
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
    # What each strict build said its checks took (hooks/hub.py logs it).
    checks_in_build: list[float] = field(default_factory=list)
    # What each strict build said sanitizing took.
    sanitizer_in_build: list[float] = field(default_factory=list)

    def sanitizer_shares(self) -> list[float]:
        """The sanitizer's time as a share of its strict build's wall time, build by build."""
        builds = self.stages["build"].seconds
        return [s / b for s, b in zip(self.sanitizer_in_build, builds, strict=True)]

    def hooks_overheads(self, cpu: bool = False) -> list[float]:
        """The strict build against the build without hooks, pair by pair: the two builds of a
        pair run one after the other, so both meet the same load on the machine."""
        hooks, plain = self.stages["build"], self.stages["build_without_hooks"]
        if cpu:
            return [a / b for a, b in zip(hooks.cpu_seconds, plain.cpu_seconds, strict=True)]
        return [a / b for a, b in zip(hooks.seconds, plain.seconds, strict=True)]

    def checks_overheads(self) -> list[float]:
        """The strict build against the same build with the checks left out, pair by pair."""
        checked, unchecked = self.stages["build"], self.stages["build_without_checks"]
        return [a / b for a, b in zip(checked.seconds, unchecked.seconds, strict=True)]


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
        name: Stage()
        for name in (
            "build",
            "build_without_checks",
            "build_without_hooks",
            "check_posts",
            "check_posts_cold",
            "check_site",
        )
    }
    checks_in_build = []
    sanitizer_in_build = []
    for _ in range(repeat):
        # Alternate the two builds so that load on the machine falls on both alike. No -q on the
        # strict build: it stops MkDocs counting warnings, and the build would never fail.
        output = run_stage(
            [python, "-m", "mkdocs", "build", "--strict", "-d", "site"], site, stages["build"]
        )
        if "Aborted" in output or "WARNING" in output:
            raise SystemExit(f"the strict build of {posts} posts has warnings:\n{output[-2000:]}")
        said = CHECKED_RE.search(output)
        if said is None:
            raise SystemExit(f"the build did not say how long its checks took:\n{output[-2000:]}")
        checks_in_build.append(float(said[1]))
        sanitized = SANITIZED_RE.search(output)
        if sanitized is None:
            raise SystemExit(f"the build did not say how long sanitizing took:\n{output[-2000:]}")
        sanitizer_in_build.append(float(sanitized[1]))
        output = run_stage(
            [python, "-c", BUILD_WITHOUT_CHECKS, "build", "--strict", "-d", "site-unchecked"],
            site,
            stages["build_without_checks"],
            env=ENV,
        )
        if "Aborted" in output or "WARNING" in output or not CHECKED_RE.search(output):
            raise SystemExit(f"the build without the checks went wrong:\n{output[-2000:]}")
        run_stage(
            [python, "-m", "mkdocs", "build", "-q", "-f", plain_config.name, "-d", "site-plain"],
            site,
            stages["build_without_hooks"],
        )
        # Cold: no post's reading kept from before, so every post is rendered; warm: each
        # reading kept, as for an officer's second run or a build after a check.
        (site / ".cache" / "post-readings.json").unlink(missing_ok=True)
        for stage in ("check_posts_cold", "check_posts"):
            run_stage(
                [python, str(REPO_ROOT / "scripts/check_posts.py"), "-f", "mkdocs.yml"],
                site,
                stages[stage],
            )
        check_site = REPO_ROOT / "scripts" / "check_site.py"
        if check_site.exists():
            run_stage([python, str(check_site), "site"], site, stages["check_site"])
    timings = subprocess.run(
        [python, "-c", PARSE_VS_CHECK, str(site / "mkdocs.yml"), str(max(3, repeat))],
        cwd=site,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    result = Result(
        posts,
        stages,
        float(timings[0]),
        float(timings[1]),
        checks_in_build=checks_in_build,
        sanitizer_in_build=sanitizer_in_build,
    )
    if preview:
        result.preview_seconds = bench_preview(site, saves=3)
    return result


# The engine's settings, one at a time (--engine-options). Each option edits a copy of the parsed
# mkdocs.yml and says what it changes for readers, for the table in the docs.

Config = dict[str, Any]


@dataclass(frozen=True)
class EngineOption:
    label: str
    change: Callable[[Config], None]
    readers: str


def plugin_options(config: Config, name: str) -> dict[str, Any]:
    """The options of plugin ``name`` in ``config``, to edit in place."""
    plugins = config["plugins"]
    for index, entry in enumerate(plugins):
        if entry == name:
            plugins[index] = entry = {name: {}}
        if isinstance(entry, dict) and name in entry:
            if entry[name] is None:
                entry[name] = {}
            options: dict[str, Any] = entry[name]
            return options
    raise KeyError(f"mkdocs.yml has no {name} plugin")


def set_options(plugin: str, **options: Any) -> Callable[[Config], None]:
    return lambda config: plugin_options(config, plugin).update(options)


def without_plugins(*names: str) -> Callable[[Config], None]:
    def change(config: Config) -> None:
        config["plugins"] = [
            entry
            for entry in config["plugins"]
            if (entry if isinstance(entry, str) else next(iter(entry))) not in names
        ]

    return change


def toggle_feature(config: Config, feature: str, on: str, off: str) -> EngineOption:
    """The option that turns a theme feature on if it is off, or off if it is on."""
    features = config["theme"].get("features") or []
    state, readers = ("off", off) if feature in features else ("on", on)

    def change(config: Config) -> None:
        features = config["theme"].setdefault("features", [])
        if feature in features:
            features.remove(feature)
        else:
            features.append(feature)

    return EngineOption(f"`{feature}` {state}", change, readers)


def prune_option(config: Config) -> EngineOption:
    return toggle_feature(
        config,
        "navigation.prune",
        on="the years, categories and authors in the menu of every page: outside the section"
        " a reader is in, Archive, Categories and Authors are each one link to their first"
        " page, whose menu lists the rest",
        off="nothing: every page's menu lists every year, category and author",
    )


def engine_options(config: Config) -> list[EngineOption]:
    """The settings to measure, each against ``config`` as it is."""
    blog = plugin_options(copy.deepcopy(config), "blog")
    per_page = blog.get("pagination_per_page", 10)
    options = [
        prune_option(config),
        EngineOption(
            "blog `archive: false`",
            set_options("blog", archive=False),
            "the archive: the list of posts by year, and the years in the menu",
        ),
        EngineOption(
            "blog `categories: false`",
            set_options("blog", categories=False),
            "the page of each category (Guest posts, Case studies) and its menu entry",
        ),
        EngineOption(
            "blog `authors_profiles: false`",
            set_options("blog", authors_profiles=False),
            "the page of each author with their posts, and the Authors menu",
        ),
    ]
    for size in (10, 25, 50):
        if size == per_page:
            continue
        pages = "longer pages and fewer" if size > per_page else "shorter pages and more"
        options.append(
            EngineOption(
                f"blog `pagination_per_page: {size}`",
                set_options("blog", pagination_per_page=size),
                f"nothing: {size} posts on each list page (blog, year, category, author) instead"
                f" of {per_page}, so {pages} clicks to go back in time",
            )
        )
    options += [
        EngineOption(
            "blog `*_toc: false` (list pages)",
            set_options(
                "blog",
                blog_toc=False,
                archive_toc=False,
                categories_toc=False,
                authors_profiles_toc=False,
            ),
            "the table of contents beside each list page, which lists the posts on it",
        ),
        EngineOption("no rss plugin", without_plugins("rss"), "every feed"),
        EngineOption("no tags plugin", without_plugins("tags"), "tags on posts and the tags page"),
        EngineOption("no search plugin", without_plugins("search"), "search"),
        EngineOption(
            "Material alone: no blog, tags, rss or search plugin",
            without_plugins("blog", "tags", "rss", "search"),
            "everything but the pages themselves (the floor)",
        ),
    ]
    return options


def site_size(directory: Path) -> tuple[int, int, int]:
    """HTML pages, their bytes, and the bytes of every file of a built site."""
    pages = html = total = 0
    for path in directory.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html":
                pages += 1
                html += size
    return pages, html, total


@dataclass
class EngineRun:
    option: EngineOption
    stage: Stage = field(default_factory=Stage)
    size: tuple[int, int, int] = (0, 0, 0)
    failure: str = ""
    # Python function calls in one profiled build: the same on every run, however busy the
    # machine, so the one figure here that is not noise at a few per cent.
    calls: int = 0


def bench_engine(
    posts: int,
    repeat: int,
    workdir: Path,
    options: Callable[[Config], list[EngineOption]] = engine_options,
    guest_authors: int = 0,
) -> list[EngineRun]:
    """Strict builds without the hooks: the site as configured, then one option changed at a time.

    The site as configured builds first and last in each round, so that a drift in the machine's
    speed shows in its figures. Then each builds once more under cProfile, to count its calls.
    """
    site = make_site(
        workdir / f"engine-{posts}-{guest_authors}", posts, guest_authors=guest_authors
    )
    config = yaml.safe_load(without_hooks(site).read_text(encoding="utf-8"))
    # Only the hooks make the councils' page, which the home and blog pages link to: a stub
    # keeps the strict build clean without them.
    (site / "docs" / "councils").mkdir()
    (site / "docs" / "councils" / "index.md").write_text("# Councils\n", encoding="utf-8")
    as_configured = EngineOption("as configured", lambda config: None, "–")
    runs = [EngineRun(option) for option in (as_configured, *options(config))]
    for index, run in enumerate(runs):
        variant = copy.deepcopy(config)
        run.option.change(variant)
        (site / f"mkdocs-engine-{index}.yml").write_text(
            yaml.safe_dump(variant, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )

    def build(index: int, profile: Path | None = None) -> None:
        run, output_dir = runs[index], site / f"site-engine-{index}"
        print(
            f"  {run.option.label}{' (profiled)' if profile else ''}…", file=sys.stderr, flush=True
        )
        profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
        output = run_stage(
            [sys.executable, *profiler, "-m", "mkdocs", "build", "--strict",
             "-f", f"mkdocs-engine-{index}.yml", "-d", output_dir.name],
            site,
            Stage() if profile else run.stage,
        )  # fmt: skip
        if "Aborted" in output:
            warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
            run.failure = warnings[0] if warnings else output.strip().splitlines()[-1]
        elif profile:
            run.calls = pstats.Stats(str(profile)).total_calls  # type: ignore[attr-defined]
        else:
            run.size = site_size(output_dir)
        shutil.rmtree(output_dir, ignore_errors=True)

    for _ in range(repeat):
        for index in [*range(len(runs)), 0]:
            build(index)
    for index in range(len(runs)):
        build(index, profile=site / f"engine-{index}.prof")
    return runs


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


def measured_with(marker: str, command: str) -> list[str]:
    """The start of a section of figures: its marker, the date, the machine and the command."""
    return [
        marker,
        "",
        f"Measured on {dt.date.today().isoformat()} on {machine()}, with:",
        "",
        "```sh",
        command,
        "```",
        "",
    ]


def hooks_seconds(result: Result) -> float:
    """What the project's hooks add to the build: with them, less without them."""
    return result.stages["build"].median - result.stages["build_without_hooks"].median


def ratios(values: list[float]) -> str:
    """The median of ``values``, with their range when there are several."""
    median = f"{statistics.median(values):.3f}×"
    return median if len(values) < 2 else f"{median} ({min(values):.2f}–{max(values):.2f})"


def render(results: list[Result], command: str, repeat: int) -> str:
    lines = [
        *measured_with(START, command),
        f"Wall-clock seconds (median of {repeat} run(s) each) and peak memory of each stage,"
        " each run as its own process on a synthetic site. The builds with and without the"
        " hooks, and with and without the checks, run one after the other; each overhead is the"
        " median of those pairs' ratios, with the lowest and highest in brackets. The overhead"
        " in CPU time adds up every core's work, including the worker process that reads built"
        " pages while the build goes on; the wall-clock overhead is what a person waits. The"
        " hooks overhead is everything the project's hooks do, for readers as well as the"
        " checks. The build without the checks is the same strict build with the steps that"
        " only check left out (`BUILD_WITHOUT_CHECKS` in `scripts/bench.py`: the scan of each"
        " post's body for pictures and unsafe markup, and the check of the built site); the"
        " checks' time in the build is what the strict build itself reports (reading and"
        " checking the posts, handing built pages over and checking the built site)."
        " check_posts.py renders every post with the site's Markdown to judge it; a post's"
        " reading is kept in `.cache/post-readings.json` and used again while the post is"
        " unchanged: *cold* is a run with nothing kept (a fresh clone), *warm* one right after"
        " it. The sanitizer's share is the time the strict build says the markup policy's"
        " sanitizer took (pages, excerpts, feeds and the search index) over the build's wall"
        " time.",
        "",
        "| posts | strict build | build without hooks | hooks overhead | hooks overhead in CPU time"
        " | build without the checks | checks' overhead | checks' time in the build"
        " | sanitizer's share of the build | check_posts.py warm | check_posts.py cold"
        " | check_site.py | front matter loaded alone | check in-process"
        " | check ÷ loading | peak memory (build) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:"
        " | ---: | ---: | ---: |",
    ]
    for r in results:
        s = r.stages
        lines.append(
            f"| {r.posts:,} | {seconds(s['build'])} | {seconds(s['build_without_hooks'])}"
            f" | {ratios(r.hooks_overheads())} | {ratios(r.hooks_overheads(cpu=True))}"
            f" | {seconds(s['build_without_checks'])} | {ratios(r.checks_overheads())}"
            f" | {statistics.median(r.checks_in_build):.2f}"
            f" | {statistics.median(r.sanitizer_shares()):.1%}"
            f" | {seconds(s['check_posts'])} | {seconds(s['check_posts_cold'])}"
            f" | {seconds(s['check_site'])}"
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
        lines.append(
            "- the hooks' share of the build (strict build minus build without hooks):"
            f" {hooks_seconds(large) / hooks_seconds(small):.2f}×"
        )
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


def engine_table(runs: list[EngineRun]) -> list[str]:
    base = runs[0]
    lines = [
        "| setting changed | wall (s) | CPU (s) | CPU × as configured | Python calls (millions)"
        " | calls × as configured | HTML pages | HTML (MB) | whole site (MB) | what readers lose |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        pages, html, total = run.size
        if run.failure:
            figures = f"fails: {run.failure} | – | – | – | – | – | – | –"
        else:
            figures = (
                f"{run.stage.cpu_median:.2f} | {run.stage.cpu_median / base.stage.cpu_median:.2f}×"
                f" | {run.calls / 1e6:.1f} | {run.calls / base.calls:.2f}×"
                f" | {pages:,} | {html / 1e6:.1f} | {total / 1e6:.1f}"
            )
        lines.append(
            f"| {run.option.label} | {seconds(run.stage)} | {figures} | {run.option.readers} |"
        )
    return lines


def baseline(stage: Stage) -> str:
    """The timed builds of the site as configured, first and last in each round."""
    return ", ".join(
        f"{wall:.2f} s wall and {cpu:.2f} s CPU"
        for wall, cpu in zip(stage.seconds, stage.cpu_seconds, strict=True)
    )


def render_engine(
    runs: list[EngineRun],
    grown: list[EngineRun],
    posts: int,
    guest_authors: int,
    command: str,
    repeat: int,
) -> str:
    return "\n".join(
        [
            *measured_with(ENGINE_START, command),
            f"The strict build of the {posts:,}-post synthetic site without the project's hooks,"
            " with the site's mkdocs.yml as it is and then with one setting changed at a time,"
            f" each built as its own process (median of {repeat} run(s) of each). Wall-clock"
            " seconds swing with whatever else the machine is doing, and CPU seconds (user and"
            " system) less but still by several per cent; so each also builds once under"
            " cProfile, and its count of Python function calls, which is the same on every run,"
            " is the steadier measure of the work each setting adds or saves. The site as"
            f" configured built first and last in each round: {baseline(runs[0].stage)}.",
            "",
            *engine_table(runs),
            "",
            f"The same site with {guest_authors:,} more author{'s' * (guest_authors != 1)},"
            " as a guest-post blog gains them"
            f" (as configured: {baseline(grown[0].stage)}):",
            "",
            *engine_table(grown),
            "",
            ENGINE_END,
        ]
    )


def write(
    section: str, start: str = START, end: str = END, heading: str = "Build and checks"
) -> None:
    """Put ``section`` between its markers in the docs, or under a new heading at the end."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--posts",
        type=int,
        nargs="+",
        help="site sizes (default: 100 500 1000 2000, or 1000 with --engine-options)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage (median)")
    parser.add_argument("--no-write", action="store_true", help="print, don't update the docs")
    parser.add_argument(
        "--no-preview", action="store_true", help="skip timing the one-post preview"
    )
    parser.add_argument(
        "--engine-options",
        action="store_true",
        help="instead, time the build without hooks with one engine setting changed at a time",
    )
    args = parser.parse_args(argv)
    default_posts = [1000] if args.engine_options else [100, 500, 1000, 2000]
    posts_given = args.posts is not None and args.posts != default_posts
    args.posts = args.posts or default_posts
    if args.engine_options and len(args.posts) != 1:
        parser.error("--engine-options measures one site: give one --posts")
    command = (
        "python scripts/bench.py"
        + (" --engine-options" if args.engine_options else "")
        + (" --posts " + " ".join(map(str, args.posts)) if posts_given else "")
        + (f" --repeat {args.repeat}" if args.repeat != 1 else "")
    )
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        if args.engine_options:
            print(f"Engine options, {args.posts[0]} posts…", file=sys.stderr, flush=True)
            posts = args.posts[0]
            runs = bench_engine(posts, args.repeat, Path(workdir))
            # One author for every ten posts: each has a page, and a link in every page's menu.
            guest_authors = posts // 10
            print(f"… with {guest_authors} more authors", file=sys.stderr, flush=True)
            grown = bench_engine(
                posts,
                args.repeat,
                Path(workdir),
                options=lambda config: [prune_option(config)],
                guest_authors=guest_authors,
            )
            section = render_engine(runs, grown, posts, guest_authors, command, args.repeat)
            markers = {
                "start": ENGINE_START,
                "end": ENGINE_END,
                "heading": "What the engine's options cost",
            }
        else:
            results = []
            for posts in args.posts:
                print(f"{posts} posts…", file=sys.stderr, flush=True)
                preview = not args.no_preview and posts == max(args.posts)
                results.append(bench_size(posts, args.repeat, Path(workdir), preview))
            section = render(results, command, args.repeat)
            markers = {}
    print(section)
    if not args.no_write:
        write(section, **markers)
        print(f"Updated {DOC.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
