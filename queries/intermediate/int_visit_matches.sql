-- Hand-kept visits (data/seeds/visits.csv) paired with the visit that Ofsted's outcome files (int_official_visits)
-- or an Ofsted text that nothing else claims (int_report_visits) give for the same event. A pair needs the same
-- council, a compatible type (ILACS standard and short are one family; every other type must be equal) and dates
-- that agree: fieldwork windows that overlap or lie within 7 days of each other (a month- or year-precise hand-kept
-- date covers its whole month or year), or, where either side has no fieldwork dates, publication dates within 21
-- days (a month-precise one covers its month). Each side is paired at most once: the nearest pair wins, ties go
-- to the official visit, then to the smaller id. A paired visit is one visit in int_visits, under the hand-kept id.
-- The paired visit's own values come along (candidate_*: type, fieldwork dates, publication, focus, lead inspector),
-- for int_visits to enrich the hand-kept visit with and int_visit_corrections to compare.
with seeds as (
    select * from stg_visits
),

candidates as (
    select
        visit_id as candidate_visit_id,
        'ofsted_outcomes' as candidate_origin,
        la_id_gss,
        visit_type,
        inspection_start as start_date,
        inspection_end,
        published_date,
        source_id as candidate_source_id,
        visit_theme as focus,
        null::varchar as lead_inspector,
        coalesce(inspection_end, inspection_start) as end_date
    from int_official_visits
    union all
    select
        visit_id as candidate_visit_id,
        'report' as candidate_origin,
        la_id_gss,
        visit_type,
        inspection_start as start_date,
        inspection_end,
        published_date,
        source_id as candidate_source_id,
        null::varchar as focus,
        lead_inspector,
        coalesce(inspection_end, inspection_start) as end_date
    from int_report_visits
),

seed_windows as (
    select
        visit_id,
        la_id_gss,
        visit_type,
        source_id,
        fieldwork_start as start_date,
        published_date as published_from,
        case fieldwork_precision
            when 'month' then last_day(coalesce(fieldwork_end, fieldwork_start))
            when 'year' then make_date(year(coalesce(fieldwork_end, fieldwork_start)), 12, 31)
            else coalesce(fieldwork_end, fieldwork_start)
        end as end_date,
        case published_precision
            when 'month' then last_day(published_date)
            when 'year' then make_date(year(published_date), 12, 31)
            else published_date
        end as published_to
    from seeds
),

pairs as (
    select
        seed.visit_id,
        seed.source_id,
        cand.candidate_visit_id,
        cand.candidate_origin,
        cand.candidate_source_id,
        cand.visit_type as candidate_visit_type,
        cand.start_date as candidate_fieldwork_start,
        cand.inspection_end as candidate_fieldwork_end,
        cand.published_date as candidate_published_date,
        cand.focus as candidate_focus,
        cand.lead_inspector as candidate_lead_inspector,
        case
            when seed.start_date is not null and cand.start_date is not null then 'fieldwork'
            else 'published_date'
        end as match_basis,
        case
            when seed.start_date is not null and cand.start_date is not null
                then greatest(
                    0, datediff('day', seed.end_date, cand.start_date), datediff('day', cand.end_date, seed.start_date)
                )
            else greatest(
                0,
                datediff('day', seed.published_to, cand.published_date),
                datediff('day', cand.published_date, seed.published_from)
            )
        end as distance_days
    from seed_windows as seed
    inner join candidates as cand
        on
            seed.la_id_gss = cand.la_id_gss
            and (
                seed.visit_type = cand.visit_type
                or (
                    seed.visit_type in ('ilacs_standard', 'ilacs_short')
                    and cand.visit_type in ('ilacs_standard', 'ilacs_short')
                )
            )
),

plausible as (
    select * from pairs
    where distance_days <= case match_basis when 'fieldwork' then 7 else 21 end
),

ranked as (
    select
        *,
        row_number() over (
            partition by visit_id
            order by distance_days, candidate_origin, candidate_visit_id
        ) as seed_rank,
        row_number() over (
            partition by candidate_visit_id
            order by distance_days, visit_id
        ) as candidate_rank
    from plausible
),

final as (
    select
        visit_id,
        source_id,
        candidate_visit_id,
        candidate_origin,
        candidate_source_id,
        candidate_visit_type,
        candidate_fieldwork_start,
        candidate_fieldwork_end,
        candidate_published_date,
        candidate_focus,
        candidate_lead_inspector,
        match_basis,
        distance_days
    from ranked
    where seed_rank = 1 and candidate_rank = 1
)

select * from final
