-- The codebook version(s) behind the codings in the database, for the report's manifest.
with final as (
    select
        codebook_version,
        count(*) as n_codings
    from codings
    group by codebook_version
    order by codebook_version
)

select * from final
