-- Themes against their official measures, with both directions of travel, for one council known on $as_of.
-- Parameters: $la_id_gss, $as_of.
-- One row per (theme, measure) pair of the measure catalogue (theme_ids). Two directions of travel:
--   inspection_direction  from the theme measure (asof_theme_readings): the reading at the latest visible visit with
--                         a confident reading of the theme (any but not_enough_evidence) against the one before it,
--                         by reading_rank (3 concern: named for improvement or mostly concerns, 2 mixed, 1 mostly
--                         strengths): improving (fewer concerns), worsening, no change; NULL with fewer than two
--                         such visits. latest_/previous_ columns give both readings with their counts and shares.
--   measure_direction     the measure's latest visible value minus the value a year earlier, read with
--                         is_higher_better: improving / worsening / no change; up / down for context measures.
--   agreement             'agree' when both directions are improving or both worsening, 'differ' when one improves
--                         and the other worsens, NULL otherwise.
with readings as (
    select * from asof_theme_readings($la_id_gss, $as_of)
),

mentions as (
    select
        theme_id,
        count(*) as n_visits_mentioning
    from readings
    group by theme_id
),

confident as (
    select
        *,
        row_number() over (partition by theme_id order by visit_date desc, visit_id desc) as recency
    from readings
    where reading_rank is not null
),

inspection as (
    select
        theme_id,
        count(*) as n_visits_read,
        max(visit_id) filter (where recency = 1) as latest_visit_id,
        max(visit_date) filter (where recency = 1) as latest_visit_date,
        max(reading) filter (where recency = 1) as latest_reading,
        max(reading_rank) filter (where recency = 1) as latest_reading_rank,
        max(concern_share) filter (where recency = 1) as latest_concern_share,
        max(n_concern_or_improving) filter (where recency = 1) as latest_n_concern_or_improving,
        max(n_evaluative) filter (where recency = 1) as latest_n_evaluative,
        max(visit_id) filter (where recency = 2) as previous_visit_id,
        max(visit_date) filter (where recency = 2) as previous_visit_date,
        max(reading) filter (where recency = 2) as previous_reading,
        max(reading_rank) filter (where recency = 2) as previous_reading_rank,
        max(concern_share) filter (where recency = 2) as previous_concern_share
    from confident
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
        inspection.latest_visit_id,
        inspection.latest_visit_date,
        inspection.latest_reading,
        inspection.latest_concern_share,
        inspection.latest_n_concern_or_improving,
        inspection.latest_n_evaluative,
        inspection.previous_visit_id,
        inspection.previous_visit_date,
        inspection.previous_reading,
        inspection.previous_concern_share,
        coalesce(stg_themes.theme_label, pairs.theme_id) as theme_label,
        case
            when latest.change_on_year is null then null
            when latest.change_on_year = 0 then 'no change'
            when pairs.is_higher_better is null then case when latest.change_on_year > 0 then 'up' else 'down' end
            when (latest.change_on_year > 0) = pairs.is_higher_better then 'improving'
            else 'worsening'
        end as measure_direction,
        coalesce(mentions.n_visits_mentioning, 0) as n_visits_mentioning,
        coalesce(inspection.n_visits_read, 0) as n_visits_read,
        case
            when inspection.previous_reading_rank is null then null
            when inspection.latest_reading_rank < inspection.previous_reading_rank then 'improving'
            when inspection.latest_reading_rank > inspection.previous_reading_rank then 'worsening'
            else 'no change'
        end as inspection_direction
    from pairs
    left join stg_themes on pairs.theme_id = stg_themes.theme_id
    left join latest on pairs.measure = latest.measure
    left join mentions on pairs.theme_id = mentions.theme_id
    left join inspection on pairs.theme_id = inspection.theme_id
),

final as (
    select
        *,
        case
            when inspection_direction is null or measure_direction is null then null
            when inspection_direction not in ('improving', 'worsening') then null
            when measure_direction not in ('improving', 'worsening') then null
            when inspection_direction = measure_direction then 'agree'
            else 'differ'
        end as agreement
    from joined
    order by theme_id, measure
)

select * from final
