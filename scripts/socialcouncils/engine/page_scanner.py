"""Reading built pages in other processes: during a build, while the site engine renders the
next pages; in the site check command, on every core at once.

Two steps after a build read every built page: the site check (``site_check.scan_page``) and
trimming the stylesheets, which needs the classes and attributes the pages use (``slim.Usage``).
Neither needs anything but the page, so a build hands each page over here as soon as it is
rendered: one worker process reads it while the engine goes on rendering, and the steps after the
build start from what it found. The same worker reads the stylesheets and scripts ahead, and
trims the stylesheets after the build while the build's own process checks the site. The command
``check_site.py``, which starts from a built site, shares the pages out between its own process
and one worker for each other core (``read_on_every_core``).

Workers only ever save time, they never decide a result. A page a worker did not read, for
whatever reason (it could not start, it broke, it was stopped), or whose file is no longer the one
it read, is read from disk by those steps themselves.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from socialcouncils.site.site_check import PageScan, scan_page
from socialcouncils.site.slim import Usage, page_text, read_ahead, trim_site_stylesheets

# Pages are handed over a few at a time: each hand-over costs the engine's process a little.
BATCH_PAGES = 16
# Below this many pages for each, another process costs more time than it saves.
PAGES_PER_WORKER = 100
# The command's pages go to its processes this many at a time.
PART_PAGES = 25


@dataclass
class PagesRead:
    """What was read in built pages: each page's scan for the site check (by path in the site),
    and what the pages use, all together, for trimming the stylesheets."""

    scans: dict[str, PageScan | None] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)

    def update(self, other: PagesRead) -> None:
        self.scans.update(other.scans)
        self.usage.update(other.usage)


def read_pages(pages: list[tuple[str, bytes]], hosts: tuple[str, ...]) -> PagesRead:
    """Read each page (path in the built site, and the bytes of its file)."""
    read = PagesRead()
    for rel, html in pages:
        read.scans[rel] = scan_page(html, hosts)
        read.usage.add_html(page_text(html))
    return read


def scan_files(
    site_dir: Path, rels: list[str], hosts: tuple[str, ...]
) -> dict[str, PageScan | None]:
    """Read each page (path in ``site_dir``) from disk; a page that cannot be read is left out."""
    found: dict[str, PageScan | None] = {}
    for rel in rels:
        try:
            html = (site_dir / rel).read_bytes()
        except OSError:
            continue
        found[rel] = scan_page(html, hosts)
    return found


def _fresh_interpreter() -> multiprocessing.context.BaseContext:
    """Workers start as fresh interpreters: forking a process that may be running threads (a live
    preview's server) is not safe."""
    return multiprocessing.get_context("spawn")


def read_on_every_core(
    site_dir: Path, rels: list[str], hosts: tuple[str, ...], cores: int | None = None
) -> dict[str, PageScan | None]:
    """Read the pages in this process and in one worker per other core (``cores``: all of this
    machine's). The pages are cut into parts; each worker is given the next part from the front
    as soon as it is free, and this process reads parts from the back meanwhile, so a worker that
    is slow to start holds nothing up. A part whose worker fails is left out, to be read one by
    one."""
    cores = cores or os.cpu_count() or 1
    workers = min(cores, len(rels) // PAGES_PER_WORKER + 1) - 1
    if workers < 1:
        return scan_files(site_dir, rels, hosts)
    parts = deque(rels[start : start + PART_PAGES] for start in range(0, len(rels), PART_PAGES))
    found: dict[str, PageScan | None] = {}
    given: set[Future[dict[str, PageScan | None]]] = set()
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_fresh_interpreter(),
        )
    except (OSError, RuntimeError):
        return scan_files(site_dir, rels, hosts)
    with pool:
        while parts or given:
            try:
                while parts and len(given) < workers:
                    given.add(pool.submit(scan_files, site_dir, parts.popleft(), hosts))
            except (OSError, RuntimeError):  # the workers broke: this process reads the rest
                workers = 0
            if parts:
                found.update(scan_files(site_dir, parts.pop(), hosts))
            elif given:
                wait(given, return_when=FIRST_COMPLETED)
            for future in [f for f in given if f.done()]:
                given.discard(future)
                if future.exception() is None:
                    found.update(future.result())
    return found


class PageScanner:
    """Reads pages in one worker process, started on the first pages; one scanner per build.

    ``site_dir`` is where the build writes; ``stylesheets`` are the glob patterns of the
    stylesheets to trim there after the build (``slim.trim_site_stylesheets``).
    """

    def __init__(
        self, hosts: Iterable[str], site_dir: Path, stylesheets: Sequence[str] = ()
    ) -> None:
        self.hosts = tuple(hosts)
        self.site_dir = site_dir
        self.stylesheets = tuple(stylesheets)
        self._executor: ProcessPoolExecutor | None = None
        self._batch: list[tuple[str, bytes]] = []
        self._sizes: dict[str, int] = {}
        self._done: list[Future[PagesRead]] = []
        self._failed = False

    def submit(self, rel: str, html: bytes) -> None:
        """Read page ``rel`` (its path in the built site), given as the bytes written to it."""
        if not self._failed:
            self._batch.append((rel, html))
            self._sizes[rel] = len(html)
            if len(self._batch) >= BATCH_PAGES:
                self._hand_over()

    def _hand_over(self) -> None:
        batch, self._batch = self._batch, []
        if not batch or self._failed:
            return
        try:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=_fresh_interpreter(),
                )
                # The theme's files are in the site before its first page is written.
                self._executor.submit(read_ahead, self.site_dir, self.stylesheets)
            self._done.append(self._executor.submit(read_pages, batch, self.hosts))
        except (OSError, RuntimeError):
            # No worker (it could not start, or broke): the pages are read from disk instead.
            self._failed = True

    def results(self) -> PagesRead:
        """All that was read. A page whose file in the site has changed since is left out of the
        scans, so that it is read again; what it used stays in the usage, which can only keep
        more of the stylesheets."""
        self._hand_over()
        read = PagesRead()
        for future in self._done:
            try:
                read.update(future.result())
            except Exception:  # whatever went wrong, these pages are read from disk instead
                continue
        for rel in list(read.scans):
            try:
                unchanged = (self.site_dir / rel).stat().st_size == self._sizes[rel]
            except OSError:
                unchanged = False
            if not unchanged:
                del read.scans[rel]
        return read

    def trim_stylesheets(self, read: PagesRead) -> Callable[[], None]:
        """Start trimming the stylesheets in the worker, with what the pages use (``read``);
        returns the function that waits for the trimming to end. They are trimmed in this
        process instead when the worker cannot."""
        trim = functools.partial(
            trim_site_stylesheets,
            self.site_dir,
            self.stylesheets,
            read.usage,
            frozenset(read.scans),
        )
        trimming: Future[object] | None = None
        if self._executor is not None and not self._failed:
            try:
                trimming = self._executor.submit(trim)
            except (OSError, RuntimeError):
                trimming = None

        def wait() -> None:
            if trimming is not None:
                try:
                    trimming.result()
                    return
                except Exception:  # trimmed here instead; trimming again changes nothing
                    pass
            trim()

        return wait

    def close(self) -> None:
        """Stop the worker, dropping what it has not done yet."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._batch.clear()
        self._sizes.clear()
        self._done.clear()
