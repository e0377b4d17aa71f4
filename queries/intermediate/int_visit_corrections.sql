-- Where a hand-kept visit or judgement and an official (or report-read) one describe the same event, every value
-- the two give differently, with both sources: the data notes of int_visits and int_judgements.
-- kind: 'refined' (the hand-kept value was only month- or year-precise, or missing, and the paired visit's exact
-- value is used), 'differs' (both exact and different: the hand-kept value is kept).
with seeded as (
    select * from stg_visits
),

visits as (
    select * from int_visits
),

judgement_candidates as (
    select * from int_judgement_candidates
),

matches as (
    select * from int_visit_matches
),

compared as (
    select
        matches.visit_id,
        matches.source_id,
        matches.candidate_origin,
        matches.candidate_source_id,
        matches.candidate_visit_type as visit_type,
        matches.candidate_fieldwork_start as fieldwork_start,
        matches.candidate_fieldwork_end as fieldwork_end,
        matches.candidate_published_date as published_date,
        seeded.la_id_gss,
        seeded.visit_type as seed_visit_type,
        seeded.fieldwork_start as seed_fieldwork_start,
        seeded.fieldwork_end as seed_fieldwork_end,
        seeded.fieldwork_precision,
        seeded.published_date as seed_published_date,
        seeded.published_precision
    from matches
    inner join seeded on matches.visit_id = seeded.visit_id
),

field_values as (
    -- one row per compared field: (field, the hand-kept value and its precision, the other origin's value)
    select
        *,
        'visit_type' as field,
        seed_visit_type as seed_value,
        'day' as seed_precision,
        visit_type as other_value
    from compared
    union all
    select
        *,
        'fieldwork_start' as field,
        seed_fieldwork_start::varchar as seed_value,
        fieldwork_precision as seed_precision,
        fieldwork_start::varchar as other_value
    from compared
    union all
    select
        *,
        'fieldwork_end' as field,
        seed_fieldwork_end::varchar as seed_value,
        fieldwork_precision as seed_precision,
        fieldwork_end::varchar as other_value
    from compared
    union all
    select
        *,
        'published_date' as field,
        seed_published_date::varchar as seed_value,
        published_precision as seed_precision,
        published_date::varchar as other_value
    from compared
),

visit_corrections as (
    select
        visit_id,
        la_id_gss,
        'visit' as subject,
        field,
        seed_value,
        other_value,
        source_id as seed_source_id,
        candidate_source_id as other_source_id,
        candidate_origin as other_origin,
        case
            when seed_value is null or coalesce(seed_precision, 'day') <> 'day' then 'refined' else 'differs'
        end as kind
    from field_values
    where
        other_value is not null
        and (seed_value is distinct from other_value or coalesce(seed_precision, 'day') <> 'day')
),

judgement_corrections as (
    -- a hand-kept grade against the official or report-read one of the same area
    select
        seed.visit_id,
        visits.la_id_gss,
        'judgement' as subject,
        seed.judgement_area as field,
        seed.grade as seed_value,
        other.grade as other_value,
        seed.source_id as seed_source_id,
        other.source_id as other_source_id,
        other.origin as other_origin,
        'differs' as kind
    from judgement_candidates as seed
    inner join judgement_candidates as other
        on seed.visit_id = other.visit_id and seed.judgement_area = other.judgement_area
    inner join visits on seed.visit_id = visits.visit_id
    where seed.origin = 'seeds' and other.origin <> 'seeds' and seed.grade <> other.grade
),

final as (
    select * from visit_corrections
    union all
    select * from judgement_corrections
    order by la_id_gss, visit_id, subject, field
)

select * from final
