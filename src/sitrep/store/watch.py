"""`sitrep watch`: poll feeds and folders, ingest what is new, back off from failing sources, stop on signals.

A folder (e.g. a directory Telegram Desktop exports channels into) is read file by file: a file whose size and
modification time are those already ingested is not read again; a new file, a new export folder or a grown
`result.json` / `messages*.html` is read, and its messages already stored are skipped by their raw hash before
any extraction. A file that cannot be read while it was modified moments ago is taken to be still being written:
it is retried next round instead of being recorded as an error.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sitrep.store.db import Store

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_BACKOFF_ROUNDS = 32
SETTLE_SECONDS = 5.0  # a file modified this recently that fails to read may still be being written


def parse_interval(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "")
    if not m:
        raise ValueError(f"--every wants a number with s, m, h or d (got {value!r})")
    return float(m.group(1)) * UNITS[m.group(2) or "s"]


class Watcher:
    """One process, one Pipeline, one corroboration index; each round ingests every source that is due."""

    def __init__(self, store: Store, sources: list[str], interval: float, log: Callable[[str], None] = print,
                 results: Callable | None = None, options=None):
        from sitrep.store.ingest import Writer

        self.store, self.sources, self.interval, self.log = store, sources, interval, log
        self.options = options  # ReaderOptions (Telegram channel usernames …)
        self.writer = Writer(store)
        self.stop = threading.Event()
        self.failures = {s: 0 for s in sources}
        self.next_round = {s: 0 for s in sources}
        self._results = results
        self._pipeline = None
        self.totals = {"stored": 0, "unchanged": 0, "errors": 0}
        self.seen_files: dict[Path, tuple[int, int]] = {}  # file → (size, mtime_ns) when last ingested

    def results(self, items):
        if self._results is not None:
            return self._results(items)
        if self._pipeline is None:
            from sitrep.pipeline import Pipeline

            self._pipeline = Pipeline()
        return self._pipeline.run(items)

    def _on_signal(self, signum, _frame) -> None:
        self.log(f"received {signal.Signals(signum).name}: stopping after the current source")
        self.stop.set()

    def changed_files(self, folder: Path) -> list[tuple[Path, tuple[int, int]]]:
        """Supported files under `folder` that are new or changed since they were last ingested."""
        from sitrep.ingest import expand

        out = []
        for path in expand([str(folder)]):
            if not isinstance(path, Path):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            if self.seen_files.get(path) != sig:
                out.append((path, sig))
        return out

    def read_folder(self, folder: Path) -> tuple[list, dict[Path, tuple[int, int]]]:
        """Items of the new or changed files, and those files' signatures (marked seen once stored)."""
        from sitrep.ingest import read_inputs

        items: list = []
        read: dict[Path, tuple[int, int]] = {}
        for path, sig in self.changed_files(folder):
            got = list(read_inputs([str(path)], self.options))
            fresh = time.time() - sig[1] / 1e9 < SETTLE_SECONDS
            if got and all(hasattr(i, "error") for i in got) and fresh:
                self.log(f"{path}: not readable yet ({got[0].error}); retrying next round")
                continue
            items.extend(got)
            read[path] = sig
        return items, read

    def poll(self, source: str) -> None:
        from sitrep.ingest import read_inputs
        from sitrep.store.ingest import ingest_items

        folder = Path(source) if "://" not in source else None
        read: dict[Path, tuple[int, int]] = {}
        if folder is not None and folder.is_dir():
            items, read = self.read_folder(folder)
            if not items:
                self.seen_files.update(read)
                self.log(f"{source}: nothing new")
                return
        else:
            items = list(read_inputs([source], self.options))
        articles = [i for i in items if not hasattr(i, "error")]
        counts = ingest_items(self.store, items, self.results, writer=self.writer)
        self.seen_files.update(read)
        for key in self.totals:
            self.totals[key] += getattr(counts, key)
        if not articles and counts.errors:
            raise RuntimeError(next(i.error for i in items if hasattr(i, "error")))
        self.log(f"{source}: {counts.summary()}")

    def run_round(self, round_no: int) -> None:
        for source in self.sources:
            if self.stop.is_set():
                return
            if round_no < self.next_round[source]:
                continue
            try:
                self.poll(source)
                self.failures[source] = 0
            except Exception as exc:  # noqa: BLE001 - a bad source never stops the watch
                self.failures[source] += 1
                wait = min(2 ** (self.failures[source] - 1), MAX_BACKOFF_ROUNDS)
                self.next_round[source] = round_no + wait
                self.log(f"{source}: failed ({exc}); retrying in {wait} round(s)")

    def run(self, max_rounds: int | None = None) -> dict:
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, self._on_signal)
        try:
            round_no = 0
            while not self.stop.is_set():
                started = time.monotonic()
                self.run_round(round_no)
                round_no += 1
                if max_rounds is not None and round_no >= max_rounds:
                    break
                self.stop.wait(max(0.0, self.interval - (time.monotonic() - started)))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.log(f"watch stopped after {round_no} round(s): {self.totals['stored']} stored, "
                 f"{self.totals['unchanged']} unchanged, {self.totals['errors']} errors")
        return self.totals
