-- Hand-kept visits with a true visit date and the date from which the visit counts as published.
-- visit_date: fieldwork start, else fieldwork end, else publication (with the matching precision).
-- published_visible_from: the visit's publication date moved to the end of its precision period;
-- int_visits falls back to the source's date and then to the fieldwork end when it is unknown.
with visits as (
    select * from visits
),

final as (
    select
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
        lead_inspector,
        is_uncertain,
        note,
        source_id,
        coalesce(fieldwork_start, fieldwork_end, published_date) as visit_date,
        case
            when fieldwork_start is not null or fieldwork_end is not null then fieldwork_precision
            else published_precision
        end as visit_date_precision,
        visible_from_date(published_date, published_precision) as published_visible_from,
        visible_from_date(coalesce(fieldwork_end, fieldwork_start), fieldwork_precision) as fieldwork_visible_from
    from visits
)

select * from final
