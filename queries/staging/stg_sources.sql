-- Every registered source, with the last day on which its publication may have happened:
-- a date known only to the month or year counts from the end of that month or year,
-- so an as-of view never shows a fact before it could have been read.
with sources as (
    select * from sources
),

final as (
    select
        source_id,
        la_id_gss,
        kind,
        title,
        publisher,
        published_date,
        published_date_precision,
        url,
        licence,
        visit_id,
        note,
        visible_from_date(published_date, published_date_precision) as visible_from
    from sources
)

select * from final
