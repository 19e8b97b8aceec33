#!/usr/bin/env python3
"""Time the WordPress importer on a synthetic export of N posts, without pictures, and record
the figure in docs/maintainers/benchmarks.md.

    python scripts/bench_wordpress.py                # 500 posts
    python scripts/bench_wordpress.py --posts 2000 --no-write

Each post is about 600 words of Gutenberg paragraphs, headings, a list and links, with three
approved comments (one a reply), a pingback and a spam comment; one item in ten is a draft.
The import runs as its own process, as a council would run it, into a copy of the project;
then again on the same export, which must change nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from bench import write

from socialcouncils.commands.synthetic import WORDS
from socialcouncils.source.project import find_config

REPO_ROOT = find_config().parent

START, END = "<!-- bench:wordpress:start -->", "<!-- bench:wordpress:end -->"
# The line in which an import says how long its stages took.
STAGES_RE = re.compile(r"in ([\d.]+) seconds; checked them in ([\d.]+) seconds")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _comment(number: int, parent: int, approved: str, kind: str, user: int) -> str:
    return (
        f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {number}]]></wp:comment_author>"
        "<wp:comment_author_email>r@example.org</wp:comment_author_email>"
        "<wp:comment_author_url>https://example.org/linked/</wp:comment_author_url>"
        "<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>"
        "<wp:comment_date>2013-01-02 10:00:00</wp:comment_date>"
        "<wp:comment_date_gmt>2013-01-02 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[Thanks for this, <em>very</em> useful. {number}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>{user}</wp:comment_user_id>"
        "</wp:comment>"
    )


def make_export(path: Path, posts: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2011, 1, 3, 9, 0)
    items = []
    comment = 1
    for number in range(posts + posts // 10):
        draft = number >= posts
        when = start + dt.timedelta(days=number, minutes=rng.randint(0, 600))
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {number}"
        slug = title.lower().replace(" ", "-")
        blocks = []
        for section in range(4):
            if section:
                blocks.append(
                    f"<!-- wp:heading -->\n<h2>{escape(_sentence(rng))}</h2>\n<!-- /wp:heading -->"
                )
            for _ in range(3):
                text = " ".join(_sentence(rng) for _ in range(4))
                blocks.append(
                    f'<!-- wp:paragraph -->\n<p>{text} <a href="https://example.org/{section}">More</a>.</p>\n<!-- /wp:paragraph -->'
                )
        blocks.insert(1, "<!-- wp:more --><!--more--><!-- /wp:more -->")
        blocks.append(
            "<ul><li>" + "</li><li>".join(_sentence(rng) for _ in range(3)) + "</li></ul>"
        )
        comments = (
            _comment(comment, 0, "1", "", 0)
            + _comment(comment + 1, comment, "1", "", 2)
            + _comment(comment + 2, 0, "1", "", 0)
            + _comment(comment + 3, 0, "1", "pingback", 0)
            + _comment(comment + 4, 0, "spam", "", 0)
        )
        comment += 5
        date = when.strftime("%Y-%m-%d %H:%M:%S")
        items.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://blog.example.org/{when:%Y/%m/%d}/{slug}/</link>"
            "<dc:creator>helen</dc:creator>"
            f"<content:encoded><![CDATA[{chr(10).join(blocks)}]]></content:encoded>"
            "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            f"<wp:post_id>{1000 + number}</wp:post_id><wp:post_date>{date}</wp:post_date>"
            f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
            f"<wp:status>{'draft' if draft else 'publish'}</wp:status><wp:post_parent>0</wp:post_parent>"
            "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
            '<category domain="category" nicename="news"><![CDATA[News]]></category>'
            '<category domain="post_tag" nicename="social-media"><![CDATA[Social Media]]></category>'
            f"{comments}</item>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"'
        ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>A council blog</title><link>https://blog.example.org</link>"
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:author><wp:author_id>2</wp:author_id><wp:author_login>helen</wp:author_login>"
        "<wp:author_display_name>Helen Reynolds</wp:author_display_name></wp:author>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n",
        encoding="utf-8",
    )


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "docs", target / "docs")
    for name in ("hooks", "scripts", "overrides"):
        (target / name).symlink_to(REPO_ROOT / name, target_is_directory=True)
    shutil.rmtree(target / "docs/blog/posts")
    (target / "docs/blog/posts").mkdir()
    return target


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(project: Path, export: Path) -> tuple[float, float, float, float, str]:
    """Wall-clock seconds of the whole process, of the import itself and of the check, the
    process's CPU seconds, and the first line of the report."""
    command = [sys.executable, str(REPO_ROOT / "scripts/import_wordpress.py"), str(export)]
    command += ["--council", "monmouthshire", "-f", str(project / "mkdocs.yml")]
    started, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=3600)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if result.returncode not in (0, 1):
        sys.exit(f"the import failed:\n{result.stdout}{result.stderr}")
    stages = STAGES_RE.search(result.stdout)
    if stages is None:
        sys.exit(f"the import did not say how long it took:\n{result.stdout}")
    converting, checking = float(stages.group(1)), float(stages.group(2))
    return seconds, converting, checking, cpu, result.stdout.splitlines()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500, help="published posts in the export")
    parser.add_argument("--repeat", type=int, default=3, help="imports into fresh copies (median)")
    parser.add_argument("--no-write", action="store_true", help="print, don't update the docs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-wordpress-") as workdir:
        export = Path(workdir) / "export.xml"
        make_export(export, args.posts)
        runs: list[tuple[float, float, float, float]] = []
        again: list[float] = []
        load = os.getloadavg()[0]
        for run in range(args.repeat):
            project = copy_project(Path(workdir) / f"project-{run}")
            whole, converting, checking, cpu, _summary = timed_import(project, export)
            runs.append((whole, converting, checking, cpu))
            whole_again, _c, _k, _cpu, summary_again = timed_import(project, export)
            again.append(whole_again)
            if "0 new, 0 updated" not in summary_again:
                sys.exit(f"the second import changed something: {summary_again}")
        size = export.stat().st_size / 1024 / 1024
    fresh = statistics.median(r[0] for r in runs)
    converting = statistics.median(r[1] for r in runs)
    checking = statistics.median(r[2] for r in runs)
    cpu = statistics.median(r[3] for r in runs)
    rerun = statistics.median(again)
    section = "\n".join(
        [
            START,
            "",
            f"Measured on {dt.date.today().isoformat()} on {platform.processor() or platform.machine()},"
            f" {os.cpu_count()} cores (load average {load:.1f} as it started),"
            f" Python {platform.python_version()}, with `python scripts/bench_wordpress.py"
            f" --posts {args.posts} --repeat {args.repeat}`: a synthetic export of {args.posts}"
            f" published posts ({size:.1f} MB; about 600 words, three responses and a pingback"
            " each; no pictures), imported into a fresh copy of the project, then again.",
            "",
            "| posts | read, converted, written | posts per second | the hub's check of them"
            " | whole command | its CPU time | posts per CPU second | the same export again |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {args.posts:,} | {converting:.2f} s | {args.posts / converting:,.0f}"
            f" | {checking:.2f} s | {fresh:.2f} s | {cpu:.2f} s | {args.posts / cpu:,.0f}"
            f" | {rerun:.2f} s |",
            "",
            f"Wall-clock seconds, median of {args.repeat} run(s), each import its own process."
            " *Its CPU time* is the whole command's, all stages and start-up included: on a shared"
            " machine it says what the work costs where wall-clock time says how busy the machine"
            " was. *Read, converted, written* is the import itself as the command reports it: the"
            " export read and checked, every post, its responses and redirects converted and"
            " written. *The hub's check* is check_posts.py's check of the imported posts, which"
            " the import runs so that its report holds what the check would say (cold: nothing"
            " kept in `.cache/post-readings.json` yet). *Whole command* adds Python's start-up."
            " *The same export again* writes nothing and checks with the readings kept.",
            "",
            END,
        ]
    )
    print(section)
    if not args.no_write:
        write(section, START, END, heading="WordPress import")
    return 0


if __name__ == "__main__":
    sys.exit(main())
