-- One row per theme and visit (on the visit's true date) for one council known on $as_of, for trend lines.
-- Parameters: $la_id_gss, $as_of. The grid is every theme with a reading at any visible visit of the council by
-- every visible visit with a reading (asof_theme_readings); where a visit did not mention a theme, is_mentioned is
-- false, the counts are 0, the shares NULL and reading 'not_mentioned' (monitoring and focused visits look at a few
-- areas: silence is not a score). Counts, shares and readings are those of mart_theme_by_visit.
-- previous_visit_id / previous_reading: the last earlier visit at which the theme had a confident reading (any
-- but not_enough_evidence); reading_change compares reading_rank with it: 'better' (fewer concerns), 'worse' or
-- 'same', NULL when this visit or no earlier one has a confident reading.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

readings as (
    select * from asof_theme_readings($la_id_gss, $as_of)
),

visits_read as (
    select
        visit_id,
        any_value(evidence_basis) as evidence_basis
    from readings
    group by visit_id
),

themes as (
    select
        theme_id,
        any_value(theme_label) as theme_label
    from readings
    group by theme_id
),

grid as (
    select
        visits.la_id_gss,
        themes.theme_id,
        themes.theme_label,
        visits.visit_id,
        visits.visit_date,
        visits.visit_date_precision,
        visits.visit_type,
        visits.framework,
        visits.title as visit_title,
        visits_read.evidence_basis
    from themes
    cross join visits_read
    inner join visits on visits_read.visit_id = visits.visit_id
),

scored as (
    select
        grid.*,
        readings.concern_share,
        readings.concern_share_low,
        readings.concern_share_high,
        readings.reading_rank,
        coalesce(readings.n_strength, 0) as n_strength,
        coalesce(readings.n_improving, 0) as n_improving,
        coalesce(readings.n_concern, 0) as n_concern,
        coalesce(readings.n_neutral, 0) as n_neutral,
        coalesce(readings.n_coded, 0) as n_coded,
        coalesce(readings.n_evaluative, 0) as n_evaluative,
        coalesce(readings.n_concern_or_improving, 0) as n_concern_or_improving,
        coalesce(readings.n_recommendations, 0) as n_recommendations,
        coalesce(readings.is_named_for_improvement, false) as is_named_for_improvement,
        coalesce(readings.reading, 'not_mentioned') as reading,
        coalesce(readings.is_raised, false) as is_raised,
        readings.visit_id is not null as is_mentioned
    from grid
    left join readings on grid.visit_id = readings.visit_id and grid.theme_id = readings.theme_id
),

with_previous as (
    select
        *,
        -- the last earlier confident reading: lag over the confident rows only, carried to the others below
        lag(case when reading_rank is not null then visit_id end ignore nulls) over (
            partition by theme_id order by visit_date, visit_id
        ) as previous_visit_id,
        lag(case when reading_rank is not null then reading end ignore nulls) over (
            partition by theme_id order by visit_date, visit_id
        ) as previous_reading,
        lag(reading_rank ignore nulls) over (
            partition by theme_id order by visit_date, visit_id
        ) as previous_reading_rank
    from scored
),

final as (
    select
        la_id_gss,
        theme_id,
        theme_label,
        visit_date,
        visit_date_precision,
        visit_id,
        visit_type,
        framework,
        visit_title,
        evidence_basis,
        n_strength,
        n_improving,
        n_concern,
        n_neutral,
        n_coded,
        n_evaluative,
        n_concern_or_improving,
        concern_share,
        concern_share_low,
        concern_share_high,
        n_recommendations,
        is_named_for_improvement,
        reading,
        reading_rank,
        is_raised,
        is_mentioned,
        previous_visit_id,
        previous_reading,
        case
            when reading_rank is null or previous_reading_rank is null then null
            when reading_rank < previous_reading_rank then 'better'
            when reading_rank > previous_reading_rank then 'worse'
            else 'same'
        end as reading_change
    from with_previous
    order by theme_id, visit_date, visit_id
)

select * from final
