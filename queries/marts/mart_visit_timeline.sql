-- Every visit of one council known on $as_of, with its judgements on one ordinal scale (asof_visit_grades).
-- Parameters: $la_id_gss (GSS code), $as_of (date; only visits and judgements with visible_from on or
-- before it, see int_visits). grade is the overall judgement; where a visit has graded areas but no overall
-- judgement (pre-SIF inspections) it is the lowest area grade and grade_basis says so; visits with no
-- judgement (monitoring, focused visits) are 'ungraded' (grade_label 'Not graded'); a graded inspection whose
-- judgements are not loaded (known only from its report, its grade not read) is 'not_recorded' (grade_label
-- 'Grade not read'). grade_rank: 1 outstanding, 2 good, 3 adequate or requires improvement, 4 inadequate; lower is
-- better. has_text / n_text_documents: the visit's documents with coded Ofsted text visible on $as_of.
with joined as (
    select * from asof_visit_grades($la_id_gss, $as_of)
),

councils as (
    select * from stg_councils
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
        joined.grade_rank,
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
        joined.is_graded,
        joined.is_graded_type,
        joined.n_judgements,
        joined.n_text_documents,
        joined.has_text,
        coalesce(
            joined.grade_label, case joined.grade when 'not_recorded' then 'Grade not read' else 'Not graded' end
        ) as grade_label
    from joined
    left join councils on joined.la_id_gss = councils.la_id_gss
    order by joined.visit_date, joined.visit_id
)

select * from final
