"""analysis.ingest.reportfacts on small texts, one per layout Ofsted has used since 2012.

Every text below is SYNTHETIC: made-up councils, people and dates laid out as the reports and letters lay them
out (paragraphs separated by a blank line, as documents.extract writes them); none is a fact about a council.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.ingest import reportfacts
from analysis.ingest.reportfacts import read


def _doc(*paragraphs: str) -> str:
    """A document's clean text: one paragraph per line, a blank line between paragraphs."""
    return "\n\n".join(paragraphs) + "\n"


SIF = _doc(
    "Northby Borough Council",
    ("Inspection of services for children in need of help and protection, children looked after and care leavers and"),
    "Review of the effectiveness of the Local Safeguarding Children",
    "Board",
    "Inspection date: 11 January to 8 February 2016",
    "Report published: 5 April 2016",
    "Children’s services in Northby Borough Council are inadequate",
    "1. Children who need help and protection Inadequate",
    "2. Children looked after and achieving",
    "permanence",
    (
        "Requires improvement 2.1 Adoption performance Good 2.2 Experiences and progress of care leavers "
        "Requires improvement"
    ),
    "3. Leadership, management and governance Inadequate",
    "Executive summary",
    (
        "There are serious and widespread failures in the services provided to children who need help and "
        "protection in Northby, and leaders have known of the weaknesses for too long without acting on them."
    ),
    "Previous Ofsted inspections",
    "Overall effectiveness: good",
    "The experiences and progress of children who need help and protection Inadequate",
    "The graded judgement for adoption performance is that it is good",
    "Leadership, management and governance Inadequate",
    "The Local Safeguarding Children Board is inadequate",
    "The inspection team",
    "Lead inspector: Ann Example",
    "Deputy lead inspector: Ben Sample HMI",
    "Team inspectors: Cath Person, Dev Name (associate inspector) and Eve Other",
    "Shadow inspectors: Fay Trainee",
    "Senior data analyst: Gus Numbers",
)

ILACS_2019 = _doc(
    "Inspection of Eastwick local authority children’s services",
    "Inspection dates: 29 October 2018 to 9 November 2018",
    "Lead inspector: Hal Leader, Her Majesty’s Inspector",
    "Judgement Grade",
    "The impact of leaders on social work practice with children and families",
    "Good",
    "The experiences and progress of children who need help and protection",
    "Requires improvement to be good",
    "The experiences and progress of children in care and care leavers Good",
    "Overall effectiveness Requires improvement to be good",
    (
        "Since the last inspection in 2016 children in Eastwick receive better help, and the overall "
        "effectiveness of services is judged to be good in several areas that were inadequate before; more "
        "remains to do."
    ),
    "What needs to improve",
    "The timeliness of strategy meetings.",
    ("The experiences and progress of children who need help and protection: requires improvement to be good"),
)

ILACS_2024_SHORT = _doc(
    "Inspection of Westham local authority children’s services",
    "Inspection dates: 24 to 28 March 2025",
    "Lead inspector: Ida Lead HMI",
    "Judgement Grade",
    "The impact of leaders on social work practice with children and families",
    "Outstanding",
    "The experiences and progress of children who need help and protection",
    "Good",
    "The experiences and progress of children in care",
    "Outstanding",
    "The experiences and progress of children care leavers",
    "Requires improvement to be good",
    "Overall effectiveness Good",
)

ILACS_2026 = _doc(
    "Inspection of Southmoor local authority children’s services",
    "Inspection dates: 11 to 22 May 2026",
    "Lead inspector: Jo Lead, His Majesty’s Inspector",
    "Judgement Grade",
    "The impact of leaders on practice with children and families",
    "Outstanding",
    "The experiences and progress of children who need help and protection",
    "Good",
    "The experiences and progress of children in care",
    "Good",
    "The experiences and progress of care leavers",
    "Good",
    (
        "Services in Southmoor have improved since the last inspection in 2022, when the overall "
        "effectiveness judgement was ‘requires improvement to be good’, and leaders now know their services "
        "well and act quickly on what they find."
    ),
)

PRE_SIF = _doc(
    "Inspection of looked after children services",
    "Northby Council",
    "Inspection dates: 15-19 July 2013 Reporting inspector Kim Report HMI",
    "Overall effectiveness of services for looked after children and young people",
    "Grade 4 (Inadequate)",
    "Capacity to improve",
    "Grade 3 (Adequate)",
)

FOCUSED_VISIT = _doc(
    "Ofsted",
    "20 November 2025",
    "Lee Director",
    "Dear Ms Director",
    "Focused visit to Northby children’s services",
    (
        "This letter summarises the findings of the focused visit to Northby children’s services on 21 and 22 "
        "October 2025. His Majesty’s Inspectors for this visit were Max Lead and Ned Second."
    ),
    "Inspectors looked at the local authority’s arrangements for the 'front door'.",
    (
        "This visit was carried out in line with the inspection of local authority children’s services "
        "(ILACS) framework."
    ),
    "Headline findings",
    "Children who need help receive a timely service.",
    "Yours sincerely",
    "Max Lead",
    "His Majesty’s Inspector",
)

MONITORING_VISIT = _doc(
    "3 August 2017",
    "Dear Mr Director",
    "Monitoring visit of Northby local authority children’s services",
    (
        "This letter summarises the findings of the monitoring visit to Northby local authority children’s "
        "services on 3 and 4 July 2017. The visit was the fourth monitoring visit since the local authority "
        "was judged inadequate in April 2016. The inspectors were Olu Lead, Her Majesty’s Inspector (HMI), "
        "and Pat Second, HMI."
    ),
    "Areas covered by the visit",
    "Inspectors reviewed the progress made in children in need and child protection.",
    "Yours sincerely",
    "Olu Lead",
    "Her Majesty’s Inspector",
)

LSCB_ONLY = _doc(
    "Northby Safeguarding Children Board",
    "Review of the effectiveness of the Local Safeguarding Children",
    "Board",
    "Inspection date: 15 June 2015 – 17 June 2015",
    "Report published: 3 August 2015",
    "The Local Safeguarding Children Board requires improvement",
    (
        "The arrangements in place to evaluate the effectiveness of what is done by the authority and board "
        "partners require improvement."
    ),
    "Lead inspector: Quinn Lead",
    "Deputy lead inspector: Rae Deputy",
)


def _grades(facts: reportfacts.ReportFacts) -> dict[str, str | None]:
    return {j.judgement_area: j.grade for j in facts.judgements}


def test_sif_report() -> None:
    facts = read(SIF)
    assert (facts.kind, facts.framework, facts.visit_type) == ("inspection_report", "sif", "sif_inspection")
    assert (facts.inspection_start, facts.inspection_end) == (dt.date(2016, 1, 11), dt.date(2016, 2, 8))
    assert facts.published_date == dt.date(2016, 4, 5)
    # the grade table, not the earlier inspection listed under "Previous Ofsted inspections"
    assert _grades(facts) == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": "requires_improvement",
        "adoption": "good",
        "care_leavers": "requires_improvement",
        "leaders": "inadequate",
        "lscb": "inadequate",
    }
    assert facts.lead_inspector == "Ann Example"
    assert facts.inspectors == [
        "Ann Example (lead)",
        "Ben Sample (deputy lead)",
        "Cath Person",
        "Dev Name",
        "Eve Other",
        "Fay Trainee (shadow)",
    ]
    assert facts.note is None  # nothing missing, the section headings agree with the table


def test_grade_text_and_offset_are_kept() -> None:
    facts = read(SIF)
    care_leavers = next(j for j in facts.judgements if j.judgement_area == "care_leavers")
    assert care_leavers.grade_text == "Requires improvement"
    assert SIF[care_leavers.start :].startswith("Requires improvement\n")
    spans = reportfacts._spans(SIF, None)
    index = reportfacts.paragraph_at(spans, care_leavers.start)
    assert SIF[spans[index][0] : spans[index][1]].startswith("Requires improvement 2.1 Adoption performance")


def test_a_section_heading_that_contradicts_the_table_is_noted() -> None:
    text = SIF.replace(
        "Leadership, management and governance Inadequate\n\nThe Local",
        "Leadership, management and governance Good\n\nThe Local",
    )
    facts = read(text)
    assert facts.grade("leaders") == "inadequate"  # the grade table's
    assert "leaders: the grade table says 'Inadequate', its section heading 'Good'" in facts.note


def test_an_area_missing_from_the_table_is_read_from_its_heading() -> None:
    text = SIF.replace("3. Leadership, management and governance Inadequate\n\n", "")
    facts = read(text)
    assert facts.grade("leaders") == "inadequate"
    assert "leaders read from its section heading" in facts.note


def test_ilacs_before_2023() -> None:
    facts = read(ILACS_2019)
    assert (facts.framework, facts.visit_type) == ("ilacs", "ilacs_standard")
    assert _grades(facts) == {
        "leaders": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care": "good",
        "overall_effectiveness": "requires_improvement",
    }
    assert facts.lead_inspector == "Hal Leader" and facts.inspectors == ["Hal Leader (lead)"]
    assert facts.published_date is None and "publication date not printed" in facts.note


def test_ilacs_short_inspection_with_care_leavers_apart() -> None:
    facts = read(ILACS_2024_SHORT)
    assert facts.visit_type == "ilacs_short" and "short inspection: 5 days of fieldwork" in facts.note
    assert _grades(facts) == {
        "leaders": "outstanding",
        "help_and_protection": "good",
        "children_in_care": "outstanding",
        "care_leavers": "requires_improvement",
        "overall_effectiveness": "good",
    }
    assert facts.lead_inspector == "Ida Lead"


def test_2026_framework_has_no_overall_grade() -> None:
    facts = read(ILACS_2026)
    # the summary's "overall effectiveness judgement was 'requires improvement'" is the previous inspection's
    assert "overall_effectiveness" not in _grades(facts)
    assert set(_grades(facts)) == {"leaders", "help_and_protection", "children_in_care", "care_leavers"}
    assert "2026 framework: no overall effectiveness grade" in facts.note


def test_an_ilacs_report_without_overall_before_2026_is_flagged() -> None:
    facts = read(ILACS_2026.replace("May 2026", "May 2024"))
    assert "overall effectiveness not read" in facts.note


def test_pre_sif_looked_after_children_inspection() -> None:
    facts = read(PRE_SIF)
    assert (facts.framework, facts.visit_type) == ("pre_sif", "pre_sif_inspection")
    assert (facts.inspection_start, facts.inspection_end) == (dt.date(2013, 7, 15), dt.date(2013, 7, 19))
    assert _grades(facts) == {"looked_after_children": "inadequate"}
    assert facts.lead_inspector == "Kim Report"
    assert "capacity to improve adequate" in facts.note


def test_focused_visit_letter() -> None:
    facts = read(FOCUSED_VISIT)
    assert (facts.kind, facts.visit_type, facts.framework) == ("focused_visit_letter", "focused_visit", "ilacs")
    assert (facts.inspection_start, facts.inspection_end) == (dt.date(2025, 10, 21), dt.date(2025, 10, 22))
    assert facts.published_date == dt.date(2025, 11, 20)
    assert facts.inspectors == ["Max Lead", "Ned Second"] and facts.lead_inspector == "Max Lead"
    assert facts.focus == "the 'front door'" and facts.judgements == []
    assert facts.title == "Focused visit to Northby children’s services"


def test_monitoring_visit_letter_after_a_sif_judgement() -> None:
    facts = read(MONITORING_VISIT)
    assert (facts.kind, facts.visit_type) == ("monitoring_visit_letter", "monitoring_visit")
    assert facts.framework == "sif" and "after the judgement of April 2016" in facts.note
    assert (facts.inspection_start, facts.inspection_end) == (dt.date(2017, 7, 3), dt.date(2017, 7, 4))
    assert facts.published_date == dt.date(2017, 8, 3)
    assert facts.inspectors == ["Olu Lead", "Pat Second"] and facts.lead_inspector == "Olu Lead"


def test_a_letter_that_names_no_framework_gets_it_from_its_date() -> None:
    text = FOCUSED_VISIT.replace(
        "This visit was carried out in line with the inspection of local authority children’s services (ILACS) "
        "framework.\n\n",
        "",
    )
    facts = read(text)
    assert facts.framework == "ilacs" and "framework not stated: ilacs by the visit's date" in facts.note


def test_review_of_the_lscb_only() -> None:
    facts = read(LSCB_ONLY)
    assert (facts.framework, facts.visit_type) == ("sif", "sif_inspection")
    assert _grades(facts) == {"lscb": "requires_improvement"}
    assert "review of the LSCB only" in facts.note
    assert facts.inspectors == ["Quinn Lead (lead)", "Rae Deputy (deputy lead)"]


def test_a_text_that_is_not_an_ofsted_report() -> None:
    facts = read("Council news\n\nThe council opened a new library today, and residents praised it.\n")
    assert facts.kind is None and facts.judgements == []
    assert "not recognised as an Ofsted inspection report or visit letter" in facts.note


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("11 January to 8 February 2016", "2016-01-11", "2016-02-08"),
        ("2 June 2014 – 25 June 2014", "2014-06-02", "2014-06-25"),
        ("23 June – 16 July 2015", "2015-06-23", "2015-07-16"),
        ("15-19 July 2013", "2013-07-15", "2013-07-19"),
        ("21 and 22 October 2025", "2025-10-21", "2025-10-22"),
        ("18 Feb 2014 – 12 March 2014", "2014-02-18", "2014-03-12"),
        ("4 June 2018–28 June 2018", "2018-06-04", "2018-06-28"),
        ("30 December to 3 January 2020", "2019-12-30", "2020-01-03"),
        ("15 June 2015", "2015-06-15", "2015-06-15"),
    ],
)
def test_date_ranges(text: str, start: str, end: str) -> None:
    found = reportfacts.parse_range(text)
    assert found is not None and found[:2] == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_a_date_that_does_not_exist_is_not_read() -> None:
    assert reportfacts.parse_date("31 February 2016") is None
    assert reportfacts.parse_range("no date here") is None


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Requires improvement to be good", "requires_improvement"),
        ("Require Improvement", "requires_improvement"),
        ("requires improvement", "requires_improvement"),
        ("Outstanding", "outstanding"),
        ("inadequate.", "inadequate"),
        ("Adequate", "adequate"),
        ("Not judged", None),
    ],
)
def test_grades(printed: str, grade: str | None) -> None:
    assert reportfacts.grade_of(printed) == grade


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("Neil Penswick HMI", ["Neil Penswick"]),
        ("Victoria Horsefield, Her Majesty’s Inspector", ["Victoria Horsefield"]),
        ("Paula Thomson- Jones", ["Paula Thomson-Jones"]),
        (
            "Alison Smale HMI; Nick McMullen SHMI; Rosemary Chapman SCRI",
            ["Alison Smale", "Nick McMullen", "Rosemary Chapman"],
        ),
        ("Karen Wareing (HMI) Fiona Millns (OI)", ["Karen Wareing", "Fiona Millns"]),
        ("Pauline Higham HMI designate), Russ Henry (HMI)", ["Pauline Higham", "Russ Henry"]),
        ("Mark Shackleton HMI and Michael McCracken additional inspector", ["Mark Shackleton", "Michael McCracken"]),
        ("Cath McEvoy/Ian Young", ["Cath McEvoy", "Ian Young"]),
    ],
)
def test_inspector_names(names: str, expected: list[str]) -> None:
    assert reportfacts.split_names(names) == expected
