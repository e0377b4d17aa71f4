"""How charts show in a notebook: drawn without internet in JupyterLab, and valid under papermill and nbformat.

Altair 6's own choices all fail one of those: its default `html` renderer loads Vega from a CDN; its `mimetype`
renderer uses the key `application/vnd.vegalite.v6.json`, which nbformat rejects (a JSON value needs a key that
ends in `+json`) and which JupyterLab 4.6 has no renderer for; `svg`/`png` lose the tooltips that carry the evidence.
JupyterLab 4.6 bundles Vega 5.33 and Vega-Lite 5.6.1 (its `@jupyterlab/vega5-extension`: rank 57, marked safe, so
it also draws saved notebooks that are not trusted) for `application/vnd.vegalite.v5+json`, so the default renderer
here puts the chart's spec under that key. The suite's Vega-Lite 6 specs draw the same marks and text with
Vega-Lite 5.8 (tests/notebooks/test_lab_setup.py); the browser console only notes the version difference.
The environment variable ANALYSIS_CHART_RENDERER picks any other registered Altair renderer (e.g. `svg`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import altair as alt

RENDERER_ENV = "ANALYSIS_CHART_RENDERER"
OFFLINE_RENDERER = "offline"
# The MIME type JupyterLab 4.x (and nbformat, and VS Code) know for Vega-Lite; see the module docstring.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
TEXT_FALLBACK = "<Vega-Lite chart: open this notebook in JupyterLab to see it>"


def offline_renderer(spec: dict[str, Any], **metadata: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An Altair renderer: the spec under JupyterLab's Vega-Lite MIME type, with a text fallback; no script."""
    bundle: dict[str, Any] = {VEGALITE_MIME: spec, "text/plain": TEXT_FALLBACK}
    return bundle, ({VEGALITE_MIME: metadata} if metadata else {})


def choose_renderer(environ: Mapping[str, str] | None = None) -> str:
    """The Altair renderer to use: ANALYSIS_CHART_RENDERER when set, else the offline one."""
    env = os.environ if environ is None else environ
    wanted = env.get(RENDERER_ENV, "").strip()
    if not wanted:
        return OFFLINE_RENDERER
    known = set(alt.renderers.names()) | {OFFLINE_RENDERER}
    if wanted not in known:
        raise ValueError(f"{RENDERER_ENV}={wanted!r} is not an Altair renderer; one of: {', '.join(sorted(known))}")
    return wanted


def enable(environ: Mapping[str, str] | None = None) -> str:
    """Register the offline renderer and enable the chosen one; return its name."""
    alt.renderers.register(OFFLINE_RENDERER, offline_renderer)
    name = choose_renderer(environ)
    alt.renderers.enable(name)
    return name
