-- Every visit of one council known on $as_of, with its judgements on one ordinal scale.
-- Parameters: $la_id_gss (GSS code), $as_of (date; only visits and judgements with visible_from on or
-- before it, see int_visits). grade is the overall judgement; where a visit has graded areas but no overall
-- judgement (pre-SIF inspections) it is the lowest area grade and grade_basis says so; visits with no
-- judgement (monitoring, focused visits) are 'ungraded'; a graded inspection whose judgements are not loaded
-- (known only from its report) is 'not_recorded'. grade_rank: 1 outstanding, 2 good, 3 adequate or
-- requires improvement, 4 inadequate; lower is better.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

judgements as (
    select * from int_judgements
    where la_id_gss = $la_id_gss and visible_from <= cast($as_of as date)
),

councils as (
    select * from stg_councils
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
        per_visit.n_judgements,
        per_visit.judgements,
        per_visit.help_and_protection,
        per_visit.children_in_care,
        per_visit.care_leavers,
        per_visit.leaders,
        per_visit.adoption,
        per_visit.safeguarding,
        per_visit.looked_after_children,
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
),

final as (
    select
        joined.la_id_gss,
        councils.la_name,
        joined.visit_id,
        joined.visit_type,
        joined.framework,
        joined.title,
        joined.focus,
        joined.visit_date,
        joined.visit_date_precision,
        joined.visit_date_basis,
        joined.fieldwork_start,
        joined.fieldwork_end,
        joined.published_date,
        joined.published_precision,
        joined.visible_from,
        joined.visible_from_basis,
        joined.grade,
        grades.grade_rank,
        joined.grade_basis,
        joined.judgements,
        joined.help_and_protection,
        joined.children_in_care,
        joined.care_leavers,
        joined.leaders,
        joined.adoption,
        joined.safeguarding,
        joined.looked_after_children,
        joined.lead_inspector,
        joined.is_uncertain,
        joined.note,
        joined.source_id,
        joined.url,
        joined.origin,
        coalesce(
            grades.grade_label, case joined.grade when 'not_recorded' then 'Grade not recorded' else 'Not graded' end
        ) as grade_label,
        joined.grade not in ('ungraded', 'not_recorded') as is_graded,
        coalesce(joined.n_judgements, 0) as n_judgements
    from joined
    left join councils on joined.la_id_gss = councils.la_id_gss
    left join grades on joined.grade = grades.grade
    order by joined.visit_date, joined.visit_id
)

select * from final
