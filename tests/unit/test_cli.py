"""The `analysis` command: every sub-command is there, errors are one clear line, start-up stays light."""

import subprocess
import sys

from analysis import cli


def test_help_lists_every_command():
    help_text = cli.parser([]).format_help()
    for command in ("build", "info", "fetch", "sources", "add", "code-text", "validate", "export", "report"):
        assert command in help_text


def test_missing_database_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["info", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "run `analysis build` first" in err


def test_report_command_does_not_import_pandas_or_the_coding_modules():
    code = (
        "import sys; from analysis import cli; cli.parser(['report']); "
        "print(sorted(m for m in ('pandas', 'analysis.coding.commands') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
