-- Table macro: per visit and theme of one council (every council when for_la_id_gss is null) known on an as-of
-- date, the counted evidence per polarity (asof_evidence.is_counted: a visit's coded sentences, else its analysts'
-- findings), the documents it comes from, and evidence_basis: 'sentences' or 'analyst_findings'.
-- Called as asof_theme_counts($la_id_gss, $as_of); asof_theme_readings turns the counts into the theme measure.
create or replace macro asof_theme_counts(for_la_id_gss, for_as_of) as table
    with used as (
        select * from asof_evidence(for_la_id_gss, for_as_of)
        where is_counted
    ),

    final as (
        select
            visit_id,
            theme_id,
            any_value(la_id_gss) as la_id_gss,
            any_value(theme_label) as theme_label,
            count(*) filter (where polarity = 'strength') as n_strength,
            count(*) filter (where polarity = 'improving') as n_improving,
            count(*) filter (where polarity = 'concern') as n_concern,
            count(*) filter (where polarity = 'neutral') as n_neutral,
            count(*) as n_coded,
            count(distinct document_id) as n_documents,
            case when bool_or(evidence_kind = 'sentence') then 'sentences' else 'analyst_findings' end
                as evidence_basis
        from used
        group by visit_id, theme_id
    )

    select * from final
