-- A council's statistical neighbours (2025 model) nearest first, for rendering a council with its comparators
-- (benchmarks/reports.py renders Dudley and its neighbours). Only neighbours with a visit in int_visits.
with neighbours as (
    select
        neighbour_la_id_gss as la_id_gss,
        neighbour_rank
    from stat_neighbours
    where la_id_gss = $la_id_gss and model = '2025'
),

visited as (
    select distinct la_id_gss from int_visits
),

final as (
    select neighbours.la_id_gss
    from neighbours
    inner join visited on neighbours.la_id_gss = visited.la_id_gss
    order by neighbours.neighbour_rank
)

select * from final
