-- Sentences per theme and polarity for each visit of one council known on $as_of, and a net balance.
-- Parameters: $la_id_gss, $as_of (only evidence with visible_from on or before it).
-- evidence_basis: 'sentences' when the visit has coded Ofsted text visible on $as_of; otherwise
-- 'analyst_findings' (the visit is known without its text, so analysts' findings are counted, one unit per
-- finding row). Both kinds are never mixed within a visit.
-- net_balance = (n_strength - n_concern) / n_units_in_visit, where n_units_in_visit is the number of
-- distinct sentences (or findings) coded with any theme in that visit, so a long report and a short letter
-- compare. It runs from -1 to +1; improving and neutral codes count in the denominator only.
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
        count(distinct unit_id) as n_units_in_visit
    from used
    group by visit_id
),

counts as (
    select
        visit_id,
        theme_id,
        any_value(theme_label) as theme_label,
        any_value(evidence_kind) as evidence_kind,
        count(*) filter (where polarity = 'strength') as n_strength,
        count(*) filter (where polarity = 'improving') as n_improving,
        count(*) filter (where polarity = 'concern') as n_concern,
        count(*) filter (where polarity = 'neutral') as n_neutral,
        count(*) as n_coded
    from used
    group by visit_id, theme_id
),

recommendations as (
    select
        visit_id,
        theme_id,
        count(distinct recommendation_id) as n_recommendations
    from int_recommendations
    where la_id_gss = $la_id_gss and visible_from <= cast($as_of as date) and theme_id is not null
    group by visit_id, theme_id
),

final as (
    select
        visits.la_id_gss,
        counts.visit_id,
        visits.visit_date,
        visits.visit_type,
        visits.framework,
        visits.title as visit_title,
        counts.theme_id,
        counts.n_strength,
        counts.n_improving,
        counts.n_concern,
        counts.n_neutral,
        counts.n_coded,
        units.n_units_in_visit,
        coalesce(counts.theme_label, counts.theme_id) as theme_label,
        coalesce(recommendations.n_recommendations, 0) as n_recommendations,
        (counts.n_strength - counts.n_concern)::double / units.n_units_in_visit as net_balance,
        case counts.evidence_kind when 'sentence' then 'sentences' else 'analyst_findings' end as evidence_basis
    from counts
    inner join visits on counts.visit_id = visits.visit_id
    inner join units on counts.visit_id = units.visit_id
    left join recommendations
        on counts.visit_id = recommendations.visit_id and counts.theme_id = recommendations.theme_id
    order by visits.visit_date, counts.visit_id, counts.theme_id
)

select * from final
