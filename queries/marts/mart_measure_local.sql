-- The council's own figures (data/local/*.csv -> local_measures) against their targets, up to $as_of.
-- Parameters: $la_id_gss, $as_of (periods ending on or before it). team NULL means the whole service.
-- Whether higher is better is not recorded for a local measure,
-- so gap_to_target is value - target and the reader judges its sign.
with local_rows as (
    select * from local_measures
    where la_id_gss = $la_id_gss and period_end <= cast($as_of as date)
),

final as (
    select
        la_id_gss,
        measure,
        period_start,
        period_end,
        value,
        target,
        source_note,
        source_file,
        coalesce(team, 'All teams') as team,
        value - target as gap_to_target
    from local_rows
    order by measure, team, period_end
)

select * from final
