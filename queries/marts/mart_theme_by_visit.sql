-- Sentences per theme and polarity for each visit of one council known on $as_of, and a net balance.
-- Parameters: $la_id_gss, $as_of (only evidence with visible_from on or before it).
-- evidence_basis: 'sentences' when the visit has coded Ofsted text visible on $as_of; otherwise
-- 'analyst_findings' (the visit is known without its text, so analysts' findings are counted, one unit per
-- finding row). Both kinds are never mixed within a visit.
-- net_balance = (n_strength - n_concern) / n_units_in_visit, where n_units_in_visit is the number of
-- distinct sentences (or findings) coded with any theme in that visit, so a long report and a short letter
-- compare. It runs from -1 to +1; improving and neutral codes count in the denominator only.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

counts as (
    select * from asof_theme_counts($la_id_gss, $as_of)
),

recommendations as (
    select * from asof_recommendation_counts($la_id_gss, $as_of)
),

final as (
    -- the published column order, with net_balance and evidence_basis last
    select  -- noqa: ST06
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
        counts.n_units_in_visit,
        coalesce(counts.theme_label, counts.theme_id) as theme_label,
        coalesce(recommendations.n_recommendations, 0) as n_recommendations,
        counts.net_balance,
        counts.evidence_basis
    from counts
    inner join visits on counts.visit_id = visits.visit_id
    left join recommendations
        on counts.visit_id = recommendations.visit_id and counts.theme_id = recommendations.theme_id
    order by visits.visit_date, counts.visit_id, counts.theme_id
)

select * from final
