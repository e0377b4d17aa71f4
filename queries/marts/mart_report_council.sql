-- The council a report is about and the first day anything about its visits counts as published (int_visits'
-- visible_from, the as-of rule of every mart): parameter checks refuse an unknown council (zero rows) and a
-- quarter that ends before any visit is visible.
with council as (
    select
        la_id_gss,
        la_name
    from stg_councils
    where la_id_gss = $la_id_gss
),

visits as (
    select visible_from
    from int_visits
    where la_id_gss = $la_id_gss
),

final as (
    select
        council.la_id_gss,
        council.la_name,
        (select min(visits.visible_from) from visits) as first_published_date
    from council
)

select * from final
