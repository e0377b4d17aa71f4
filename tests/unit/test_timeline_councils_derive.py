"""councils.derive on SYNTHETIC lookup files (eleven made-up councils), including the checks that stop it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import councils

CODES = [str(c) for c in range(901, 912)]  # synthetic DfE codes
GSS = {code: f"E06{int(code):06d}" for code in CODES}


def _write(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def make_lookups(root: Path, provider_gss: dict[str, str] | None = None) -> Path:
    sn_header = ["old_la_code", "la_name", "region_ind", "region_name"]
    sn_header += [f"SN_{k}{p}" for k in range(1, 11) for p in ("", "P")]
    sn_rows = []
    for code in CODES:
        others = [c for c in CODES if c != code]
        cells = [code, f"Council {code}", "1", "East Midlands"]
        for neighbour in others:
            cells += [neighbour, "Close "]
        sn_rows.append(cells)
    _write(root / councils.SN_2025, [sn_header, *sn_rows])
    sn21 = [["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [h for k in range(1, 11) for h in (f"SN{k}", "SNP")]]
    for code in CODES:
        others = [c for c in CODES if c != code][::-1]
        sn21.append(
            [code, f"Council {code}", code, "1", "East Midlands"] + [x for n in others for x in (n, "Very Close")]
        )
    sn21 += [[""] * 25, ["", "Old SNs:"] + [""] * 23, ["999", "Gone (Pre LG)", "999", "1", "East Midlands"] + [""] * 20]
    _write(root / councils.SN_2021, sn21)
    pop_header = ["time_period", "geographic_level", "region_code", "region_name", "old_la_code", "new_la_code"]
    pop = [pop_header, ["2024", "Regional", "E12000004", "East Midlands", "", ""]]
    pop += [["2024", "Local authority", "E12000004", "East Midlands", code, GSS[code]] for code in CODES]
    _write(root / councils.POPULATION, pop)
    provider = [["urn", "la_code", "la_code_new"]]
    provider += [[str(80000 + i), code, (provider_gss or {}).get(code, GSS[code])] for i, code in enumerate(CODES)]
    _write(root / councils.PROVIDER, provider)
    return root


def test_derive_synthetic_lookups(tmp_path):
    frame, links = councils.derive(make_lookups(tmp_path))
    assert len(frame) == 11
    assert frame.loc[0, "la_id_gss"] == "E06000901"
    assert (frame.loc[0, "la_type"], frame.loc[0, "region_id_gss"]) == ("unitary_authority", "E12000004")
    assert links.groupby("model").size().to_dict() == {"2021": 110, "2025": 110}
    first = links[(links["la_id_gss"] == "E06000901") & (links["model"] == "2025")]
    assert first["neighbour_la_id_gss"].tolist()[:2] == ["E06000902", "E06000903"]
    assert set(links["closeness"]) == {"close", "very close"}


def test_gss_codes_that_disagree_stop_the_derivation(tmp_path):
    root = make_lookups(tmp_path, provider_gss={"903": "E06000999"})
    with pytest.raises(InputError) as caught:
        councils.derive(root)
    err = caught.value
    assert err.file.endswith("sn_model_2025_wide.csv")
    assert (err.row, err.field) == (4, "old_la_code")
    assert "E06000999" in str(err)


def test_a_missing_lookup_file_is_named(tmp_path):
    root = make_lookups(tmp_path)
    (root / councils.PROVIDER).unlink()
    with pytest.raises(InputError, match="Provider_data_lookup.csv"):
        councils.derive(root)


def test_write_then_read_back(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    councils.write(make_lookups(tmp_path / "official"), seeds)
    frame, links = councils.read_seeds(seeds)
    assert len(frame) == 11 and len(links) == 220
