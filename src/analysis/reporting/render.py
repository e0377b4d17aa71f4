"""Render quarterly reports: inject parameters as papermill does, execute with nbclient on reused kernels, export.

Kernel start and imports are most of a report's time (../shared/reference/stack-notes.md), so a batch runs on
`workers` kernels that each render report after report, reset between them, and a single report prepares its
manifest while its kernel starts. Parameters are checked before any kernel starts; a failing council is recorded
and the batch goes on.
"""

from __future__ import annotations

import asyncio
import copy
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import config
from analysis.errors import ParameterError
from analysis.reporting import parameters as params_mod

KERNEL_NAME = "python3"
CELL_TIMEOUT = 600  # seconds; a report's cells take well under a second each
INJECTED_TAG = "injected-parameters"
# Run silently in a reused kernel before each report: the previous report's variables go, imported modules stay
# (that is the saving). Matplotlib-style global state is not used by the report.
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"


# The process umask, for the mode of written reports: it can only be read by setting it, so set it back at once.
_UMASK = os.umask(0)
os.umask(_UMASK)


def output_dir() -> Path:
    """Where quarterly reports go: reports/quarterly (moved with ANALYSIS_REPORTS)."""
    return config.REPORTS / "quarterly"


def report_paths(la_id_gss: str, quarter: str, out_dir: Path | None = None) -> tuple[Path, Path]:
    """The report's HTML path and its executed notebook beside it: <la>_<quarter>.html / .ipynb."""
    folder = Path(out_dir or output_dir())
    stem = f"{la_id_gss}_{quarter}"
    return folder / f"{stem}.html", folder / f"{stem}.ipynb"


@lru_cache(maxsize=4)
def _read_notebook(path: str, mtime_ns: int) -> Any:
    import jupytext

    nb = jupytext.read(path)
    # jupytext percent files carry the kernelspec in their header; papermill and nbclient need it.
    nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)"})
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"  # jupytext draws random ids; fixed ones keep two renders identical
    return nb


def load_notebook(path: Path = params_mod.NOTEBOOK) -> Any:
    """The report notebook (jupytext .py) as an nbformat notebook; a fresh copy on every call."""
    return copy.deepcopy(_read_notebook(str(path), path.stat().st_mtime_ns))


def parameter_source(values: dict[str, Any]) -> str:
    """The injected cell's code: one `name = literal` line per parameter, as papermill writes for Python."""
    lines = ["# Parameters"] + [f"{name} = {value!r}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def inject(nb: Any, values: dict[str, Any], defaults: dict[str, Any] | None = None) -> Any:
    """Insert the parameters after the `parameters` cell and record them in the metadata, as papermill does."""
    import nbformat

    cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = next(
        (i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if index is None:
        raise ParameterError("the notebook has no cell tagged parameters")
    cell = nbformat.v4.new_code_cell(parameter_source(values))
    cell.metadata["tags"] = [INJECTED_TAG]
    cell.id = "injected-parameters"  # fixed, so the same inputs give the same notebook
    cells.insert(index + 1, cell)
    nb.cells = cells
    nb.metadata["papermill"] = {
        "parameters": values,
        "default_parameters": defaults or {},
        "injected_by": "analysis.reporting.render",
    }
    return nb


class RenderError(RuntimeError):
    """A report's notebook failed in the kernel; the message names the council, quarter and error."""


@dataclass
class Job:
    """One report to render: its checked parameters, where it goes, and its manifest."""

    params: dict[str, Any]
    html_path: Path
    ipynb_path: Path
    manifest: Any = None
    notebook: Path = params_mod.NOTEBOOK
    title: str = ""


@dataclass
class Failure:
    """A report that could not be rendered, and why (one line)."""

    la_id_gss: str
    quarter: str
    message: str


@dataclass
class BatchResult:
    """What a batch produced: the written HTML files and the failures, in the order of the councils asked for."""

    written: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def _atomic_write(path: Path, text: str) -> None:
    """Write beside the target, then replace it: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _failure_message(exc: BaseException) -> str:
    """One line: the exception raised in the kernel (name and value), or the local error."""
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"


class KernelWorker:
    """One Python kernel that executes report after report, reset in between (restarted if it dies)."""

    def __init__(self, kernel_name: str = KERNEL_NAME, cwd: Path | None = None, timeout: int = CELL_TIMEOUT):
        self.kernel_name = kernel_name
        self.cwd = Path(cwd or config.NOTEBOOKS)
        self.timeout = timeout
        self.km: Any = None
        self.kc: Any = None
        self.n_run = 0

    async def start(self) -> None:
        """Start the kernel and wait until it answers."""
        from jupyter_client.manager import AsyncKernelManager

        # Unix sockets, not TCP: local only, nothing listens on a port, and ipykernel does not warn. The socket
        # path must be absolute: the kernel runs in the notebooks folder, the parent wherever it was started.
        self._sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
        self.km = AsyncKernelManager(
            kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._sockets, "kernel")
        )
        await self.km.start_kernel(cwd=str(self.cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        self.n_run = 0

    async def stop(self) -> None:
        """Shut the kernel down."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            if await self.km.is_alive():
                await self.km.shutdown_kernel(now=True)
            self.km = None
        if getattr(self, "_sockets", None):
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None

    async def execute(self, nb: Any) -> Any:
        """Execute every cell of `nb` in this kernel; raises CellExecutionError on the first failing cell."""
        from nbclient import NotebookClient

        if self.km is None or not await self.km.is_alive():
            await self.stop()
            await self.start()
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name=self.kernel_name,
            timeout=self.timeout,
            allow_errors=False,
            record_timing=False,  # execution times in the notebook would make two renders differ
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc
        if self.n_run:
            msg_id = self.kc.execute(RESET_CODE, silent=True, store_history=False)
            await client.async_wait_for_reply(msg_id)
        self.n_run += 1
        return await client.async_execute()


async def _render_job(worker: KernelWorker, job: Job, manifests: asyncio.Future[None]) -> Path:
    """Execute one job's notebook in `worker`, then write its notebook and HTML (each atomically)."""
    import nbformat

    from analysis.reporting import html, manifest

    nb = inject(load_notebook(job.notebook), job.params, params_mod.notebook_defaults(job.notebook))
    executed = await worker.execute(nb)
    await manifests
    executed.metadata["analysis_manifest"] = job.manifest.to_dict()
    job.manifest.rendered_at = manifest.now()
    page = html.page(executed, manifest.to_html(job.manifest), str(job.params["chart_mode"]), job.title)
    _atomic_write(job.ipynb_path, nbformat.writes(executed))
    _atomic_write(job.html_path, page)
    return job.html_path


def _prepare(
    requested: Iterable[dict[str, Any]],
    db_path: Path | None,
    out_dir: Path | None,
    notebook: Path = params_mod.NOTEBOOK,
) -> tuple[list[Job], list[Failure]]:
    """Check every council's parameters (no kernel is involved) and plan where each report goes."""
    from analysis import db

    defaults = params_mod.notebook_defaults(notebook)
    jobs: list[Job] = []
    failures: list[Failure] = []
    path = Path(db_path or config.BUILD_DB)
    with db.connect(path) as con:
        for raw in requested:
            raw = dict(raw)
            if db_path is not None:
                raw.setdefault("db_path", str(db_path))
            try:
                checked = params_mod.validate(raw, con, defaults)
            except ParameterError as exc:
                failures.append(Failure(str(raw.get("la_id_gss")), str(raw.get("quarter")), str(exc)))
                continue
            quarter = params_mod.parse_quarter(checked["quarter"])
            html_path, ipynb_path = report_paths(str(checked["la_id_gss"]), quarter.label, out_dir)
            la_name = db.records(con, "mart_report_council", la_id_gss=checked["la_id_gss"])[0]["la_name"]
            title = f"{la_name}: children's services inspections, quarterly report {quarter.label}"
            jobs.append(Job(checked, html_path, ipynb_path, notebook=Path(notebook), title=title))
    return jobs, failures


def _load_notebooks(jobs: list[Job]) -> None:
    """Read each notebook file once (jupytext) so that every job gets a copy at once."""
    for notebook in {job.notebook for job in jobs}:
        load_notebook(notebook)


def _collect_manifests(jobs: list[Job], db_path: Path | None) -> None:
    """The manifest of every job, and the Vega bundle when a page needs it: all the export needs."""
    from analysis import db
    from analysis.reporting import html, manifest

    path = Path(db_path or config.BUILD_DB)
    with db.connect(path) as con:
        for job in jobs:
            quarter = params_mod.parse_quarter(job.params["quarter"])
            job.manifest = manifest.build(con, job.params, quarter.start, quarter.end, path)
    if any(job.params.get("chart_mode") == "interactive" for job in jobs):
        html.vega_bundle()


async def _run(
    jobs: list[Job],
    workers: int,
    on_done: Callable[[Job, BaseException | None], None],
    db_path: Path | None = None,
) -> None:
    """Render the jobs on `workers` kernels, each taking the next job when free.

    Kernel start is the slowest step, so the parent's own work runs in threads meanwhile: the notebook file is
    read before the first execution, the manifests (database hash, git) are only awaited before the first export.
    """
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    notebooks = asyncio.ensure_future(asyncio.to_thread(_load_notebooks, jobs))
    manifests = asyncio.ensure_future(asyncio.to_thread(_collect_manifests, jobs, db_path))

    async def loop() -> None:
        worker = KernelWorker()
        try:
            await worker.start()
            await notebooks
            while True:
                try:
                    job = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    await _render_job(worker, job, manifests)
                except Exception as exc:  # noqa: BLE001 - a failing council must not stop the batch
                    on_done(job, exc)
                else:
                    on_done(job, None)
        finally:
            await worker.stop()

    try:
        await asyncio.gather(*(loop() for _ in range(max(1, min(workers, len(jobs))))))
    finally:
        await asyncio.gather(notebooks, manifests, return_exceptions=True)


def render_many(
    requested: list[dict[str, Any]],
    db_path: Path | None = None,
    out_dir: Path | None = None,
    workers: int = 2,
    progress: bool = True,
    notebook: Path = params_mod.NOTEBOOK,
) -> BatchResult:
    """Render one report per parameter set on `workers` reused kernels; failures are collected, not raised."""
    from tqdm import tqdm

    jobs, failures = _prepare(requested, db_path, out_dir, notebook)
    result = BatchResult(failures=list(failures))
    done: dict[int, Path] = {}
    with tqdm(total=len(requested), disable=not progress, unit="report", desc="reports") as bar:
        bar.update(len(failures))

        def on_done(job: Job, exc: BaseException | None) -> None:
            if exc is None:
                done[id(job)] = job.html_path
            else:
                result.failures.append(
                    Failure(str(job.params["la_id_gss"]), str(job.params["quarter"]), _failure_message(exc))
                )
            bar.update(1)

        if jobs:
            asyncio.run(_run(jobs, workers, on_done, db_path))
    result.written = [done[id(job)] for job in jobs if id(job) in done]
    order = {str(r.get("la_id_gss")): i for i, r in enumerate(requested)}
    result.failures.sort(key=lambda f: order.get(f.la_id_gss, len(order)))
    return result


def render(
    values: dict[str, Any],
    db_path: Path | None = None,
    out_dir: Path | None = None,
    notebook: Path = params_mod.NOTEBOOK,
) -> Path:
    """Render one report; a bad parameter raises ParameterError, a failing notebook RenderError."""
    jobs, failures = _prepare([values], db_path, out_dir, notebook)
    if failures:
        raise ParameterError(failures[0].message)
    errors: list[BaseException] = []
    asyncio.run(_run(jobs, 1, lambda job, exc: errors.append(exc) if exc else None, db_path))
    if errors:
        job = jobs[0]
        raise RenderError(f"{job.params['la_id_gss']} {job.params['quarter']}: {_failure_message(errors[0])}")
    return jobs[0].html_path
