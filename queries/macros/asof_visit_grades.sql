-- Table macro: the visits of one council (every council when for_la_id_gss is null) known on an as-of date, each with
-- its judgements and its grade on one ordinal scale. grade is the overall judgement; where a visit has graded areas
-- but no overall judgement (pre-SIF inspections) it is the lowest area grade and grade_basis says so; visits that
-- give no judgement (monitoring, focused visits) are 'ungraded'; a graded inspection whose judgements are not loaded
-- (known only from its report, its grade not read) is 'not_recorded'. grade_rank: 1 outstanding, 2 good,
-- 3 adequate or requires improvement, 4 inadequate; lower is better. is_graded_type: the visit is of a graded kind.
-- n_text_documents: the documents with coded Ofsted text of the visit visible on the date (has_text when any).
-- Called by mart_visit_timeline and the peers marts as asof_visit_grades($la_id_gss, $as_of).
create or replace macro asof_visit_grades(for_la_id_gss, for_as_of) as table
    with visits as (
        select * from asof_visits(for_la_id_gss, for_as_of)
    ),

    judgements as (
        select * from int_judgements
        where
            (for_la_id_gss is null or la_id_gss = cast(for_la_id_gss as varchar))
            and visible_from <= cast(for_as_of as date)
    ),

    texts as (
        select
            visit_id,
            count(distinct document_id) as n_text_documents
        from asof_evidence(for_la_id_gss, for_as_of)
        where evidence_kind = 'sentence'
        group by visit_id
    ),

    grades as (
        select * from stg_grades
    ),

    graded as (
        select unnest(['pre_sif_inspection', 'sif_inspection', 'ilacs_standard', 'ilacs_short']) as visit_type
    ),

    per_visit as (
        select
            visit_id,
            max(case when is_overall then grade end) as overall_grade,
            arg_max(grade, grade_rank) filter (where not is_overall) as lowest_area_grade,
            count(*) as n_judgements,
            string_agg(judgement_area || ': ' || grade, '; ' order by judgement_area) as judgements,
            max(case when judgement_area = 'help_and_protection' then grade end) as help_and_protection,
            max(case when judgement_area = 'children_in_care' then grade end) as children_in_care,
            max(case when judgement_area = 'care_leavers' then grade end) as care_leavers,
            max(case when judgement_area = 'leaders' then grade end) as leaders,
            max(case when judgement_area = 'adoption' then grade end) as adoption,
            max(case when judgement_area = 'safeguarding' then grade end) as safeguarding,
            max(case when judgement_area = 'looked_after_children' then grade end) as looked_after_children
        from judgements
        group by visit_id
    ),

    joined as (
        select
            visits.*,
            per_visit.judgements,
            per_visit.help_and_protection,
            per_visit.children_in_care,
            per_visit.care_leavers,
            per_visit.leaders,
            per_visit.adoption,
            per_visit.safeguarding,
            per_visit.looked_after_children,
            visits.visit_type in (select graded.visit_type from graded) as is_graded_type,
            coalesce(per_visit.n_judgements, 0) as n_judgements,
            coalesce(texts.n_text_documents, 0) as n_text_documents,
            coalesce(
                per_visit.overall_grade,
                per_visit.lowest_area_grade,
                case when visits.visit_type in (select graded.visit_type from graded) then 'not_recorded' end,
                'ungraded'
            ) as grade,
            case
                when per_visit.overall_grade is not null then 'overall_effectiveness'
                when per_visit.lowest_area_grade is not null then 'lowest_area_grade'
                when visits.visit_type in (select graded.visit_type from graded) then 'not_recorded'
                else 'ungraded'
            end as grade_basis
        from visits
        left join per_visit on visits.visit_id = per_visit.visit_id
        left join texts on visits.visit_id = texts.visit_id
    ),

    final as (
        select
            joined.*,
            grades.grade_rank,
            grades.grade_label,
            joined.grade not in ('ungraded', 'not_recorded') as is_graded,
            joined.n_text_documents > 0 as has_text
        from joined
        left join grades on joined.grade = grades.grade
    )

    select * from final  -- noqa: AM04
