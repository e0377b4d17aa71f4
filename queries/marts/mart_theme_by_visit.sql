-- The theme measure per visit and theme of one council known on $as_of (asof_theme_readings): counts per polarity,
-- the concern share among the theme's evaluative sentences with its Wilson 90% interval, whether the visit named the
-- theme in its improvement points, and the reading (named_for_improvement, mostly_concerns, mixed,
-- mostly_strengths, not_enough_evidence: defined in queries/macros/asof_theme_readings.sql).
-- Parameters: $la_id_gss, $as_of (only evidence with visible_from on or before it).
-- evidence_basis: 'sentences' when the visit has coded Ofsted text visible on $as_of; otherwise 'analyst_findings'
-- (the visit is known without its text, so analysts' findings are counted, one per finding row). Both kinds are
-- never mixed within a visit.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

readings as (
    select * from asof_theme_readings($la_id_gss, $as_of)
),

final as (
    select
        readings.la_id_gss,
        readings.visit_id,
        readings.visit_date,
        readings.visit_type,
        visits.framework,
        visits.title as visit_title,
        readings.theme_id,
        readings.theme_label,
        readings.n_strength,
        readings.n_improving,
        readings.n_concern,
        readings.n_neutral,
        readings.n_coded,
        readings.n_evaluative,
        readings.n_concern_or_improving,
        readings.concern_share,
        readings.concern_share_low,
        readings.concern_share_high,
        readings.n_recommendations,
        readings.is_named_for_improvement,
        readings.reading,
        readings.reading_rank,
        readings.is_raised,
        readings.evidence_basis
    from readings
    inner join visits on readings.visit_id = visits.visit_id
    order by readings.visit_date, readings.visit_id, readings.theme_id
)

select * from final
