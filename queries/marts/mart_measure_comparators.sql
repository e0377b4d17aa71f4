-- The values behind a benchmark: one council, each of its ten 2025 statistical neighbours, its region and England,
-- for every measure and period published up to $as_of (period end on or before it).
-- Parameters: $la_id_gss, $as_of. area_role is 'council', 'neighbour', 'region' or 'england'; a neighbour with no
-- published value keeps its row with value NULL and its status (e.g. 'suppressed'), so gaps are visible.
with catalogue as (
    select * from measure_catalogue
),

visible as (
    select * from measures
    where period_end <= cast($as_of as date)
),

areas as (
    select
        la_id_gss as area_id_gss,
        'council' as area_role,
        0 as area_order
    from councils
    where la_id_gss = $la_id_gss
    union all
    select
        neighbour_la_id_gss as area_id_gss,
        'neighbour' as area_role,
        neighbour_rank as area_order
    from stat_neighbours
    where la_id_gss = $la_id_gss and model = '2025'
    union all
    select
        region_id_gss as area_id_gss,
        'region' as area_role,
        11 as area_order
    from councils
    where la_id_gss = $la_id_gss
    union all
    select
        'E92000001' as area_id_gss,
        'england' as area_role,
        12 as area_order
),

names as (
    select
        la_id_gss,
        la_name
    from councils
    union all
    select distinct
        region_id_gss as la_id_gss,
        region_name as la_name
    from councils
    union all
    select
        'E92000001' as la_id_gss,
        'England' as la_name
),

periods as (
    select distinct
        measure,
        period_start,
        period_end
    from visible
    where la_id_gss = $la_id_gss
),

final as (
    select
        periods.measure,
        catalogue.label,
        catalogue.unit,
        catalogue.is_higher_better,
        periods.period_start,
        periods.period_end,
        areas.area_id_gss,
        areas.area_role,
        areas.area_order,
        visible.value,
        visible.status_code,
        visible.source_id,
        coalesce(names.la_name, areas.area_id_gss) as area_name,
        coalesce(visible.status, 'not_available') as status
    from periods
    inner join catalogue on periods.measure = catalogue.measure
    cross join areas
    left join names on areas.area_id_gss = names.la_id_gss
    left join visible
        on
            areas.area_id_gss = visible.la_id_gss
            and periods.measure = visible.measure
            and periods.period_end = visible.period_end
    order by periods.measure, periods.period_end, areas.area_order
)

select * from final
