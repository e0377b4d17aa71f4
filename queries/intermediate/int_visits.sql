-- The visits of every council: the hand-kept, sourced `visits` where a council has any, else the visits
-- rebuilt from Ofsted's official outcomes plus those known only from a report (int_report_visits), so every
-- council id works without code changes; origin says which ('seeds', 'ofsted_outcomes', 'report').
-- visible_from is the day from which a visit counts as published (the as-of rule of every mart):
--   1. the visit's own published date, 2. else its source's published date, 3. else its fieldwork end
--   (else start); a date known only to the month or year counts from the end of that month or year.
-- visit_date is the true date for date axes: fieldwork start (else end), else the visit's publication, else its
-- source's publication (visit_date_basis says which; the last two are later than the visit itself).
-- A visit with none of these has visible_from NULL: as-of marts do not show it; mart_data_notes counts it.
with seeded as (
    select * from stg_visits
),

sources as (
    select * from stg_sources
),

official as (
    select * from int_official_visits
),

reports as (
    select * from int_report_visits
),

from_seeds as (
    -- in int_visits' column order: the union below matches the other two by name and keeps this order
    select
        seeded.visit_id,
        seeded.la_id_gss,
        seeded.visit_type,
        seeded.framework,
        seeded.title,
        seeded.focus,
        seeded.fieldwork_start,
        seeded.fieldwork_end,
        seeded.fieldwork_precision,
        seeded.published_date,
        seeded.published_precision,
        coalesce(seeded.visit_date, sources.published_date) as visit_date,
        case
            when seeded.visit_date is not null then seeded.visit_date_precision
            else sources.published_date_precision
        end as visit_date_precision,
        case
            when seeded.fieldwork_start is not null or seeded.fieldwork_end is not null then 'fieldwork'
            when seeded.published_date is not null then 'published_date'
            when sources.published_date is not null then 'source_published_date'
        end as visit_date_basis,
        coalesce(
            seeded.published_visible_from, sources.visible_from, seeded.fieldwork_visible_from
        ) as visible_from,
        case
            when seeded.published_visible_from is not null then 'published_date'
            when sources.visible_from is not null then 'source_published_date'
            when seeded.fieldwork_visible_from is not null then 'fieldwork'
        end as visible_from_basis,
        seeded.lead_inspector,
        seeded.is_uncertain,
        seeded.note,
        seeded.source_id,
        sources.url,
        'seeds' as origin
    from seeded
    left join sources on seeded.source_id = sources.source_id
),

from_official as (
    select
        official.visit_id,
        official.la_id_gss,
        official.visit_type,
        official.inspection_start as fieldwork_start,
        official.inspection_end as fieldwork_end,
        official.published_date,
        official.visit_date,
        null::varchar as lead_inspector,
        false as is_uncertain,
        'rebuilt from ' || coalesce(sources.publisher, 'Ofsted') || ' (' || official.source_id
        || '): no hand-kept visits for this council' as note,
        official.source_id,
        sources.url,
        'ofsted_outcomes' as origin,
        official.visit_theme as focus,
        'day' as fieldwork_precision,
        'day' as published_precision,
        'day' as visit_date_precision,
        case
            when official.inspection_start is not null or official.inspection_end is not null then 'fieldwork'
            when official.published_date is not null then 'published_date'
        end as visit_date_basis,
        coalesce(official.published_date, official.inspection_end, official.inspection_start) as visible_from,
        case
            when official.published_date is not null then 'published_date'
            when official.inspection_end is not null or official.inspection_start is not null then 'fieldwork'
        end as visible_from_basis,
        case
            when official.visit_type = 'sif_inspection' then 'sif'
            when official.visit_type = 'jtai' then 'jtai'
            else 'ilacs'
        end as framework,
        'Ofsted ' || replace(official.visit_type, '_', ' ')
        || coalesce(': ' || official.visit_theme, '') as title
    from official
    left join sources on official.source_id = sources.source_id
),

from_reports as (
    select
        visit_id,
        la_id_gss,
        visit_type,
        framework,
        null::date as fieldwork_start,
        null::date as fieldwork_end,
        published_date,
        published_date as visit_date,
        published_date as visible_from,
        'published_date' as visible_from_basis,
        null::varchar as lead_inspector,
        true as is_uncertain,
        'known from its report only: type inferred from the publication date; judgements not loaded' as note,
        source_id,
        url,
        'report' as origin,
        'Ofsted inspection (from its report)' as title,
        null::varchar as focus,
        null::varchar as fieldwork_precision,
        'day' as published_precision,
        'day' as visit_date_precision,
        'published_date' as visit_date_basis
    from reports
),

final as (
    select * from from_seeds
    union all by name
    select * from from_official
    union all by name
    select * from from_reports
)

select * from final
