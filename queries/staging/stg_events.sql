-- Events around the visits (council responses, DfE intervention), dated to the end of their precision period.
with events as (
    select * from events
),

final as (
    select
        event_id,
        la_id_gss,
        event_type,
        event_date,
        event_precision,
        title,
        note,
        source_id,
        visible_from_date(event_date, event_precision) as visible_from
    from events
)

select * from final
