-- One row per theme and visit (on the visit's true date) for one council known on $as_of, for trend lines.
-- Parameters: $la_id_gss, $as_of. The grid is every theme that was coded in any visible visit of the council
-- by every visible visit with evidence; where a visit did not mention a theme, is_mentioned is false, the counts
-- are 0 and net_balance is NULL (monitoring and focused visits look at a few areas: silence is not a score).
-- Counts and net_balance are defined as in mart_theme_by_visit (same evidence_basis rule).
-- net_balance_change is the change since the previous visit that mentioned the theme.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

counts as (
    select * from asof_theme_counts($la_id_gss, $as_of)
),

units as (
    select distinct
        visit_id,
        n_units_in_visit,
        evidence_basis
    from counts
),

themes as (
    select
        counts.theme_id,
        coalesce(any_value(stg_themes.theme_label), counts.theme_id) as theme_label
    from counts
    left join stg_themes on counts.theme_id = stg_themes.theme_id
    group by counts.theme_id
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
        units.evidence_basis,
        units.n_units_in_visit
    from themes
    cross join units
    inner join visits on units.visit_id = visits.visit_id
),

scored as (
    select
        grid.*,
        counts.net_balance,
        coalesce(counts.n_strength, 0) as n_strength,
        coalesce(counts.n_improving, 0) as n_improving,
        coalesce(counts.n_concern, 0) as n_concern,
        coalesce(counts.n_neutral, 0) as n_neutral,
        coalesce(counts.n_coded, 0) as n_coded,
        counts.visit_id is not null as is_mentioned
    from grid
    left join counts on grid.visit_id = counts.visit_id and grid.theme_id = counts.theme_id
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
        n_units_in_visit,
        is_mentioned,
        net_balance,
        net_balance - lag(net_balance) over (
            partition by theme_id, is_mentioned order by visit_date, visit_id
        ) as net_balance_change
    from scored
    order by theme_id, visit_date, visit_id
)

select * from final
