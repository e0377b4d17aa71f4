-- One row per theme and visit (on the visit's true date) for one council known on $as_of, for trend lines.
-- Parameters: $la_id_gss, $as_of. The grid is every theme that was coded in any visible visit of the council
-- by every visible visit with evidence; where a visit did not mention a theme, is_mentioned is false, the counts
-- are 0 and net_balance is NULL (monitoring and focused visits look at a few areas: silence is not a score).
-- Counts and net_balance are defined as in mart_theme_by_visit (same evidence_basis rule).
-- net_balance_change is the change since the previous visit that mentioned the theme.
with visits as (
    select * from int_visits
    where la_id_gss = $la_id_gss and visible_from <= cast($as_of as date)
),

evidence as (
    select * from int_theme_evidence
    where
        visible_from <= cast($as_of as date)
        and visit_id in (select visits.visit_id from visits)
),

visits_with_text as (
    select distinct visit_id from evidence
    where evidence_kind = 'sentence'
),

used as (
    select
        *,
        coalesce(passage_id, evidence_id) as unit_id
    from evidence
    where
        evidence_kind = 'sentence'
        or visit_id not in (select visits_with_text.visit_id from visits_with_text)
),

units as (
    select
        visit_id,
        count(distinct unit_id) as n_units_in_visit,
        case when bool_or(evidence_kind = 'sentence') then 'sentences' else 'analyst_findings' end
            as evidence_basis
    from used
    group by visit_id
),

counts as (
    select
        visit_id,
        theme_id,
        count(*) filter (where polarity = 'strength') as n_strength,
        count(*) filter (where polarity = 'improving') as n_improving,
        count(*) filter (where polarity = 'concern') as n_concern,
        count(*) filter (where polarity = 'neutral') as n_neutral,
        count(*) as n_coded
    from used
    group by visit_id, theme_id
),

themes as (
    select
        used.theme_id,
        coalesce(any_value(stg_themes.theme_label), used.theme_id) as theme_label
    from used
    left join stg_themes on used.theme_id = stg_themes.theme_id
    group by used.theme_id
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
        coalesce(counts.n_strength, 0) as n_strength,
        coalesce(counts.n_improving, 0) as n_improving,
        coalesce(counts.n_concern, 0) as n_concern,
        coalesce(counts.n_neutral, 0) as n_neutral,
        coalesce(counts.n_coded, 0) as n_coded,
        counts.visit_id is not null as is_mentioned,
        (counts.n_strength - counts.n_concern)::double / grid.n_units_in_visit as net_balance
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
