"""Build stage 5b (report_facts): what each Ofsted report and letter says of itself, into `report_facts` and
`report_judgements` (analysis.ingest.reportfacts reads the text; this stage only feeds it and stores the result)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import db
from analysis.ingest import reportfacts

if TYPE_CHECKING:
    from analysis.build import BuildContext

FACT_COLUMNS = [
    "document_id",
    "la_id_gss",
    "framework",
    "visit_type",
    "inspection_start",
    "inspection_end",
    "published_date",
    "lead_inspector",
    "inspectors",
    "parser_version",
    "note",
]
JUDGEMENT_COLUMNS = ["document_id", "judgement_area", "grade", "grade_text", "passage_id"]


def rows(
    document_id: str, la_id_gss: str | None, kind: str, text: str, paragraphs: list[dict]
) -> tuple[dict, list[dict]]:
    """The report_facts row and report_judgements rows of one document (paragraphs: its passages in order)."""
    spans = [(p["char_start"], p["char_end"]) for p in paragraphs]
    headings = [i for i, p in enumerate(paragraphs) if p["block_kind"] == "heading"]
    facts = reportfacts.read(text, spans, headings)
    notes = list(facts.notes)
    if facts.kind is not None and facts.kind != kind:
        notes.insert(0, f"registered as {kind}, but the text reads as {facts.kind}")
    fact = {
        "document_id": document_id,
        "la_id_gss": la_id_gss,
        "framework": facts.framework,
        "visit_type": facts.visit_type,
        "inspection_start": facts.inspection_start,
        "inspection_end": facts.inspection_end,
        "published_date": facts.published_date,
        "lead_inspector": facts.lead_inspector,
        "inspectors": "; ".join(facts.inspectors) or None,
        "parser_version": reportfacts.PARSER_VERSION,
        "note": "; ".join(notes) or None,
    }
    judgements = []
    for judgement in facts.judgements:
        index = reportfacts.paragraph_at(spans, judgement.start)
        judgements.append(
            {
                "document_id": document_id,
                "judgement_area": judgement.judgement_area,
                "grade": judgement.grade,
                "grade_text": judgement.grade_text,
                "passage_id": paragraphs[index]["passage_id"] if index is not None else None,
            }
        )
    return fact, judgements


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Stage 5b: report_facts and report_judgements for every inspection report and visit letter in `documents`."""
    by_document: dict[str, list[dict]] = defaultdict(list)
    for paragraph in db.records(con, "rf_paragraphs"):
        by_document[paragraph["document_id"]].append(paragraph)
    facts, judgements, reports = [], [], set()
    for document in db.records(con, "rf_documents"):
        if document["kind"] == "inspection_report":
            reports.add(document["document_id"])
        fact, graded = rows(
            document["document_id"],
            document["la_id_gss"],
            document["kind"],
            document["text"],
            by_document[document["document_id"]],
        )
        facts.append(fact)
        judgements.extend(graded)
    db.append(con, "report_facts", pd.DataFrame(facts, columns=FACT_COLUMNS).astype(object))
    db.append(con, "report_judgements", pd.DataFrame(judgements, columns=JUDGEMENT_COLUMNS))
    ungraded = len(reports - {j["document_id"] for j in judgements})
    ctx.log(
        f"report facts: {len(facts)} documents, {len(judgements)} judgements read "
        f"({ungraded} inspection report(s) with none); parser {reportfacts.PARSER_VERSION}"
    )


def check_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """`analysis info --checks`: judgements read from the reports against Ofsted's outcome files, by status, and
    every judgement on which they differ or which only the outcome files give."""
    lines = ["report judgements against Ofsted's outcome files (int_report_reconciliation):"]
    for row in db.records(con, "chk_report_status"):
        lines.append(
            f"  {row['status']:<14} {row['official_source_kind']:<20} {row['n_judgements']:>6,} judgements "
            f"in {row['n_reports']:,} reports"
        )
    differences = db.records(con, "chk_report_disagreements")
    lines.append(f"disagreements and official-only grades: {len(differences) or 'none'}")
    for row in differences:
        lines.append(
            f"  {row['status']}: {row['document_id']} {row['judgement_area']}: report "
            f"{row['report_grade_text'] or '-'!r} ({row['report_grade'] or 'not a grade'}), "
            f"{row['official_source_id']} {row['official_grade'] or '-'}"
            + (f" [{row['passage_id']}]" if row["passage_id"] else "")
        )
    return lines
