-- Table macro: per visit and theme of one council known on an as-of date, the counted evidence per polarity and
-- the net balance = (n_strength - n_concern) / n_units_in_visit, where n_units_in_visit is the number of
-- distinct sentences (or findings) coded with any theme in that visit, so a long report and a short letter
-- compare. evidence_basis: 'sentences' or 'analyst_findings' (see asof_evidence.is_counted).
-- Called as asof_theme_counts($la_id_gss, $as_of); every visit with counted evidence has at least one row.
create or replace macro asof_theme_counts(for_la_id_gss, for_as_of) as table
    with used as (
        select * from asof_evidence(for_la_id_gss, for_as_of)
        where is_counted
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
            any_value(theme_label) as theme_label,
            count(*) filter (where polarity = 'strength') as n_strength,
            count(*) filter (where polarity = 'improving') as n_improving,
            count(*) filter (where polarity = 'concern') as n_concern,
            count(*) filter (where polarity = 'neutral') as n_neutral,
            count(*) as n_coded
        from used
        group by visit_id, theme_id
    ),

    final as (
        select
            counts.visit_id,
            counts.theme_id,
            counts.theme_label,
            counts.n_strength,
            counts.n_improving,
            counts.n_concern,
            counts.n_neutral,
            counts.n_coded,
            units.n_units_in_visit,
            units.evidence_basis,
            (counts.n_strength - counts.n_concern)::double / units.n_units_in_visit as net_balance
        from counts
        inner join units on counts.visit_id = units.visit_id
    )

    select * from final
