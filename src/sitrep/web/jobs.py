"""Ingest jobs started from the web: one worker thread, progress kept in memory, uploads in a temp folder."""
from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sitrep.ingest import SUFFIX_READERS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KEEP_JOBS = 200
ALLOWED_SUFFIXES = tuple(sorted(set(SUFFIX_READERS) - {".gz", ".warc"}))


@dataclass
class Job:
    id: str
    state: str = "queued"  # queued | running | done | failed
    total: int | None = None
    done: int = 0
    stored: int = 0
    unchanged: int = 0
    errors: int = 0
    document_ids: list[int] = field(default_factory=list)
    message: str | None = None

    def public(self) -> dict:
        data = asdict(self)
        data["progress"] = (self.done / self.total) if self.total else (1.0 if self.state == "done" else 0.0)
        return data


class Jobs:
    """Runs ingests one at a time so the store sees a single writer from this process."""

    def __init__(self, store):
        self.store = store
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-ingest")

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def submit(self, files: list[tuple[str, bytes]], sources: list[str]) -> Job:
        """`files` are (name, content) pairs (already checked); `sources` feed URLs."""
        job = Job(id=uuid.uuid4().hex[:12])
        folder = Path(tempfile.mkdtemp(prefix=f"sitrep-job-{job.id}-"))
        paths = list(sources)
        for n, (name, data) in enumerate(files):
            safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in Path(name).name)[-80:] or "upload.txt"
            target = folder / f"{n:03d}_{safe}"
            target.write_bytes(data)
            paths.append(str(target))
        with self.lock:
            self.jobs[job.id] = job
            finished = [k for k, j in self.jobs.items() if j.state in ("done", "failed")]
            for k in finished[:max(0, len(self.jobs) - KEEP_JOBS)]:  # oldest finished jobs go first
                del self.jobs[k]
        self.pool.submit(self._run, job, paths, folder)
        return job

    def _run(self, job: Job, paths: list[str], folder: Path) -> None:
        from sitrep.article import ReadError
        from sitrep.commands_extract import collect_inputs, iter_results
        from sitrep.store.ingest import ingest_items

        job.state = "running"
        try:
            items = collect_inputs(paths, None, None, None, None)
            job.total = len(items)

            def on_item(out) -> None:
                job.done += 1
                if isinstance(out, ReadError):
                    job.message = f"{out.source}: {out.error}"

            counts = ingest_items(self.store, items, lambda xs: iter_results(xs, True, 1, False), on_item=on_item)
            job.stored, job.unchanged, job.errors = counts.stored, counts.unchanged, counts.errors
            job.document_ids = list(counts.new_ids)
            job.done = job.total
            job.state = "done"
        except Exception as exc:  # noqa: BLE001 - a failed job reports its reason, the server goes on
            job.state = "failed"
            job.message = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
