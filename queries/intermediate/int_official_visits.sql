-- Every council's visits rebuilt from Ofsted's official outcomes (one row per judgement there; one row per visit
-- here). visit_id follows docs/design.md: {la_id_gss}-{YYYY}-{MM}-{type}, with -2, -3 appended when one council
-- had two visits of one type starting in the same month. A hand-kept visit that matches one of these enriches or
-- corrects it (int_visit_matches); it never removes the others.
with outcomes as (
    select * from stg_ofsted_outcomes
),

visits as (
    select
        la_id_gss,
        visit_type,
        inspection_type,
        visit_theme,
        inspection_start,
        inspection_end,
        published_date,
        min(source_id) as source_id,
        coalesce(inspection_start, inspection_end, published_date) as visit_date
    from outcomes
    group by la_id_gss, visit_type, inspection_type, visit_theme, inspection_start, inspection_end, published_date
),

numbered as (
    select
        *,
        case visit_type
            when 'sif_inspection' then 'sif'
            when 'ilacs_standard' then 'ilacs'
            when 'ilacs_short' then 'short'
            when 'focused_visit' then 'fv'
            when 'monitoring_visit' then 'mv'
            when 'assurance_visit' then 'av'
            else visit_type
        end as type_code,
        row_number() over (
            partition by la_id_gss, visit_type, strftime(visit_date, '%Y-%m')
            order by visit_date, published_date, visit_theme
        ) as n_in_month
    from visits
),

final as (
    select
        la_id_gss,
        visit_type,
        inspection_type,
        visit_theme,
        inspection_start,
        inspection_end,
        published_date,
        visit_date,
        source_id,
        la_id_gss || '-' || coalesce(strftime(visit_date, '%Y-%m'), 'undated') || '-' || type_code
        || case when n_in_month > 1 then '-' || n_in_month::varchar else '' end as visit_id
    from numbered
)

select * from final
