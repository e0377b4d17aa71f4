"""A build killed half-way leaves temporary files that the next build clears; two builds never write one database.

The stages here are SYNTHETIC (one made-up source row); the killed build is a real process sent SIGKILL.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from analysis import build, cli
from analysis.errors import BuildBusyError

# A child process: builds once (the previous good database), then starts a second build that SIGKILLs itself in
# the middle of a stage, after writing to its temporary database.
KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys, types
    import pandas as pd
    from analysis import build, db

    def good(con, ctx):
        db.append(con, "sources", pd.DataFrame([{"source_id": "src_good", "kind": "reference", "title": "good",
                                                "publisher": "test", "licence": "test"}]))

    def killed(con, ctx):
        good(con, ctx)
        con.execute("checkpoint")
        db.append(con, "sources", pd.DataFrame([{"source_id": "src_half", "kind": "reference", "title": "half",
                                                "publisher": "test", "licence": "test"}]))
        os.kill(os.getpid(), signal.SIGKILL)

    stages = types.ModuleType("stages_for_kill_test")
    stages.good, stages.killed = good, killed
    sys.modules["stages_for_kill_test"] = stages
    ctx = build.BuildContext(log=lambda msg: None)
    build.STAGES = [("good", "stages_for_kill_test:good")]
    build.build(sys.argv[1], ctx)
    build.STAGES = [("killed", "stages_for_kill_test:killed")]
    build.build(sys.argv[1], ctx)
    """
)


def _titles(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return [row[0] for row in con.execute("select title from sources order by title").fetchall()]


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "analysis.duckdb")


def test_the_build_after_a_killed_one_clears_its_temporary_files(tmp_path, monkeypatch):
    target = tmp_path / "analysis.duckdb"
    run = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(target)], capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    left = _leftovers(tmp_path)
    assert any(name.startswith(".analysis-") and name.endswith(".duckdb.tmp") for name in left), left
    assert any(name.endswith(".duckdb.tmp.wal") for name in left), left
    assert _titles(target) == ["good"]  # the previous database is whole

    other = tmp_path / ".other-x1.duckdb.tmp"  # another database's temporary file: not this build's pattern
    other.write_bytes(b"")
    # the temporary file of analysis-x.duckdb, built under its own lock: its name starts like this build's
    neighbour = tmp_path / ".analysis-x-ab12cd34.duckdb.tmp"
    neighbour.write_bytes(b"in use")
    logs: list[str] = []
    monkeypatch.setattr(build, "STAGES", [])
    build.build(target, build.BuildContext(log=logs.append))
    assert _leftovers(tmp_path) == sorted([neighbour.name, other.name])
    cleared = [line for line in logs if "of a build that did not finish" in line]
    assert len(cleared) == 1 and all(name in cleared[0] for name in left if name.endswith((".tmp", ".wal")))
    assert _titles(target) == []  # rebuilt (with no stages)


def _hold_lock(target, pid="12345"):
    fd = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, pid.encode())
    return fd


def test_a_second_build_is_refused_and_touches_nothing(tmp_path, monkeypatch):
    target = tmp_path / "analysis.duckdb"
    monkeypatch.setattr(build, "STAGES", [])
    build.build(target, build.BuildContext(log=lambda msg: None))
    running = tmp_path / ".analysis-ab12cd34.duckdb.tmp"  # the other build's file (mkstemp's name), in use
    running.write_bytes(b"in use")
    fd = _hold_lock(target)
    try:
        with pytest.raises(BuildBusyError, match=r"another build is writing .*analysis\.duckdb \(pid 12345\)"):
            build.build(target, build.BuildContext(log=lambda msg: None))
        assert running.read_bytes() == b"in use"
    finally:
        os.close(fd)
    build.build(target, build.BuildContext(log=lambda msg: None))  # once it has finished, the next one goes ahead
    assert not running.exists() and _leftovers(tmp_path) == []


def test_the_command_line_says_a_build_is_running(tmp_path, capsys, monkeypatch):
    target = tmp_path / "analysis.duckdb"
    monkeypatch.setattr(build, "STAGES", [])
    fd = _hold_lock(target, pid="999")
    try:
        assert cli.main(["build", "--db", str(target)]) == 2
    finally:
        os.close(fd)
    assert "error: another build is writing" in capsys.readouterr().err and not target.exists()


def test_the_log_has_a_line_per_stage_and_the_time_of_each(tmp_path, monkeypatch):
    logs: list[str] = []
    monkeypatch.setattr(build, "STAGES", [])
    build.build(tmp_path / "analysis.duckdb", build.BuildContext(log=logs.append))
    assert logs[:2] == ["build: views", "build: checks"]
    assert logs[-1].startswith("build: done in ") and "views " in logs[-1] and "checks " in logs[-1]
