-- Themes against their official measures, with both directions of travel, for one council known on $as_of.
-- Parameters: $la_id_gss, $as_of.
-- One row per (theme, measure) pair of the measure catalogue (theme_ids). Two directions of travel:
--   inspection_direction  from the inspection codings: the theme's net balance at the latest visible visit that
--                         mentioned it minus the one before (net balance as in mart_theme_trajectory: (strengths -
--                         concerns) / coded units of the visit; sentences where the visit has text, else analyst
--                         findings). improving (> 0), worsening (< 0), no change, NULL with fewer than two visits.
--   measure_direction     the measure's latest visible value minus the value a year earlier, read with
--                         is_higher_better: improving / worsening / no change; up / down for context measures.
--   agreement             'agree' when both directions are improving or both worsening, 'differ' when one improves
--                         and the other worsens, NULL otherwise.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

counts as (
    select * from asof_theme_counts($la_id_gss, $as_of)
),

theme_visits as (
    select
        counts.theme_id,
        counts.visit_id,
        visits.visit_date,
        counts.net_balance
    from counts
    inner join visits on counts.visit_id = visits.visit_id
),

theme_recency as (
    select
        *,
        row_number() over (partition by theme_id order by visit_date desc, visit_id desc) as recency,
        count(*) over (partition by theme_id) as n_visits_mentioning
    from theme_visits
),

inspection as (
    select
        theme_id,
        any_value(n_visits_mentioning) as n_visits_mentioning,
        max(visit_date) filter (where recency = 1) as latest_visit_date,
        max(net_balance) filter (where recency = 1) as latest_net_balance,
        max(visit_date) filter (where recency = 2) as previous_visit_date,
        max(net_balance) filter (where recency = 2) as previous_net_balance
    from theme_recency
    where recency <= 2
    group by theme_id
),

pairs as (
    select
        measure,
        label,
        unit,
        is_higher_better,
        trim(unnest(string_split(theme_ids, ','))) as theme_id
    from measure_catalogue
    where theme_ids is not null and theme_ids <> ''
),

own as (
    select
        measure,
        period_end,
        value,
        row_number() over (partition by measure order by period_end desc) as recency
    from measures
    where la_id_gss = $la_id_gss and period_end <= cast($as_of as date) and value is not null
),

latest as (
    select
        own.measure,
        own.period_end as latest_period_end,
        own.value as latest_value,
        prior_year.value as previous_value,
        own.value - prior_year.value as change_on_year
    from own
    left join own as prior_year
        on
            own.measure = prior_year.measure
            and prior_year.period_end = (own.period_end - interval 1 year)::date
    where own.recency = 1
),

joined as (
    select
        pairs.theme_id,
        pairs.measure,
        pairs.label as measure_label,
        pairs.unit,
        pairs.is_higher_better,
        latest.latest_period_end,
        latest.latest_value,
        latest.previous_value,
        latest.change_on_year,
        inspection.latest_visit_date,
        inspection.latest_net_balance,
        inspection.previous_visit_date,
        inspection.previous_net_balance,
        coalesce(stg_themes.theme_label, pairs.theme_id) as theme_label,
        case
            when latest.change_on_year is null then null
            when latest.change_on_year = 0 then 'no change'
            when pairs.is_higher_better is null then case when latest.change_on_year > 0 then 'up' else 'down' end
            when (latest.change_on_year > 0) = pairs.is_higher_better then 'improving'
            else 'worsening'
        end as measure_direction,
        coalesce(inspection.n_visits_mentioning, 0) as n_visits_mentioning,
        inspection.latest_net_balance - inspection.previous_net_balance as net_balance_change
    from pairs
    left join stg_themes on pairs.theme_id = stg_themes.theme_id
    left join latest on pairs.measure = latest.measure
    left join inspection on pairs.theme_id = inspection.theme_id
),

final as (
    select
        *,
        case
            when net_balance_change is null then null
            when net_balance_change > 0 then 'improving'
            when net_balance_change < 0 then 'worsening'
            else 'no change'
        end as inspection_direction,
        case
            when net_balance_change is null or measure_direction not in ('improving', 'worsening') then null
            when
                (net_balance_change > 0 and measure_direction = 'improving')
                or (net_balance_change < 0 and measure_direction = 'worsening') then 'agree'
            when net_balance_change = 0 then null
            else 'differ'
        end as agreement
    from joined
    order by theme_id, measure
)

select * from final
