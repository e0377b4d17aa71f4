-- Themes of one council raised as a concern in two or more visits known on $as_of, and themes raised for the first
-- time at the latest visit with evidence, with their status now.
-- Parameters: $la_id_gss, $as_of.
-- A theme is "raised" at a visit when its reading there (asof_theme_readings) is named_for_improvement or
-- mostly_concerns. L is the council's latest visit with evidence (a reading on any theme: coded text, else analysts'
-- findings); latest_evidence_visit_id names it. status, from the theme's reading at L:
--   new            raised at L and at no earlier visit (is_recurring false: shown because it is the one to watch);
--   persistent     raised at L and at an earlier visit;
--   improving      raised at an earlier visit; at L it reads mixed: concerns no longer make up most of what the
--                  visit said about it, nor do strengths;
--   resolved       raised at an earlier visit; at L it reads mostly_strengths (and was not named for improvement);
--   not_revisited  raised at an earlier visit; L did not mention it, or said too little to read (not_enough_evidence:
--                  a focused or monitoring visit often looks at a few areas only, so silence is not resolution).
-- previous_raised_visit_id is the last visit before L that raised the theme.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

readings as (
    select * from asof_theme_readings($la_id_gss, $as_of)
),

latest as (
    select
        visit_id,
        visit_date
    from readings
    order by visit_date desc, visit_id desc
    limit 1
),

at_latest as (
    select readings.* from readings
    where readings.visit_id = (select latest.visit_id from latest)
),

raised as (
    select
        theme_id,
        any_value(theme_label) as theme_label,
        count(*) as n_visits_raised,
        min(visit_date) as first_raised_date,
        max(visit_date) as last_raised_date,
        string_agg(visit_id, ', ' order by visit_date, visit_id) as visits_raised,
        string_agg(strftime(visit_date, '%Y-%m-%d'), ', ' order by visit_date, visit_id) as visit_dates_raised,
        arg_max(visit_id, visit_date) filter (where visit_id <> (select latest.visit_id from latest))
            as previous_raised_visit_id,
        count(*) filter (where is_named_for_improvement) as n_visits_named,
        bool_or(visit_id <> (select latest.visit_id from latest)) as is_raised_earlier,
        sum(n_concern) as n_concern_total,
        sum(n_recommendations) as n_recommendations_total
    from readings
    where is_raised
    group by theme_id
),

classified as (
    select
        raised.*,
        at_latest.reading as reading_latest,
        at_latest.n_evaluative as n_evaluative_latest,
        at_latest.n_concern_or_improving as n_concern_or_improving_latest,
        at_latest.concern_share as concern_share_latest,
        at_latest.concern_share_low as concern_share_low_latest,
        at_latest.concern_share_high as concern_share_high_latest,
        at_latest.visit_id is not null as is_mentioned_at_latest,
        coalesce(at_latest.is_raised, false) as is_raised_at_latest,
        case
            when coalesce(at_latest.is_raised, false) and not raised.is_raised_earlier then 'new'
            when at_latest.is_raised then 'persistent'
            when at_latest.reading = 'mixed' then 'improving'
            when at_latest.reading = 'mostly_strengths' then 'resolved'
            else 'not_revisited'
        end as status
    from raised
    left join at_latest on raised.theme_id = at_latest.theme_id
),

final as (
    select
        theme_id,
        theme_label,
        status,
        n_visits_raised,
        first_raised_date,
        last_raised_date,
        visits_raised,
        visit_dates_raised,
        n_visits_named,
        n_concern_total,
        n_recommendations_total,
        previous_raised_visit_id,
        is_mentioned_at_latest,
        is_raised_at_latest,
        reading_latest,
        n_evaluative_latest,
        n_concern_or_improving_latest,
        concern_share_latest,
        concern_share_low_latest,
        concern_share_high_latest,
        (select any_value(visits.la_id_gss) from visits) as la_id_gss,
        n_visits_raised >= 2 as is_recurring,
        (select latest.visit_id from latest) as latest_evidence_visit_id,
        (select latest.visit_date from latest) as latest_evidence_visit_date
    from classified
    where n_visits_raised >= 2 or status = 'new'
    order by
        case status
            when 'persistent' then 1 when 'new' then 2 when 'improving' then 3
            when 'not_revisited' then 4 else 5
        end,
        n_visits_raised desc,
        theme_id asc
)

select * from final
