-- How many of a council's sources carry no published date: they cannot be placed before or after a quarter's
-- end, so the report leaves them out and says how many in its data notes.
with final as (
    select count(*) as n_undated_sources
    from sources
    where
        la_id_gss = $la_id_gss
        and published_date is null
        and kind not in ('lookup', 'reference', 'official_statistics')
)

select * from final
