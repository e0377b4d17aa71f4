-- The model version(s) behind the codings in the database, for the report's manifest (overrides and codings
-- from before the model carry none).
with final as (
    select
        model_version,
        count(*) as n_codings
    from codings
    where model_version is not null
    group by model_version
    order by model_version
)

select * from final
