"""Render quarterly reports: inject parameters as papermill does, execute with nbclient on reused kernels, export.

Kernel start and imports are most of a report's time (../shared/reference/stack-notes.md), so a batch runs on
`workers` kernels that each render report after report, reset between them, and a single report prepares its
manifest while its kernel starts. Parameters are checked before any kernel starts; a failing council is recorded
and the batch goes on.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import hashlib
import importlib.util
import json
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
from analysis.files import write_atomic
from analysis.reporting import parameters as params_mod

KERNEL_NAME = "python3"
CELL_TIMEOUT = 600  # seconds; a report's cells take well under a second each
INJECTED_TAG = "injected-parameters"
# Run silently in a reused kernel before each report: the previous report's variables go, imported modules stay
# (that is the saving). Matplotlib-style global state is not used by the report.
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"


# The process umask, for the mode of written reports: it can only be read by setting it, so set it back at once.


def output_dir() -> Path:
    """Where quarterly reports go: reports/quarterly (moved with ANALYSIS_REPORTS)."""
    return config.REPORTS / "quarterly"


def report_paths(la_id_gss: str, quarter: str, out_dir: Path | None = None) -> tuple[Path, Path]:
    """The report's HTML path and its executed notebook beside it: <la>_<quarter>.html / .ipynb."""
    folder = Path(out_dir or output_dir())
    stem = f"{la_id_gss}_{quarter}"
    return folder / f"{stem}.html", folder / f"{stem}.ipynb"


def _jupytext_version() -> str:
    """jupytext's version file, read without importing jupytext (that import is a tenth of a report's time)."""
    spec = importlib.util.find_spec("jupytext")
    if spec is None or spec.origin is None:
        return ""
    version = Path(spec.origin).with_name("version.py")
    return version.read_text(encoding="utf-8") if version.is_file() else spec.origin


def _convert(path: str) -> Any:
    import jupytext

    nb = jupytext.read(path)
    # jupytext percent files carry the kernelspec in their header; papermill and nbclient need it.
    nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)"})
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"  # jupytext draws random ids; fixed ones keep two renders identical
    return nb


@lru_cache(maxsize=4)
def _read_notebook(path: str, mtime_ns: int) -> Any:
    """The converted notebook, from the cache when this text was converted by this jupytext version before."""
    import nbformat

    text = Path(path).read_text(encoding="utf-8")
    key = hashlib.sha256("\0".join([text, _jupytext_version(), KERNEL_NAME]).encode()).hexdigest()[:20]
    cached = config.CACHE / "notebooks" / f"{Path(path).stem}-{key}.ipynb.json"
    try:
        return nbformat.from_dict(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    nb = _convert(path)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(nb, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache only costs the conversion again next time
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
    nb: Any = None  # the notebook with the parameters injected, made in a thread while the kernel starts


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


def _failure_message(exc: BaseException) -> str:
    """One line: the exception raised in the kernel (name and value), or the local error."""
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"


def warm_up_code(notebook: Path = params_mod.NOTEBOOK) -> str:
    """The notebook's top-level imports wrapped in a function: run before the report, they bind no name."""
    try:
        tree = ast.parse(Path(notebook).read_text(encoding="utf-8"))  # a jupytext percent file is Python
    except SyntaxError:
        return ""  # not plain Python (a magic, say): no warm-up, the notebook imports what it needs itself
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    if not imports:
        return ""
    body = "\n".join(f"    {line}" for line in imports)
    return f"def _analysis_warm_up():\n{body}\n\n\n_analysis_warm_up()\ndel _analysis_warm_up\n"


class KernelWorker:
    """One Python kernel that executes report after report, reset in between (restarted if it dies).

    `warm_up` (the notebook's imports) is sent as soon as the kernel answers, without waiting: pandas and Altair
    load in the kernel while the parent still prepares the notebook and the manifest.
    """

    def __init__(
        self,
        kernel_name: str = KERNEL_NAME,
        cwd: Path | None = None,
        timeout: int = CELL_TIMEOUT,
        warm_up: str = "",
    ):
        self.kernel_name = kernel_name
        self.cwd = Path(cwd or config.NOTEBOOKS)
        self.timeout = timeout
        self.warm_up = warm_up
        self.km: Any = None
        self.kc: Any = None
        self.n_run = 0
        self.launched = asyncio.Event()  # set once the kernel process exists (or its start failed)
        self._warm_up_id: str | None = None

    async def start(self) -> None:
        """Start the kernel, wait until it answers, and send the warm-up code."""
        try:
            from jupyter_client.manager import AsyncKernelManager

            # Unix sockets, not TCP: local only, nothing listens on a port, and ipykernel does not warn. The socket
            # path must be absolute: the kernel runs in the notebooks folder, the parent wherever it was started.
            self._sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
            self.km = AsyncKernelManager(
                kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._sockets, "kernel")
            )
            await self.km.start_kernel(cwd=str(self.cwd))
        finally:
            self.launched.set()
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        self.n_run = 0
        self._warm_up_id = None
        if self.warm_up:
            self._warm_up_id = self.kc.execute(self.warm_up, silent=True, store_history=False)

    async def stop(self) -> None:
        """Shut the kernel down."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            km, self.km = self.km, None
            if await km.is_alive():
                await km.shutdown_kernel(now=True)
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
        if self._warm_up_id is not None:
            # Its outcome does not matter: a failing import fails again, with its message, in the notebook.
            await client.async_wait_for_reply(self._warm_up_id)
            self._warm_up_id = None
        if self.n_run:
            msg_id = self.kc.execute(RESET_CODE, silent=True, store_history=False)
            await client.async_wait_for_reply(msg_id)
        self.n_run += 1
        return await client.async_execute()


def _export(job: Job, executed: Any) -> Path:
    """Stamp the manifest into the executed notebook, then write it and the HTML page (each atomically)."""
    import nbformat

    from analysis.reporting import html, manifest

    executed.metadata["analysis_manifest"] = job.manifest.to_dict()
    job.manifest.rendered_at = manifest.now()
    page = html.page(executed, manifest.to_html(job.manifest), str(job.params["chart_mode"]), job.title)
    write_atomic(job.ipynb_path, nbformat.writes(executed))
    write_atomic(job.html_path, page)
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
    """Each job's notebook with its parameters injected, and nbclient imported: ready before the kernel answers."""
    import nbclient  # noqa: F401 - imported here, while the kernel starts, not after it answers

    defaults = {notebook: params_mod.notebook_defaults(notebook) for notebook in {job.notebook for job in jobs}}
    for job in jobs:
        job.nb = inject(load_notebook(job.notebook), job.params, defaults[job.notebook])


def _collect_manifests(jobs: list[Job], db_path: Path | None) -> None:
    """The manifest of every job, and the Vega bundle when a page needs it: all the export needs."""
    from analysis import db
    from analysis.reporting import html, manifest

    path = Path(db_path or config.BUILD_DB)
    git = manifest.git_state()  # once for the batch: two git processes per report add up over 153 councils
    with db.connect(path) as con:
        for job in jobs:
            quarter = params_mod.parse_quarter(job.params["quarter"])
            job.manifest = manifest.build(con, job.params, quarter.start, quarter.end, path, git)
    if any(job.params.get("chart_mode") == "interactive" for job in jobs):
        html.vega_bundle()


async def _run(
    jobs: list[Job],
    workers: int,
    on_done: Callable[[Job, BaseException | None], None],
    db_path: Path | None = None,
) -> None:
    """Render the jobs on `workers` kernels, each taking the next job when free.

    Kernel start and the kernel's imports are the slowest steps, so the kernels are launched first and sent the
    notebook's imports as soon as they answer; the parent's own work runs in threads meanwhile (the notebook file
    is read before the first execution, the manifests are only awaited before the first export), and a kernel
    that has no job left is shut down while its last report is written.
    """
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    warm_up = warm_up_code(jobs[0].notebook) if len({job.notebook for job in jobs}) == 1 else ""
    pool = [KernelWorker(warm_up=warm_up) for _ in range(max(1, min(workers, len(jobs))))]
    starts = [asyncio.ensure_future(worker.start()) for worker in pool]
    # The parent's threads start once the kernel processes exist: before, they would slow the launch (one GIL).
    await asyncio.gather(*(worker.launched.wait() for worker in pool))
    notebooks = asyncio.ensure_future(asyncio.to_thread(_load_notebooks, jobs))
    manifests = asyncio.ensure_future(asyncio.to_thread(_collect_manifests, jobs, db_path))

    async def loop(worker: KernelWorker, started: asyncio.Future[None]) -> None:
        stopping: asyncio.Future[None] | None = None
        try:
            await started
            await notebooks
            while True:
                try:
                    job = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    executed = await worker.execute(job.nb)
                    job.nb = None  # a batch keeps no executed notebook longer than its export
                    if queue.empty():  # the last job of this kernel: shut it down while the page is written
                        stopping = asyncio.ensure_future(worker.stop())
                    await manifests
                    await asyncio.to_thread(_export, job, executed)
                except Exception as exc:  # noqa: BLE001 - a failing council must not stop the batch
                    on_done(job, exc)
                else:
                    on_done(job, None)
        finally:
            await (stopping if stopping is not None else worker.stop())

    try:
        await asyncio.gather(*(loop(worker, started) for worker, started in zip(pool, starts, strict=True)))
    finally:
        await asyncio.gather(*starts, notebooks, manifests, return_exceptions=True)


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
