-- Every origin's grade for each visit and judgement area, before one is chosen (int_judgements keeps rank 1):
--   priority 1: hand-kept judgements (data/seeds/judgements.csv);
--   priority 2: Ofsted's official outcomes, on the official visit or on the hand-kept visit it is paired with
--               (int_visit_matches);
--   priority 3: grades read from the visit's own inspection report (report_judgements, through int_documents).
with official_visits as (
    select * from int_official_visits
),

matches as (
    select * from int_visit_matches
),

from_seeds as (
    select
        visit_id,
        judgement_area,
        grade,
        grade_rank,
        is_overall,
        note,
        source_id,
        'seeds' as origin,
        1 as priority
    from stg_judgements
),

from_official as (
    select
        coalesce(matches.visit_id, official_visits.visit_id) as visit_id,
        outcomes.judgement_area,
        outcomes.grade,
        outcomes.grade_rank,
        coalesce(outcomes.judgement_area = 'overall_effectiveness', false) as is_overall,
        null::varchar as note,
        outcomes.source_id,
        'ofsted_outcomes' as origin,
        2 as priority
    from stg_ofsted_outcomes as outcomes
    inner join official_visits
        on
            outcomes.la_id_gss = official_visits.la_id_gss
            and outcomes.visit_type = official_visits.visit_type
            and outcomes.inspection_type = official_visits.inspection_type
            and outcomes.visit_theme is not distinct from official_visits.visit_theme
            and outcomes.inspection_start is not distinct from official_visits.inspection_start
            and outcomes.inspection_end is not distinct from official_visits.inspection_end
            and outcomes.published_date is not distinct from official_visits.published_date
    left join matches
        on official_visits.visit_id = matches.candidate_visit_id and matches.candidate_origin = 'ofsted_outcomes'
    where outcomes.grade is not null and outcomes.judgement_area is not null
),

from_reports as (
    select
        documents.visit_id,
        from_text.judgement_area,
        from_text.grade,
        grades.grade_rank,
        from_text.judgement_area = 'overall_effectiveness' as is_overall,
        'read from the report text: ' || coalesce(from_text.grade_text, '') as note,
        documents.source_id,
        'report' as origin,
        3 as priority
    from report_judgements as from_text
    inner join int_documents as documents on from_text.document_id = documents.document_id
    inner join stg_grades as grades on from_text.grade = grades.grade
    where documents.visit_id is not null and documents.document_kind = 'inspection_report'
),

combined as (
    select * from from_seeds
    union all
    select * from from_official
    union all
    select * from from_reports
),

final as (
    select
        *,
        row_number() over (partition by visit_id, judgement_area order by priority, source_id) as rank_in_area
    from combined
)

select * from final
