-- Themes of one council raised as a concern or a recommendation in two or more visits known on $as_of, and
-- themes raised for the first time at the latest visit, with their status now.
-- Parameters: $la_id_gss, $as_of.
-- A theme is "raised" at a visit when the visit's evidence (same evidence_basis rule as mart_theme_by_visit)
-- has at least one concern on it or a recommendation is coded to it. L is the council's latest visit with
-- evidence; P is the last visit before L that mentioned the theme at all. status:
--   new            raised at L and at no earlier visit (is_recurring false: shown because it is the one to watch);
--   persistent     raised at L and at an earlier visit, and either raised at L only by a recommendation (no
--                  concern sentence) or its net balance at L is no better than at P;
--   improving      raised at an earlier visit and either raised at L with a better net balance than at P, or
--                  mentioned at L with no concern and no strength (only improving or neutral codes);
--   resolved       raised at an earlier visit, mentioned at L with no concern, no recommendation and at least
--                  one strength;
--   not_revisited  raised at earlier visits but not mentioned at L (a focused or monitoring visit often looks
--                  at a few areas only, so silence is not resolution).
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

counts as (
    select * from asof_theme_counts($la_id_gss, $as_of)
),

units as (
    -- every visit with counted evidence has a row in counts
    select distinct
        visit_id,
        n_units_in_visit
    from counts
),

recommendations as (
    select * from asof_recommendation_counts($la_id_gss, $as_of)
),

per_visit as (
    select
        coalesce(counts.visit_id, recommendations.visit_id) as visit_id,
        coalesce(counts.theme_id, recommendations.theme_id) as theme_id,
        coalesce(counts.n_strength, 0) as n_strength,
        coalesce(counts.n_improving, 0) as n_improving,
        coalesce(counts.n_concern, 0) as n_concern,
        coalesce(recommendations.n_recommendations, 0) as n_recommendations
    from counts
    full outer join recommendations
        on counts.visit_id = recommendations.visit_id and counts.theme_id = recommendations.theme_id
),

scored as (
    select
        per_visit.*,
        visits.visit_date,
        per_visit.n_concern > 0 or per_visit.n_recommendations > 0 as is_raised,
        (per_visit.n_strength - per_visit.n_concern)::double / nullif(units.n_units_in_visit, 0) as net_balance
    from per_visit
    inner join visits on per_visit.visit_id = visits.visit_id
    left join units on per_visit.visit_id = units.visit_id
),

latest as (
    select
        visits.visit_id,
        visits.visit_date
    from visits
    where visits.visit_id in (select units.visit_id from units)
    order by visits.visit_date desc, visits.visit_id desc
    limit 1
),

at_latest as (
    select scored.* from scored
    where scored.visit_id = (select latest.visit_id from latest)
),

earlier as (
    select scored.* from scored
    where
        scored.visit_date < (select latest.visit_date from latest)
        or (
            scored.visit_date = (select latest.visit_date from latest)
            and scored.visit_id < (select latest.visit_id from latest)
        )
),

previous as (
    select
        theme_id,
        arg_max(net_balance, visit_date) as net_balance_previous,
        arg_max(visit_id, visit_date) as previous_visit_id
    from earlier
    group by theme_id
),

raised as (
    select
        scored.theme_id,
        count(*) as n_visits_raised,
        min(scored.visit_date) as first_raised_date,
        max(scored.visit_date) as last_raised_date,
        string_agg(scored.visit_id, ', ' order by scored.visit_date, scored.visit_id) as visits_raised,
        string_agg(strftime(scored.visit_date, '%Y-%m-%d'), ', ' order by scored.visit_date, scored.visit_id)
            as visit_dates_raised,
        bool_or(scored.visit_id <> (select latest.visit_id from latest)) as is_raised_earlier,
        sum(scored.n_concern) as n_concern_total,
        sum(scored.n_recommendations) as n_recommendations_total
    from scored
    where scored.is_raised
    group by scored.theme_id
),

classified as (
    select
        raised.*,
        at_latest.net_balance as net_balance_latest,
        previous.net_balance_previous,
        previous.previous_visit_id,
        at_latest.visit_id is not null as is_mentioned_at_latest,
        coalesce(at_latest.is_raised, false) as is_raised_at_latest,
        case
            when coalesce(at_latest.is_raised, false) and not raised.is_raised_earlier then 'new'
            when at_latest.visit_id is null then 'not_revisited'
            when at_latest.is_raised and at_latest.n_concern = 0 then 'persistent'
            when at_latest.is_raised and at_latest.net_balance > previous.net_balance_previous then 'improving'
            when at_latest.is_raised then 'persistent'
            when at_latest.n_strength > 0 then 'resolved'
            else 'improving'
        end as status
    from raised
    left join at_latest on raised.theme_id = at_latest.theme_id
    left join previous on raised.theme_id = previous.theme_id
),

final as (
    select
        classified.theme_id,
        classified.status,
        classified.n_visits_raised,
        classified.first_raised_date,
        classified.last_raised_date,
        classified.visits_raised,
        classified.visit_dates_raised,
        classified.n_concern_total,
        classified.n_recommendations_total,
        classified.is_mentioned_at_latest,
        classified.is_raised_at_latest,
        classified.net_balance_latest,
        classified.previous_visit_id,
        classified.net_balance_previous,
        (select any_value(visits.la_id_gss) from visits) as la_id_gss,
        coalesce(stg_themes.theme_label, classified.theme_id) as theme_label,
        classified.n_visits_raised >= 2 as is_recurring,
        (select latest.visit_id from latest) as latest_visit_id,
        (select latest.visit_date from latest) as latest_visit_date
    from classified
    left join stg_themes on classified.theme_id = stg_themes.theme_id
    where classified.n_visits_raised >= 2 or classified.status = 'new'
    order by
        case classified.status
            when 'persistent' then 1 when 'new' then 2 when 'improving' then 3
            when 'not_revisited' then 4 else 5
        end,
        classified.n_visits_raised desc,
        classified.theme_id asc
)

select * from final
