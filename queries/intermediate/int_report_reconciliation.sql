-- Judgements read from each inspection report's own text (report_judgements) beside the grades Ofsted's outcome
-- files give for the same inspection (ofsted_outcomes: Ofsted's ODS files, official; D2I's compiled history,
-- registered as a reference), one row per report, judgement area and official source. Neither side wins:
-- status says agree, disagree (both give a grade and they differ, or the report's words are not a grade),
-- report_only (no official grade for the area, e.g. every SIF report) or official_only (the text gave none).
-- A report is the report of an official inspection of its council that started on the day the report's
-- fieldwork started or was published on the report's publication day. visible_from: the later of the report's
-- and the official source's publication (a D2I row counts from its own report's publication).
with facts as (
    select * from report_facts
),

judgements as (
    select * from report_judgements
),

sources as (
    select * from stg_sources
),

outcomes as (
    select * from stg_ofsted_outcomes
    where visit_type in ('ilacs_standard', 'ilacs_short', 'sif_inspection')
),

reports as (
    select
        facts.document_id,
        facts.la_id_gss,
        facts.visit_type,
        facts.inspection_start,
        sources.published_date,
        sources.visible_from
    from facts
    inner join sources on facts.document_id = sources.source_id
    where sources.kind = 'inspection_report'
),

official as (
    select
        reports.document_id,
        outcomes.judgement_area,
        outcomes.grade,
        outcomes.source_id,
        outcomes.inspection_type,
        outcomes.inspection_start,
        outcomes.published_date,
        sources.kind as source_kind,
        coalesce(sources.visible_from, outcomes.published_date) as visible_from
    from reports
    inner join outcomes
        on
            reports.la_id_gss = outcomes.la_id_gss
            and (
                reports.inspection_start = outcomes.inspection_start
                or reports.published_date = outcomes.published_date
            )
    left join sources on outcomes.source_id = sources.source_id
    where outcomes.judgement_area is not null
),

read_from_text as (
    select
        judgements.document_id,
        judgements.judgement_area,
        judgements.grade,
        judgements.grade_text,
        judgements.passage_id
    from judgements
    inner join reports on judgements.document_id = reports.document_id
),

paired as (
    select
        read_from_text.grade as report_grade,
        read_from_text.grade_text as report_grade_text,
        read_from_text.passage_id,
        official.grade as official_grade,
        official.source_id as official_source_id,
        official.source_kind as official_source_kind,
        official.inspection_type as official_inspection_type,
        official.published_date as official_published_date,
        official.visible_from as official_visible_from,
        coalesce(read_from_text.document_id, official.document_id) as document_id,
        coalesce(read_from_text.judgement_area, official.judgement_area) as judgement_area,
        case
            when official.judgement_area is null then 'report_only'
            when read_from_text.judgement_area is null then 'official_only'
            when read_from_text.grade = official.grade then 'agree'
            else 'disagree'
        end as status
    from read_from_text
    full outer join official
        on
            read_from_text.document_id = official.document_id
            and read_from_text.judgement_area = official.judgement_area
),

final as (
    select
        paired.document_id,
        reports.la_id_gss,
        reports.visit_type,
        reports.inspection_start,
        reports.published_date,
        paired.judgement_area,
        paired.report_grade,
        paired.report_grade_text,
        paired.passage_id,
        paired.official_grade,
        paired.official_source_id,
        paired.official_source_kind,
        paired.official_inspection_type,
        paired.official_published_date,
        paired.status,
        greatest(reports.visible_from, paired.official_visible_from) as visible_from
    from paired
    inner join reports on paired.document_id = reports.document_id
    order by paired.document_id, paired.judgement_area, paired.official_source_id
)

select * from final
