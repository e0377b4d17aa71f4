-- What the as-of views of one council leave out, and why, as notes to print under a chart or a report.
-- Parameters: $la_id_gss, $as_of. One row per kind of note, with a count (rows with n = 0 are dropped).
with visits as (
    select * from int_visits
    where la_id_gss = $la_id_gss
),

evidence as (
    select int_theme_evidence.*
    from int_theme_evidence
    inner join visits on int_theme_evidence.visit_id = visits.visit_id
),

events as (
    select * from stg_events
    where la_id_gss = $la_id_gss
),

notes as (
    select
        'undated_visits' as note_id,
        count(*) as n,
        'visits with no publication, source or fieldwork date are not shown: '
        || coalesce(string_agg(visit_id, ', ' order by visit_id), '') as note
    from visits
    where visible_from is null
    union all
    select
        'visits_after_as_of' as note_id,
        count(*) as n,
        'visits published after the as-of date are not shown' as note
    from visits
    where visible_from > cast($as_of as date)
    union all
    select
        'uncertain_visits' as note_id,
        count(*) as n,
        'shown visits with an uncertain date or identity (flagged is_uncertain): '
        || coalesce(string_agg(visit_id, ', ' order by visit_id), '') as note
    from visits
    where visible_from <= cast($as_of as date) and is_uncertain
    union all
    select
        'undated_evidence' as note_id,
        count(*) as n,
        'coded sentences or findings with no date are not counted' as note
    from evidence
    where visible_from is null
    union all
    select
        'inferred_findings' as note_id,
        count(*) as n,
        'analysts'' findings that rest on an inference (is_inferred) are counted and flagged' as note
    from evidence
    where evidence_kind = 'analyst_finding' and is_inferred and visible_from <= cast($as_of as date)
    union all
    select
        'undated_events' as note_id,
        count(*) as n,
        'events with no date are not shown' as note
    from events
    where visible_from is null
),

final as (
    select
        cast($la_id_gss as varchar) as la_id_gss,
        cast($as_of as date) as as_of,
        note_id,
        n,
        note
    from notes
    where n > 0
)

select * from final
