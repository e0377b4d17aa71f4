"""`make lab`: the .py notebooks open as notebooks, run on the venv's Python, and draw their charts offline.

The first tests need only the runtime and test extras (CI): the renderer choice, the MIME bundle it makes, the
jupytext and JupyterLab settings the Makefile points at. The rest start a real JupyterLab server and are skipped
where the `lab` extra is not installed; the last one also drives headless Chromium with no route off the machine.
The charts drawn in these tests are SYNTHETIC (made-up numbers); no value is a fact about a council.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import altair as alt
import jupytext
import nbformat
import pandas as pd
import pytest
import vl_convert
from jupytext.config import load_jupytext_config

from analysis.charts import display, theme

EXPLORE = ["01_timeline", "02_theme_explorer", "03_evidence_search", "04_benchmarks", "05_peers"]
JUPYTEXT_VIEWER = "Jupytext Notebook"  # the document factory that jupyterlab-jupytext registers
# JupyterLab 4.6 bundles Vega-Lite 5.6.1; 5.8 is the oldest Vega-Lite that vl-convert can compile with.
OLDEST_VEGA_LITE = "5.8"


def synthetic_chart() -> alt.TopLevelMixin:
    """A layered chart with a tooltip and a selection, finished with the suite's theme (made-up numbers)."""
    frame = pd.DataFrame(
        {
            "visit": ["a", "b", "c"],
            "concern_share": [0.8, 0.5, 0.1],
            "reading": ["mostly_concerns", "mixed", "mostly_strengths"],
            "quote": ["x", "y", "z"],
        }
    )
    pick = alt.selection_point(fields=["visit"])
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("visit:N", title="Visit"),
            y=alt.Y("concern_share:Q", title=theme.axis_title("Concern share", "share")),
            color=alt.Color("reading:N", scale=theme.reading_scale()),
            tooltip=["visit:N", "quote:N"],
        )
        .add_params(pick)
    )
    rule = alt.Chart(frame).mark_rule().encode(y=alt.datum(0.5))
    return theme.finish(alt.layer(bars, rule), "Synthetic: concern share fell", "made-up numbers")


def _notebook_with(bundles: list[dict[str, Any]]) -> nbformat.NotebookNode:
    cells = [
        nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output("display_data", data=b)]) for b in bundles
    ]
    return nbformat.v4.new_notebook(cells=cells)


# --- renderer choice (no JupyterLab needed) ---------------------------------------------------------------------


def test_renderer_is_offline_unless_the_environment_names_another() -> None:
    assert display.choose_renderer({}) == display.OFFLINE_RENDERER
    assert display.choose_renderer({display.RENDERER_ENV: " "}) == display.OFFLINE_RENDERER
    assert display.choose_renderer({display.RENDERER_ENV: "svg"}) == "svg"
    with pytest.raises(ValueError, match=f"{display.RENDERER_ENV}='vega-cdn'"):
        display.choose_renderer({display.RENDERER_ENV: "vega-cdn"})


def test_importing_the_charts_enables_the_offline_renderer() -> None:
    try:
        assert display.enable({display.RENDERER_ENV: "svg"}) == "svg"
        assert alt.renderers.active == "svg"
    finally:
        display.enable({})
    assert alt.renderers.active == display.OFFLINE_RENDERER


def test_offline_bundle_has_the_spec_under_jupyterlabs_mime_type_and_no_script() -> None:
    chart = synthetic_chart()
    data, _ = chart._repr_mimebundle_()
    assert set(data) == {display.VEGALITE_MIME, "text/plain"}  # no text/html: nothing to fetch, nothing to run
    assert data[display.VEGALITE_MIME]["datasets"]  # the data is inline
    assert data[display.VEGALITE_MIME]["description"] == chart.to_dict()["description"]


def test_offline_bundle_is_a_valid_notebook_output_where_altairs_mimetype_one_is_not() -> None:
    data, _ = synthetic_chart()._repr_mimebundle_()
    nbformat.validate(_notebook_with([data]))  # what papermill checks when it writes the executed notebook
    # Why Altair's own `mimetype` renderer made papermill fail (../shared/reference/stack-notes.md): its key does not
    # end in `+json`, so nbformat wants a string there. If Altair fixes this, this assertion fails and says so.
    try:
        alt.renderers.enable("mimetype")
        altairs, _ = synthetic_chart()._repr_mimebundle_()
    finally:
        display.enable({})
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(_notebook_with([altairs]))


def _drawing(spec: dict[str, Any], vl_version: str) -> tuple[list[str], list[str]]:
    """What a spec draws with a Vega-Lite version: its SVG elements in order and its texts, not the positions.

    Positions are left out: Vega-Lite 6 moved band-axis labels by half a pixel.
    """
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vl_version)
    return re.findall(r"<([a-zA-Z]+)", svg), [t.strip() for t in re.findall(r">([^<]+)<", svg) if t.strip()]


def test_chart_spec_draws_the_same_with_the_oldest_vega_lite_5() -> None:
    spec = synthetic_chart().to_dict()
    versions = vl_convert.get_vegalite_versions()
    assert OLDEST_VEGA_LITE in versions
    assert _drawing(spec, OLDEST_VEGA_LITE) == _drawing(spec, versions[-1])


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPLORE)
def test_notebook_charts_are_offline_bundles_that_vega_lite_5_draws_the_same(
    built_db: Path, repo_root: Path, tmp_path: Path, name: str
) -> None:
    import papermill

    notebook = tmp_path / f"{name}.ipynb"
    jupytext.write(jupytext.read(repo_root / "notebooks" / f"{name}.py"), notebook)
    out = tmp_path / f"{name}.out.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), parameters={"db_path": str(built_db)}, kernel_name="python3", cwd=str(tmp_path)
    )
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    charts = [o["data"] for o in outputs if any("vega" in key for key in o.get("data", {}))]
    assert charts
    for data in charts:
        assert set(data) == {display.VEGALITE_MIME, "text/plain"}
        spec = json.loads(json.dumps(data[display.VEGALITE_MIME]))
        assert _drawing(spec, OLDEST_VEGA_LITE) == _drawing(spec, vl_convert.get_vegalite_versions()[-1])


# --- the settings `make lab` uses (no JupyterLab needed) ----------------------------------------------------------


def test_makefile_lab_target_points_jupyter_at_the_committed_settings(repo_root: Path) -> None:
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", (repo_root / "Makefile").read_text(), re.M)
    assert recipe, "no lab target in the Makefile"
    assert "$(CURDIR)/notebooks/.jupyter" in recipe.group(1)
    assert "--notebook-dir=notebooks" in recipe.group(1)
    assert "$(abspath $(LAB_VENV))/share/jupyter" in recipe.group(1)  # the venv's python3 kernel comes first


def test_lab_overrides_open_py_files_as_notebooks_and_stay_offline(repo_root: Path) -> None:
    overrides = json.loads((repo_root / "notebooks/.jupyter/labconfig/default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"] == {"python": JUPYTEXT_VIEWER}
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}


@pytest.mark.parametrize("name", EXPLORE)
def test_notebook_header_survives_a_save_from_jupyterlab(repo_root: Path, name: str) -> None:
    path = repo_root / "notebooks" / f"{name}.py"
    config = load_jupytext_config(str(path))
    assert config is not None, "notebooks/jupytext.toml was not found"
    wanted = tomllib.loads((repo_root / "notebooks/jupytext.toml").read_text())["notebook_metadata_filter"]
    assert config.notebook_metadata_filter == wanted
    notebook = jupytext.read(path)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.metadata["jupytext"]["notebook_metadata_filter"] == wanted
    assert any("parameters" in c.metadata.get("tags", []) for c in notebook.cells)
    # JupyterLab saves through jupytext with this config: the text must come back byte for byte (no version stamp).
    assert jupytext.writes(notebook, fmt="py:percent", config=config) == path.read_text()


# --- a real JupyterLab server (skipped without the `lab` extra) ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on a copy of the notebooks, started the way `make lab` starts it."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.url = root, f"http://127.0.0.1:{port}"
        self._jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._jar))

    def call(self, method: str, path: str, body: object = None) -> Any:
        xsrf = next((c.value for c in self._jar if c.name == "_xsrf"), "")
        request = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", "X-XSRFToken": xsrf},
        )
        raw = self._opener.open(request, timeout=60).read()
        return json.loads(raw) if raw else None

    def visit(self, path: str) -> None:
        """GET a page (not JSON), e.g. /lab, which sets the _xsrf cookie that writes need."""
        self._opener.open(self.url + path, timeout=60).read()

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self._jar)


@pytest.fixture(scope="module")
def lab(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    pytest.importorskip("jupyterlab", reason="the `lab` extra is not installed (make lab installs it)")
    home = tmp_path_factory.mktemp("lab")
    root = home / "notebooks"
    root.mkdir()
    for name in EXPLORE:
        shutil.copy(repo_root / "notebooks" / f"{name}.py", root)
    shutil.copy(repo_root / "notebooks" / "jupytext.toml", root)
    shutil.copytree(repo_root / "notebooks" / ".jupyter", root / ".jupyter")
    port = _free_port()
    env = {
        **os.environ,
        # as the Makefile sets them
        "JUPYTER_CONFIG_PATH": str(root / ".jupyter"),
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        # and the user's own Jupyter settings, runtime files and workspaces kept out of the way
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    env.pop(display.RENDERER_ENV, None)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}"]
    command += [f"--ServerApp.root_dir={root}", "--IdentityProvider.token=", "--ServerApp.password="]
    command += ["--LabApp.expose_app_in_browser=True"]
    log = (home / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    running = Lab(root, port)
    try:
        for _ in range(240):
            try:
                running.visit("/lab")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(home / 'server.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 120 s")
        yield running
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPLORE)
def test_lab_serves_the_py_file_as_a_notebook_and_saves_it_unchanged(lab: Lab, name: str) -> None:
    model = lab.call("GET", f"/api/contents/{name}.py")
    assert model["type"] == "notebook"
    notebook = model["content"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert any("parameters" in c["metadata"].get("tags", []) for c in notebook["cells"])
    before = (lab.root / f"{name}.py").read_bytes()
    lab.call("PUT", f"/api/contents/{name}.py", {"type": "notebook", "format": "json", "content": notebook})
    assert (lab.root / f"{name}.py").read_bytes() == before


@pytest.mark.slow
def test_lab_settings_open_py_files_with_jupytext(lab: Lab) -> None:
    settings = lab.call("GET", "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    assert settings["schema"]["properties"]["defaultViewers"]["default"] == {"python": JUPYTEXT_VIEWER}


@pytest.mark.slow
def test_lab_python3_kernel_is_this_python_with_analysis_and_the_offline_renderer(lab: Lab) -> None:
    websocket = pytest.importorskip("websocket", reason="websocket-client comes with jupyter_server")
    assert lab.call("GET", "/api/kernelspecs")["default"] == "python3"
    kernel = lab.call("POST", "/api/kernels", {"name": "python3"})
    channel = websocket.create_connection(
        f"{lab.url.replace('http', 'ws')}/api/kernels/{kernel['id']}/channels",
        header=[f"Cookie: {lab.cookie()}"],
        timeout=120,
    )
    try:
        msg_id = uuid.uuid4().hex
        code = "import sys, analysis.charts, altair; print(sys.executable, altair.renderers.active, sep='|')"
        channel.send(
            json.dumps(
                {
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": msg_id, "version": "5.3"},
                    "parent_header": {},
                    "metadata": {},
                    "content": {"code": code, "silent": False, "store_history": False, "allow_stdin": False},
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        printed, errors = "", []
        while True:
            message = json.loads(channel.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed += message["content"]["text"]
            elif message["msg_type"] == "error":
                errors.append(message["content"]["evalue"])
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
    finally:
        channel.close()
        lab.call("DELETE", f"/api/kernels/{kernel['id']}")
    assert not errors
    executable, renderer = printed.strip().split("|")
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    assert renderer == display.OFFLINE_RENDERER


def test_jupyterlab_bundles_a_renderer_for_the_charts_mime_type() -> None:
    pytest.importorskip("jupyterlab", reason="the `lab` extra is not installed (make lab installs it)")
    from jupyterlab.commands import get_app_dir

    bundles = list((Path(get_app_dir()) / "static").glob("*.js"))
    assert bundles, "JupyterLab's static bundle was not found"
    assert any(display.VEGALITE_MIME.encode() in js.read_bytes() for js in bundles)


# --- the charts drawn in JupyterLab in headless Chromium, nothing fetched from off the machine -------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium is not installed (make browser)")
    return found


class _Page:
    """The Chrome DevTools Protocol, just enough to navigate, evaluate and log requests."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self._ws = websocket.create_connection(ws_url, timeout=60)
        self._next = 0
        self.requests: list[str] = []

    def send(self, method: str, **params: object) -> dict[str, Any]:
        self._next += 1
        self._ws.send(json.dumps({"id": self._next, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            if message.get("id") == self._next:
                return message.get("result", {})

    def evaluate(self, expression: str) -> Any:
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        self._ws.close()


@pytest.mark.slow
@pytest.mark.e2e
def test_charts_draw_in_jupyterlab_with_nothing_fetched_off_the_machine(lab: Lab, tmp_path: Path) -> None:
    pytest.importorskip("websocket", reason="websocket-client comes with jupyter_server")
    charts = [synthetic_chart(), synthetic_chart().properties(width=300)]
    shown = [chart._repr_mimebundle_() for chart in charts]  # what the active renderer makes
    bundles = [b[0] if isinstance(b, tuple) else b for b in shown]
    nbformat.write(_notebook_with(bundles), lab.root / "charts.ipynb")
    devtools = _free_port()
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    command += ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
    # No name resolves but the server's address, and every other connection goes to a closed port.
    command += ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=127.0.0.1:9"]
    command += [f"--user-data-dir={tmp_path / 'profile'}", f"--remote-debugging-port={devtools}", "about:blank"]
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = None
    try:
        for _ in range(120):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json", timeout=5))
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("Chromium's DevTools did not answer")
        page = _Page(next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"))
        page.send("Network.enable")
        page.send("Page.navigate", url=f"{lab.url}/lab/workspaces/test/tree/charts.ipynb?reset")
        probe = (
            "({charts: document.querySelectorAll('.jp-RenderedVegaLite').length,"
            " drawn: document.querySelectorAll('.jp-RenderedVegaLite canvas, .jp-RenderedVegaLite svg.marks').length})"
        )
        state: dict[str, int] = {}
        for _ in range(90):
            time.sleep(1)
            state = page.evaluate(probe) or {}
            if state.get("drawn") == len(charts):
                break
        if state.get("drawn") != len(charts):
            shot = page.send("Page.captureScreenshot", format="png").get("data", "")
            (tmp_path / "lab.png").write_bytes(base64.b64decode(shot))
        assert state == {"charts": len(charts), "drawn": len(charts)}, f"see {tmp_path / 'lab.png'}"
        external = {u for u in page.requests if not u.startswith((lab.url, "data:", "blob:", "about:"))}
        assert not external
    finally:
        if page is not None:
            page.close()
        browser.terminate()
        browser.wait(timeout=30)
