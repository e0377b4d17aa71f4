-- The documents about a council visible on $as_of (stg_sources' visible_from: a date known only to the month or
-- year counts from the end of that period, the as-of rule of every mart). The manifest lists them with their
-- dates and links; is_new_in_quarter marks those that became visible on or after $quarter_start.
-- Sources with no date cannot be placed in time: they are left out here and counted by mart_report_undated.
with council_sources as (
    select * from stg_sources
    where
        la_id_gss = $la_id_gss
        and kind not in ('lookup', 'reference', 'official_statistics')
),

final as (
    select
        source_id,
        kind,
        title,
        publisher,
        published_date,
        published_date_precision,
        url,
        licence,
        visit_id,
        visible_from >= cast($quarter_start as date) as is_new_in_quarter
    from council_sources
    where visible_from <= cast($as_of as date)
    order by published_date, source_id
)

select * from final
