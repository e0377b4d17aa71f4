"""`analysis fetch`: verified copies only, clear reasons for what could not be had, downloads from download_url."""

import csv
import functools
import hashlib
import http.server
import threading

import pytest

from analysis.ingest import fetch

PDF = b"%PDF-1.4\n% synthetic test file, not a real report\n"
HTML = b"<!DOCTYPE html><html><body>Page not found</body></html>"
FIELDS = [
    "source_id",
    "la_id_gss",
    "kind",
    "title",
    "publisher",
    "published_date",
    "published_date_precision",
    "url",
    "download_url",
    "licence",
    "sha256",
    "local_path",
    "cache_path",
    "visit_id",
    "note",
]


def _registry(data_dir, rows):
    (data_dir / "sources").mkdir(parents=True)
    with open(data_dir / "sources" / "test.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {"kind": "inspection_report", "title": "t", "publisher": "Ofsted", "licence": "OGL v3.0", **row}
            )


def _row(source_id, content, cache_path, **extra):
    return {"source_id": source_id, "sha256": hashlib.sha256(content).hexdigest(), "cache_path": cache_path, **extra}


def test_from_dir_copies_verified_files_and_names_what_it_could_not_get(tmp_path):
    local = tmp_path / "shared" / "ofsted-reports" / "1_x"
    local.mkdir(parents=True)
    (local / "good.pdf").write_bytes(PDF)
    (local / "html.pdf").write_bytes(HTML)
    (local / "changed.pdf").write_bytes(PDF + b"edited")
    _registry(
        tmp_path / "data",
        [
            _row("good", PDF, "ofsted-reports/1_x/good.pdf"),
            _row("html", HTML, "ofsted-reports/1_x/html.pdf"),
            _row("changed", PDF, "ofsted-reports/1_x/changed.pdf"),
            _row("absent", PDF, "ofsted-reports/1_x/absent.pdf"),
        ],
    )
    cache = tmp_path / "cache"
    messages = []
    report = fetch.fetch_all(cache, from_dir=tmp_path / "shared", data_dir=tmp_path / "data", log=messages.append)
    assert report.fetched == ["good"]
    assert (cache / "ofsted-reports/1_x/good.pdf").read_bytes() == PDF
    bad = dict(report.bad)
    assert set(bad) == {"html", "changed"}
    assert bad["html"] == "the file is an HTML page, not the registered .pdf document"
    assert "does not match the registry" in bad["changed"]
    assert report.missing == [("absent", f"not in {tmp_path / 'shared'}")]
    assert not (cache / "ofsted-reports/1_x/html.pdf").exists()
    assert not list(cache.rglob("*.part"))
    assert any("not available: absent" in m for m in messages)
    # A second run finds the verified file already in the cache.
    assert fetch.fetch_all(cache, from_dir=tmp_path / "shared", data_dir=tmp_path / "data", log=print).ok == ["good"]


@pytest.fixture()
def web(tmp_path):
    """A web server on localhost serving tmp_path/www (stands in for the publisher)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_download_prefers_download_url_and_reports_failures(tmp_path, web):
    root, base = web
    (root / "file.pdf").write_bytes(PDF)
    (root / "landing.html").write_bytes(HTML)
    _registry(
        tmp_path / "data",
        [
            _row("direct", PDF, "a/direct.pdf", url=f"{base}/landing.html", download_url=f"{base}/file.pdf"),
            _row("landing_only", PDF, "a/landing.pdf", url=f"{base}/landing.html"),
            _row("gone", PDF, "a/gone.pdf", url=f"{base}/gone.pdf"),
        ],
    )
    report = fetch.fetch_all(tmp_path / "cache", data_dir=tmp_path / "data", log=lambda m: None, timeout=5)
    assert report.fetched == ["direct"]
    assert [s for s, _ in report.bad] == ["landing_only"]
    assert report.missing[0][0] == "gone" and "download failed" in report.missing[0][1]


def test_exit_code_is_an_error_only_when_strict(tmp_path, monkeypatch):
    _registry(tmp_path / "data", [_row("absent", PDF, "a/absent.pdf")])
    monkeypatch.setattr(fetch.config, "DATA", tmp_path / "data")
    from analysis import cli

    args = ["fetch", "--from", str(tmp_path / "nowhere"), "--cache", str(tmp_path / "cache")]
    assert cli.main(args) == 0
    assert cli.main([*args, "--strict"]) == 1
