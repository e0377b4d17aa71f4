-- Table macro: the theme measure, one row per visit and theme of one council (every council when for_la_id_gss is
-- null) known on an as-of date: every theme with counted evidence at the visit or named in its improvement points.
-- Called as asof_theme_readings($la_id_gss, $as_of); the theme marts and the peers marts all read it.
--
--   n_evaluative            n_strength + n_improving + n_concern: the sentences (or findings) that judge the theme;
--                           neutral mentions describe without judging, so they are not in the denominator
--   n_concern_or_improving  the evaluative ones that find it not yet good: concerns, and 'improving' ones, which the
--                           coding manual defines as "getting better but not yet good" ("caseloads are beginning to
--                           reduce but remain high")
--   concern_share           n_concern_or_improving / n_evaluative (NULL when nothing judges the theme), with its
--                           Wilson 90% interval concern_share_low .. concern_share_high (wilson_interval)
--   is_named_for_improvement  a recommendation or "what needs to improve" point of the visit is coded to the theme
--   reading, in this order:
--     named_for_improvement  named in the improvement points: a concern at that visit whatever the counts say
--     not_enough_evidence    fewer than 3 evaluative sentences (3 of 3 is the fewest whose two-sided 90% interval,
--                            0.53 to 1, lies wholly above one half)
--     mostly_concerns        90% sure (one-sided) that more than half of the theme's judging sentences find it not
--                            yet good: the lower Wilson bound at z = 1.2816 is above one half (5 concerns of 6 reads
--                            mostly concerns: 0.57; 2 of 3 does not: 0.32)
--     mostly_strengths       90% sure (one-sided) that fewer than half do: the upper bound at z = 1.2816 below one half
--     mixed                  neither
--   reading_rank            3 concern (named or mostly concerns), 2 mixed, 1 mostly strengths, NULL not enough
--   is_raised               reading is named_for_improvement or mostly_concerns
create or replace macro asof_theme_readings(for_la_id_gss, for_as_of) as table
    with visits as (
        select * from asof_visits(for_la_id_gss, for_as_of)
    ),

    counts as (
        select * from asof_theme_counts(for_la_id_gss, for_as_of)
    ),

    recommendations as (
        select * from asof_recommendation_counts(for_la_id_gss, for_as_of)
    ),

    visit_basis as (
        select distinct
            visit_id,
            evidence_basis
        from counts
    ),

    themes as (
        select * from stg_themes
    ),

    joined as (
        select
            counts.theme_label,
            counts.evidence_basis,
            coalesce(counts.visit_id, recommendations.visit_id) as visit_id,
            coalesce(counts.theme_id, recommendations.theme_id) as theme_id,
            coalesce(counts.n_strength, 0) as n_strength,
            coalesce(counts.n_improving, 0) as n_improving,
            coalesce(counts.n_concern, 0) as n_concern,
            coalesce(counts.n_neutral, 0) as n_neutral,
            coalesce(counts.n_coded, 0) as n_coded,
            coalesce(counts.n_documents, 0) as n_documents,
            coalesce(recommendations.n_recommendations, 0) as n_recommendations
        from counts
        full outer join recommendations
            on counts.visit_id = recommendations.visit_id and counts.theme_id = recommendations.theme_id
    ),

    measured as (
        select
            joined.visit_id,
            joined.theme_id,
            joined.n_strength,
            joined.n_improving,
            joined.n_concern,
            joined.n_neutral,
            joined.n_coded,
            joined.n_documents,
            joined.n_recommendations,
            visits.la_id_gss,
            visits.visit_date,
            visits.visit_type,
            coalesce(joined.theme_label, themes.theme_label, joined.theme_id) as theme_label,
            -- a theme named in the improvement points with no coded sentence: its visit's basis (recommendations
            -- come from the visit's own text)
            coalesce(joined.evidence_basis, visit_basis.evidence_basis, 'sentences') as evidence_basis,
            joined.n_strength + joined.n_improving + joined.n_concern as n_evaluative,
            joined.n_concern + joined.n_improving as n_concern_or_improving,
            joined.n_recommendations > 0 as is_named_for_improvement
        from joined
        inner join visits on joined.visit_id = visits.visit_id
        left join visit_basis on joined.visit_id = visit_basis.visit_id
        left join themes on joined.theme_id = themes.theme_id
    ),

    shares as (
        select
            *,
            n_concern_or_improving::double / nullif(n_evaluative, 0) as concern_share,
            wilson_interval(n_concern_or_improving::double, n_evaluative::double, 1.6448536269514722).low
                as concern_share_low,
            wilson_interval(n_concern_or_improving::double, n_evaluative::double, 1.6448536269514722).high
                as concern_share_high,
            -- the reading asks one question of one side of one half: 90% sure that more (or fewer) than half judge it
            -- not yet good, which is the bound of the two-sided 80% interval
            wilson_interval(n_concern_or_improving::double, n_evaluative::double, 1.2815515655446004).low
                as one_sided_low,
            wilson_interval(n_concern_or_improving::double, n_evaluative::double, 1.2815515655446004).high
                as one_sided_high
        from measured
    ),

    classified as (
        select
            *,
            case
                when is_named_for_improvement then 'named_for_improvement'
                when n_evaluative < 3 then 'not_enough_evidence'
                when one_sided_low > 0.5 then 'mostly_concerns'
                when one_sided_high < 0.5 then 'mostly_strengths'
                else 'mixed'
            end as reading
        from shares
    ),

    final as (
        select
            la_id_gss,
            visit_id,
            visit_date,
            visit_type,
            theme_id,
            theme_label,
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
            n_documents,
            evidence_basis,
            case reading
                when 'named_for_improvement' then 3
                when 'mostly_concerns' then 3
                when 'mixed' then 2
                when 'mostly_strengths' then 1
            end as reading_rank,
            reading in ('named_for_improvement', 'mostly_concerns') as is_raised
        from classified
    )

    select * from final
