-- The visits of every council, from three origins: Ofsted's official outcomes (int_official_visits), Ofsted texts
-- that no outcome holds (int_report_visits), and the hand-kept, sourced visits of data/seeds/visits.csv. Hand-kept
-- visits add to the official facts, never replace them: a hand-kept visit paired with an official or text visit
-- (int_visit_matches) is one visit under the hand-kept id, whose values win; where the hand-kept dates are only
-- month- or year-precise, or missing, the paired visit's exact dates are used (int_visit_corrections lists every
-- such refinement and every difference, with both sources). Every unpaired visit of every origin stays.
-- origin: 'seeds', 'ofsted_outcomes' or 'report'; paired_visit_id / paired_origin: what a hand-kept visit absorbed.
-- visible_from is the day from which a visit counts as published (the as-of rule of every mart):
--   1. the visit's own published date, 2. else its source's published date, 3. else its fieldwork end
--   (else start); a date known only to the month or year counts from the end of that month or year.
-- visit_date is the true date for date axes: fieldwork start (else end), else the visit's publication, else its
-- source's publication (visit_date_basis says which; the last two are later than the visit itself).
-- A visit with none of these has visible_from NULL: as-of marts do not show it; mart_data_notes counts it.
with seeded as (
    select * from stg_visits
),

matches as (
    select * from int_visit_matches
),

official as (
    select * from int_official_visits
),

reports as (
    select * from int_report_visits
),

sources as (
    select * from stg_sources
),

seeds_paired as (
    select
        seeded.*,
        matches.candidate_visit_id as paired_visit_id,
        matches.candidate_origin as paired_origin,
        matches.candidate_fieldwork_start as paired_fieldwork_start,
        matches.candidate_fieldwork_end as paired_fieldwork_end,
        matches.candidate_published_date as paired_published_date,
        matches.candidate_lead_inspector as paired_lead_inspector,
        matches.candidate_focus as paired_focus,
        -- a coarse or missing hand-kept date gives way to the paired visit's exact one
        coalesce(seeded.fieldwork_precision = 'day', false)
        or matches.candidate_fieldwork_start is null as keeps_fieldwork,
        coalesce(seeded.published_precision = 'day', false)
        or matches.candidate_published_date is null as keeps_published
    from seeded
    left join matches on seeded.visit_id = matches.visit_id
),

from_seeds as (
    select
        visit_id,
        la_id_gss,
        visit_type,
        framework,
        title,
        is_uncertain,
        note,
        source_id,
        paired_visit_id,
        paired_origin,
        'seeds' as origin,
        coalesce(lead_inspector, paired_lead_inspector) as lead_inspector,
        coalesce(focus, paired_focus) as focus,
        case when keeps_fieldwork then fieldwork_start else paired_fieldwork_start end as fieldwork_start,
        case when keeps_fieldwork then fieldwork_end else paired_fieldwork_end end as fieldwork_end,
        case when keeps_fieldwork then fieldwork_precision else 'day' end as fieldwork_precision,
        case when keeps_published then published_date else paired_published_date end as published_date,
        case when keeps_published then published_precision else 'day' end as published_precision
    from seeds_paired
),

from_official as (
    select
        official.visit_id,
        official.la_id_gss,
        official.visit_type,
        official.visit_theme as focus,
        official.inspection_start as fieldwork_start,
        official.inspection_end as fieldwork_end,
        official.published_date,
        official.source_id,
        null::varchar as lead_inspector,
        false as is_uncertain,
        null::varchar as paired_visit_id,
        null::varchar as paired_origin,
        'ofsted_outcomes' as origin,
        'day' as fieldwork_precision,
        'day' as published_precision,
        case
            when official.visit_type = 'sif_inspection' then 'sif'
            when official.visit_type = 'jtai' then 'jtai'
            else 'ilacs'
        end as framework,
        'Ofsted ' || replace(official.visit_type, '_', ' ') || coalesce(': ' || official.visit_theme, '') as title,
        'from ' || coalesce(sources.publisher, 'Ofsted') || ' (' || official.source_id || ')' as note
    from official
    left join sources on official.source_id = sources.source_id
    where official.visit_id not in (select matches.candidate_visit_id from matches)
),

from_reports as (
    select
        reports.visit_id,
        reports.la_id_gss,
        reports.visit_type,
        reports.framework,
        reports.inspection_start as fieldwork_start,
        reports.inspection_end as fieldwork_end,
        reports.published_date,
        reports.lead_inspector,
        reports.source_id,
        reports.is_type_inferred as is_uncertain,
        null::varchar as focus,
        null::varchar as paired_visit_id,
        null::varchar as paired_origin,
        'report' as origin,
        'day' as published_precision,
        case when reports.inspection_start is not null then 'day' end as fieldwork_precision,
        'Ofsted ' || replace(reports.visit_type, '_', ' ') || ' (from its report)' as title,
        case
            when reports.is_type_inferred
                then 'known from its text only: type inferred from the publication date'
            else 'known from its text only: type and dates read from it'
        end as note
    from reports
    where reports.visit_id not in (select matches.candidate_visit_id from matches)
),

combined as (
    select * from from_seeds
    union all by name
    select * from from_official
    union all by name
    select * from from_reports
),

dated as (
    select
        combined.*,
        sources.url,
        -- a source's own date stands in only for a hand-kept visit: an outcome file's publication is not its visits'
        case when combined.origin = 'seeds' then sources.published_date end as source_published_date,
        case when combined.origin = 'seeds' then sources.published_date_precision end as source_published_precision,
        case when combined.origin = 'seeds' then sources.visible_from end as source_visible_from,
        visible_from_date(combined.published_date, combined.published_precision) as published_visible_from,
        visible_from_date(coalesce(combined.fieldwork_end, combined.fieldwork_start), combined.fieldwork_precision)
            as fieldwork_visible_from
    from combined
    left join sources on combined.source_id = sources.source_id
),

final as (
    -- int_visits' published column order (docs/design.md), calculations among the columns
    select  -- noqa: ST06
        visit_id,
        la_id_gss,
        visit_type,
        framework,
        title,
        focus,
        fieldwork_start,
        fieldwork_end,
        fieldwork_precision,
        published_date,
        published_precision,
        coalesce(fieldwork_start, fieldwork_end, published_date, source_published_date) as visit_date,
        case
            when fieldwork_start is not null or fieldwork_end is not null then fieldwork_precision
            when published_date is not null then published_precision
            else source_published_precision
        end as visit_date_precision,
        case
            when fieldwork_start is not null or fieldwork_end is not null then 'fieldwork'
            when published_date is not null then 'published_date'
            when source_published_date is not null then 'source_published_date'
        end as visit_date_basis,
        coalesce(published_visible_from, source_visible_from, fieldwork_visible_from) as visible_from,
        case
            when published_visible_from is not null then 'published_date'
            when source_visible_from is not null then 'source_published_date'
            when fieldwork_visible_from is not null then 'fieldwork'
        end as visible_from_basis,
        lead_inspector,
        is_uncertain,
        note,
        source_id,
        url,
        origin,
        paired_visit_id,
        paired_origin
    from dated
)

select * from final
