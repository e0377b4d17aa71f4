"""A small SYNTHETIC database for report tests: two made-up councils, invented visits, texts and codings.

Nothing here is a fact about a real council: the GSS codes (E06999991-4) are not issued, every date,
grade and sentence is invented, and one sentence carries markup on purpose, to prove that the report escapes
document text (`<script>`, `</script>`, `&`, U+2028). Tests that need the real data use the `built_db` fixture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from analysis import db

COUNCIL_A = "E06999991"
COUNCIL_B = "E06999992"
# C: its latest visit, a graded inspection, has no text and its grade was not read; D: no document at all
COUNCIL_C = "E06999993"
COUNCIL_D = "E06999994"
# The hostile sentence: it must show as text in the report and never run.
INJECTION = (
    "Social workers said <script>document.documentElement.setAttribute('data-injected', 'yes')</script> and "
    "</script><b>bold</b> "
    "caseloads are too high & rising\u2028still."
)


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# Columns other engineers may add to the schema as NOT NULL; filled only when the table has them.
_LATER_COLUMNS = {"passages": {"block_kind": "paragraph"}}


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    frame = _frame(rows)
    relation = con.table(table)
    for column, kind in zip(relation.columns, relation.types, strict=True):
        if column in frame:
            continue
        if column in _LATER_COLUMNS.get(table, {}):
            frame[column] = _LATER_COLUMNS[table][column]
        elif str(kind) == "BOOLEAN":  # is_/has_ flags added later: false unless a test says otherwise
            frame[column] = False
    db.append(con, table, frame)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def build(path: Path, with_injection: bool = True) -> Path:
    """Create the synthetic database at `path` (schema, rows, views) and return the path."""
    con = duckdb.connect(str(path))
    try:
        db.create_schema(con)
        _fill(con, with_injection)
        db.create_views(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def _fill(con: duckdb.DuckDBPyConnection, with_injection: bool) -> None:
    sources = []
    visits = []
    judgements = []
    documents = []
    passages = []
    codings = []
    recommendations = []
    rec_themes = []
    councils = [
        {
            "la_id_gss": COUNCIL_A,
            "la_id_dfe": 991,
            "la_urn_ofsted": 99991,
            "la_name": "Synthetic Borough A",
            "region_id_gss": "E12000005",
            "region_name": "West Midlands",
            "la_type": "metropolitan_district",
            "source_id": "synthetic.councils",
        },
        {
            "la_id_gss": COUNCIL_B,
            "la_id_dfe": 992,
            "la_urn_ofsted": 99992,
            "la_name": "Synthetic Borough B",
            "region_id_gss": "E12000005",
            "region_name": "West Midlands",
            "la_type": "metropolitan_district",
            "source_id": "synthetic.councils",
        },
        *(
            {
                "la_id_gss": la,
                "la_id_dfe": dfe,
                "la_urn_ofsted": 99990 + dfe - 990,
                "la_name": name,
                "region_id_gss": "E12000005",
                "region_name": "West Midlands",
                "la_type": "metropolitan_district",
                "source_id": "synthetic.councils",
            }
            for la, dfe, name in [(COUNCIL_C, 993, "Synthetic Borough C"), (COUNCIL_D, 994, "Synthetic Borough D")]
        ),
    ]
    sources.append(
        {
            "source_id": "synthetic.councils",
            "kind": "lookup",
            "title": "Synthetic council list",
            "publisher": "tests",
            "licence": "synthetic",
        }
    )
    # (suffix, type, framework, fieldwork end, published, grade or None, sentences as (text, theme, polarity))
    plan = [
        (
            "2016-01-sif",
            "sif_inspection",
            "sif",
            "2016-02-05",
            "2016-04-05",
            "inadequate",
            [
                ("Caseloads are too high for many social workers.", "caseloads", "concern"),
                ("Supervision is infrequent and lacks reflection.", "supervision", "concern"),
                ("Assessments are weak and do not analyse risk.", "assessment_quality", "concern"),
                ("Leaders have a clear plan.", "leadership", "strength"),
            ],
        ),
        (
            "2019-11-ilacs_standard",
            "ilacs_standard",
            "ilacs",
            "2019-11-15",
            "2020-01-10",
            "requires_improvement",
            [
                ("Caseloads remain high in the assessment teams.", "caseloads", "concern"),
                ("Supervision is now regular.", "supervision", "improving"),
                ("Most assessments are thorough.", "assessment_quality", "strength"),
            ],
        ),
        (
            "2026-01-focused_visit",
            "focused_visit",
            "ilacs",
            "2026-01-22",
            "2026-02-20",
            None,
            [
                (INJECTION if with_injection else "Caseloads are too high and rising.", "caseloads", "concern"),
                ("Supervision is regular and reflective.", "supervision", "strength"),
                ("Some assessments are not updated when circumstances change.", "assessment_quality", "concern"),
            ],
        ),
    ]
    # C and D: (suffix, type, framework, fieldwork end, published, grade or None, sentences); no sentences, no text
    late_plan = {
        COUNCIL_C: [
            plan[0],
            ("2025-06-ilacs_standard", "ilacs_standard", "ilacs", "2025-06-20", "2025-08-01", None, []),
        ],
        COUNCIL_D: [("2023-05-ilacs_standard", "ilacs_standard", "ilacs", "2023-05-12", "2023-07-01", "good", [])],
    }
    for la, rows in [(COUNCIL_A, plan), (COUNCIL_B, plan), *late_plan.items()]:
        for suffix, vtype, framework, end, published, grade, sentences in rows:
            visit_id = f"{la}-{suffix}"
            source_id = f"synthetic.{la.lower()}.{suffix}"
            url = f"https://reports.example.org/{la}/{suffix}.pdf"
            sources.append(
                {
                    "source_id": source_id,
                    "la_id_gss": la,
                    "kind": "focused_visit_letter" if vtype == "focused_visit" else "inspection_report",
                    "title": f"Synthetic {vtype.replace('_', ' ')} of {la}",
                    "publisher": "tests",
                    "published_date": _d(published),
                    "published_date_precision": "day",
                    "url": url,
                    "licence": "synthetic",
                    "visit_id": visit_id,
                }
            )
            visits.append(
                {
                    "visit_id": visit_id,
                    "la_id_gss": la,
                    "visit_type": vtype,
                    "framework": framework,
                    "title": f"Synthetic {vtype.replace('_', ' ')}",
                    "fieldwork_start": _d(end) - dt.timedelta(days=10),
                    "fieldwork_end": _d(end),
                    "fieldwork_precision": "day",
                    "published_date": _d(published),
                    "published_precision": "day",
                    "is_uncertain": False,
                    "source_id": source_id,
                }
            )
            if grade:
                judgements.append(
                    {
                        "visit_id": visit_id,
                        "judgement_area": "overall_effectiveness",
                        "grade": grade,
                        "is_overall": True,
                        "source_id": source_id,
                    }
                )
            if not sentences:
                continue  # a visit known only from the registry: no document, as for a report not yet fetched
            text = " ".join(s for s, _, _ in sentences)
            documents.append(
                {
                    "document_id": source_id,
                    "source_id": source_id,
                    "la_id_gss": la,
                    "visit_id": visit_id,
                    "kind": "focused_visit_letter" if vtype == "focused_visit" else "inspection_report",
                    "title": f"Synthetic report {suffix}",
                    "published_date": _d(published),
                    "path": f"synthetic/{suffix}.txt",
                    "media_type": "text/plain",
                    "n_chars": len(text),
                    "sha256": "0" * 64,
                    "text": text,
                }
            )
            start = 0
            for seq, (sentence, theme, polarity) in enumerate(sentences, start=1):
                passage_id = f"{source_id}#s{seq:04d}"
                passages.append(
                    {
                        "passage_id": passage_id,
                        "document_id": source_id,
                        "passage_kind": "sentence",
                        "seq": seq,
                        "char_start": start,
                        "char_end": start + len(sentence),
                        "text": sentence,
                    }
                )
                start += len(sentence) + 1
                codings.append(
                    {
                        "passage_id": passage_id,
                        "document_id": source_id,
                        "theme_id": theme,
                        "polarity": polarity,
                        "method": "rule",
                        "codebook_version": "synthetic-1",
                    }
                )
            rec_id = f"{visit_id}-r1"
            recommendations.append(
                {
                    "recommendation_id": rec_id,
                    "visit_id": visit_id,
                    "document_id": source_id,
                    "seq": 1,
                    "text": "Reduce caseloads.",
                    "source_id": source_id,
                }
            )
            rec_themes.append({"recommendation_id": rec_id, "theme_id": "caseloads"})
    response_source = f"synthetic.{COUNCIL_A.lower()}.response"
    sources.append(
        {
            "source_id": response_source,
            "la_id_gss": COUNCIL_A,
            "kind": "council_report",
            "title": "Synthetic council response <i>draft</i>",
            "publisher": "tests",
            "published_date": _d("2026-02-27"),
            "published_date_precision": "day",
            "url": "https://council.example.org/response.pdf",
            "licence": "synthetic",
        }
    )
    events = [
        {
            "event_id": f"{COUNCIL_A}-2026-02-response",
            "la_id_gss": COUNCIL_A,
            "event_type": "council_response",
            "event_date": _d("2026-02-27"),
            "event_precision": "day",
            "title": "Synthetic council response to the focused visit",
            "source_id": response_source,
        }
    ]
    priorities = [
        ("Bring caseloads down to a manageable level", ["caseloads", "workforce_sufficiency"]),
        ("Make supervision regular and reflective", ["supervision"]),
        ("Improve the quality of assessments <em>now</em>", ["assessment_quality"]),
    ]
    council_priorities = [
        {
            "priority_id": f"{COUNCIL_A}-p{seq}",
            "la_id_gss": COUNCIL_A,
            "event_id": events[0]["event_id"],
            "seq": seq,
            "paraphrase": text,
            "source_id": response_source,
        }
        for seq, (text, _) in enumerate(priorities, start=1)
    ]
    priority_themes = [
        {"priority_id": f"{COUNCIL_A}-p{seq}", "theme_id": theme}
        for seq, (_, themes) in enumerate(priorities, start=1)
        for theme in themes
    ]
    themes = [
        ("caseloads", "Caseloads", "enabler 2"),
        ("supervision", "Supervision", "enabler 2"),
        ("assessment_quality", "Assessment quality", "outcome 1"),
        ("leadership", "Leadership", "enabler 2"),
        ("workforce_sufficiency", "Workforce sufficiency", "enabler 3"),
    ]
    grades = [
        ("outstanding", "Outstanding", 1),
        ("good", "Good", 2),
        ("adequate", "Adequate", 3),
        ("requires_improvement", "Requires improvement", 3),
        ("inadequate", "Inadequate", 4),
    ]
    _append(con, "sources", sources)
    _append(con, "councils", councils)
    neighbours = [
        {"la_id_gss": COUNCIL_A, "model": "2025", "neighbour_rank": rank, "neighbour_la_id_gss": la,
         "source_id": "synthetic.councils"}
        for rank, la in enumerate([COUNCIL_B, COUNCIL_C, COUNCIL_D], start=1)
    ]  # fmt: skip
    _append(con, "stat_neighbours", neighbours)
    _append(con, "grades", ([{"grade": g, "label": lb, "grade_rank": r} for g, lb, r in grades]))
    _append(con, "visits", visits)
    _append(con, "judgements", judgements)
    _append(con, "events", events)
    _append(con, "council_priorities", council_priorities)
    _append(con, "council_priority_themes", priority_themes)
    _append(con, "documents", documents)
    _append(con, "passages", passages)
    _append(
        con,
        "themes",
        (
            [
                {"theme_id": t, "label": lb, "definition": f"synthetic {lb}", "framework_area": fa, "is_core": True}
                for t, lb, fa in themes
            ]
        ),
    )
    _append(con, "codings", codings)
    _append(con, "recommendations", recommendations)
    _append(con, "recommendation_themes", rec_themes)
