-- Ofsted's official outcomes for every council, with grades and inspection types on the suite's vocabulary.
-- Grades arrive as words ('requires improvement') or ids; anything else (e.g. 'data_unreadable') becomes NULL.
with outcomes as (
    select * from ofsted_outcomes
),

grades as (
    select * from grades
),

normalised as (
    select
        la_id_gss,
        la_urn_ofsted,
        inspection_type,
        visit_theme,
        inspection_start,
        inspection_end,
        published_date,
        judgement_area,
        source_id,
        replace(replace(lower(trim(grade)), ' ', '_'), '-', '_') as grade_id,
        case
            when lower(inspection_type) like '%focus%' then 'focused_visit'
            when lower(inspection_type) like '%monitor%' then 'monitoring_visit'
            when lower(inspection_type) like '%assurance%' then 'assurance_visit'
            when lower(inspection_type) like '%jtai%' or lower(inspection_type) like '%joint%' then 'jtai'
            when lower(inspection_type) like '%short%' then 'ilacs_short'
            when lower(inspection_type) like '%sif%' or lower(inspection_type) like '%single%' then 'sif_inspection'
            else 'ilacs_standard'
        end as visit_type
    from outcomes
),

final as (
    select
        normalised.la_id_gss,
        normalised.la_urn_ofsted,
        normalised.inspection_type,
        normalised.visit_type,
        normalised.visit_theme,
        normalised.inspection_start,
        normalised.inspection_end,
        normalised.published_date,
        normalised.judgement_area,
        grades.grade,
        grades.grade_rank,
        normalised.source_id
    from normalised
    left join grades on normalised.grade_id = grades.grade
)

select * from final
