-- LAIT-style benchmarks of one council's official measures, every period published up to $as_of.
-- Parameters: $la_id_gss (the council), $as_of (a date: periods ending on or before it are visible; the files
-- carry no per-year publication date, so the period end is the earliest a figure could be known).
-- One row per measure and period the council has a row for (a suppressed value keeps its row, value NULL):
--   neighbour_mean  mean of the council's ten 2025 statistical neighbours (stat_neighbours, model '2025') that
--                   have a value; n_neighbours_with_data and n_neighbours_missing say how many counted
--   region_value    the council's region (councils.region_id_gss); england_value: E92000001
--   rank_position   among all councils with a value for that measure and period, 1 = best given
--                   is_higher_better; ties share the best rank (rank()); NULL when the measure has no direction,
--                   or when fewer than half of the councils have a value (e.g. only the committed extract is loaded)
--   quartile_band   A (best quarter) to D from the rank: A when (rank - 1) / n_ranked < 0.25, B < 0.5, C < 0.75
--   change_on_year  value minus the value one year earlier (same measure, period end a year before)
--   direction_of_travel  improving / worsening / no change respecting the direction; up / down for context measures
--   is_latest       the council's latest visible period of the measure
with catalogue as (
    select * from measure_catalogue
),

council as (
    select
        la_id_gss,
        la_name,
        region_id_gss,
        region_name
    from councils
    where la_id_gss = $la_id_gss
),

visible as (
    select * from measures
    where period_end <= cast($as_of as date)
),

own as (
    select * from visible
    where la_id_gss = $la_id_gss
),

ranked as (
    select
        visible.la_id_gss,
        visible.measure,
        visible.period_end,
        case
            when catalogue.is_higher_better
                then
                    rank()
                        over (
                            partition by visible.measure, visible.period_end order by visible.value desc
                        )
            when not catalogue.is_higher_better then rank() over (
                partition by visible.measure, visible.period_end order by visible.value asc
            )
        end as rank_position,
        count(*) over (partition by visible.measure, visible.period_end) as n_ranked
    from visible
    inner join catalogue on visible.measure = catalogue.measure
    where visible.geographic_level = 'la' and visible.value is not null
),

-- A rank needs the whole field: with only the committed extract (the council, its neighbours, region and
-- England) fewer than half of the councils have values, and no rank or band is given.
ranked_complete as (
    select * from ranked
    where n_ranked * 2 >= (select count(*) from councils)
),

neighbours as (
    select neighbour_la_id_gss
    from stat_neighbours
    where la_id_gss = $la_id_gss and model = '2025'
),

neighbour_count as (
    select count(*) as n_neighbours from neighbours
),

neighbour_values as (
    select
        own.measure,
        own.period_end,
        -- rounded: a parallel sum adds in any order, and the last bits would differ between runs
        round(avg(visible.value), 6) as neighbour_mean,
        count(visible.value) as n_neighbours_with_data,
        any_value(neighbour_count.n_neighbours) - count(visible.value) as n_neighbours_missing
    from own
    cross join neighbours
    cross join neighbour_count
    left join visible
        on
            neighbours.neighbour_la_id_gss = visible.la_id_gss
            and own.measure = visible.measure
            and own.period_end = visible.period_end
    group by own.measure, own.period_end
),

joined as (
    select
        own.la_id_gss,
        own.measure,
        catalogue.label,
        catalogue.unit,
        catalogue.is_higher_better,
        catalogue.theme_ids,
        own.period_start,
        own.period_end,
        own.value,
        own.status,
        own.status_code,
        own.numerator,
        own.denominator,
        neighbour_values.neighbour_mean,
        council.region_id_gss,
        council.region_name,
        region.value as region_value,
        england.value as england_value,
        ranked.rank_position,
        prior_year.value as previous_value,
        own.source_id,
        coalesce(council.la_name, own.la_id_gss) as la_name,
        coalesce(neighbour_values.n_neighbours_with_data, 0) as n_neighbours_with_data,
        coalesce(neighbour_values.n_neighbours_missing, 0) as n_neighbours_missing,
        case when ranked.rank_position is not null then ranked.n_ranked end as n_ranked,
        own.value - prior_year.value as change_on_year
    from own
    inner join catalogue on own.measure = catalogue.measure
    left join council on own.la_id_gss = council.la_id_gss
    left join
        neighbour_values
        on own.measure = neighbour_values.measure and own.period_end = neighbour_values.period_end
    left join visible as region
        on
            council.region_id_gss = region.la_id_gss
            and own.measure = region.measure
            and own.period_end = region.period_end
    left join visible as england
        on
            england.la_id_gss = 'E92000001'
            and own.measure = england.measure
            and own.period_end = england.period_end
    left join ranked_complete as ranked
        on
            own.la_id_gss = ranked.la_id_gss
            and own.measure = ranked.measure
            and own.period_end = ranked.period_end
    left join visible as prior_year
        on
            own.la_id_gss = prior_year.la_id_gss
            and own.measure = prior_year.measure
            and prior_year.period_end = cast(own.period_end - interval 1 year as date)
),

final as (
    select
        *,
        case
            when rank_position is null then null
            when cast((rank_position - 1) as double) / n_ranked < 0.25 then 'A'
            when cast((rank_position - 1) as double) / n_ranked < 0.50 then 'B'
            when cast((rank_position - 1) as double) / n_ranked < 0.75 then 'C'
            else 'D'
        end as quartile_band,
        case
            when change_on_year is null then null
            when change_on_year = 0 then 'no change'
            when is_higher_better is null then case when change_on_year > 0 then 'up' else 'down' end
            when (change_on_year > 0) = is_higher_better then 'improving'
            else 'worsening'
        end as direction_of_travel,
        period_end = max(period_end) over (partition by measure) as is_latest
    from joined
    order by measure, period_end
)

select * from final
