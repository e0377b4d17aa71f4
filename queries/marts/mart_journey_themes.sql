-- Across the improvement journeys known on $as_of (asof_improvement_journeys), which themes stopped being raised
-- first, and after how many months. Parameter: $as_of. One row per theme raised at an inadequate inspection that
-- started a journey: in how many journeys it was raised, stopped, was among the first to stop (stop_order 1), or
-- was still raised at the next graded inspection; the median and range of months to stop; the councils.
with journeys as (
    select * from asof_improvement_journeys($as_of)
),

final as (
    select
        theme_id,
        any_value(theme_label) as theme_label,
        count(*) as n_journeys_raised,
        count(*) filter (where status = 'stopped') as n_journeys_stopped,
        count(*) filter (where stop_order = 1) as n_journeys_first,
        count(*) filter (where status = 'still_raised') as n_journeys_still_raised,
        count(*) filter (where status = 'not_read_since') as n_journeys_not_read,
        median(months_to_stop) as median_months_to_stop,
        min(months_to_stop) as min_months_to_stop,
        max(months_to_stop) as max_months_to_stop,
        string_agg(distinct la_name, ', ' order by la_name) as councils
    from journeys
    group by theme_id
    order by n_journeys_first desc, n_journeys_stopped desc, median_months_to_stop asc nulls last, theme_id asc
)

select * from final
