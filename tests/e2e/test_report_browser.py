"""Open rendered reports in headless Chromium with the network removed and check that every chart is drawn.

The network goes with `unshare -n` (a new, empty network namespace) where that works; otherwise Chromium is
told to resolve no host and use a dead proxy, and the page is also checked to reference no external resource.
Skips only when Chromium is missing and REQUIRE_BROWSER is unset (CI sets it, so there it fails instead).
The synthetic database is made up (tests/e2e/report_synthetic.py); Dudley's report uses the real build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
from report_synthetic import COUNCIL_A, build  # noqa: I001  (tests/e2e is on sys.path)

from analysis.reporting import html, render

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Without unshare: nothing resolves and every connection goes to a closed port.
NO_NETWORK_FLAGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


def chromium() -> str:
    """The Chromium binary, or skip (fail when REQUIRE_BROWSER is set)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but chromium is not installed (make browser)")
        pytest.skip("chromium is not installed (make browser); set REQUIRE_BROWSER to fail instead")
    return found


@cache
def unshare_works() -> bool:
    """Whether `unshare -n` can give a process an empty network namespace here (root, or user namespaces)."""
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def dump_dom(page: Path, budget_ms: int = 20000) -> str:
    """The page's DOM after its scripts ran, from Chromium with no network."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        command += [f"--virtual-time-budget={budget_ms}", "--dump-dom", page.resolve().as_uri()]
        if unshare_works():
            command = ["unshare", "-n", *command]
        else:
            command[1:1] = NO_NETWORK_FLAGS
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def figures(dom: str) -> list[str]:
    return re.findall(r'<figure class="chart".*?</figure>', dom, re.S)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb")


def test_every_chart_draws_offline_and_injected_markup_runs_nothing(synthetic_db, tmp_path):
    page = render.render({"la_id_gss": COUNCIL_A, "quarter": "2026Q1"}, db_path=synthetic_db, out_dir=tmp_path)
    assert html.external_resources(page.read_text(encoding="utf-8")) == []
    dom = dump_dom(page)
    charts = figures(dom)
    assert len(charts) >= 5
    for chart in charts:
        assert 'data-drawn="true"' in chart and "<svg" in chart and "data-error=" not in chart, chart[:300]
    opening = re.search(r"<html[^>]*>", dom).group(0)
    assert "data-injected" not in opening  # the <script> inside a document sentence did not run
    assert "&lt;script&gt;document.documentElement.setAttribute" in dom


def test_static_report_draws_without_any_script(synthetic_db, tmp_path):
    page = render.render(
        {"la_id_gss": COUNCIL_A, "quarter": "2026Q1", "chart_mode": "static"}, db_path=synthetic_db, out_dir=tmp_path
    )
    assert "<script" not in page.read_text(encoding="utf-8").lower()
    dom = dump_dom(page, budget_ms=3000)
    charts = figures(dom)
    assert len(charts) >= 5 and all("<svg" in chart for chart in charts)
    assert "<script" not in dom.lower()


def test_dudley_report_draws_offline(built_db, tmp_path):
    page = render.render({"la_id_gss": "E08000027", "quarter": "2026Q1"}, db_path=built_db, out_dir=tmp_path)
    assert html.external_resources(page.read_text(encoding="utf-8")) == []
    charts = figures(dump_dom(page))
    assert len(charts) >= 5
    assert all('data-drawn="true"' in chart and "<svg" in chart for chart in charts)
