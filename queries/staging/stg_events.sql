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
        case event_precision
            when 'year' then make_date(year(event_date), 12, 31)
            when 'month' then last_day(event_date)
            else event_date
        end as visible_from
    from events
)

select * from final
