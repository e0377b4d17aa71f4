-- Events around one council's visits (council responses, DfE intervention) known on $as_of.
-- Parameters: $la_id_gss, $as_of. An event counts from the end of its date's precision period; undated events
-- are not shown (mart_data_notes counts them).
with events as (
    select * from stg_events
    where la_id_gss = $la_id_gss and visible_from <= cast($as_of as date)
),

sources as (
    select * from stg_sources
),

final as (
    select
        events.la_id_gss,
        events.event_id,
        events.event_type,
        events.event_date,
        events.event_precision,
        events.title,
        events.note,
        events.source_id,
        sources.url
    from events
    left join sources on events.source_id = sources.source_id
    order by events.event_date, events.event_id
)

select * from final
