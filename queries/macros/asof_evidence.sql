-- Table macro: the theme evidence (int_theme_evidence) of one council's visits (every council's when for_la_id_gss
-- is null) known on an as-of date, each row visible by then. is_counted says whether the theme measure counts the
-- row: a visit's coded sentences when it has any visible, else its analysts' findings (one visit never mixes the
-- two). Called as asof_evidence($la_id_gss, $as_of).
create or replace macro asof_evidence(for_la_id_gss, for_as_of) as table
    with visits as (
        select visit_id from asof_visits(for_la_id_gss, for_as_of)
    ),

    evidence as (
        select * from int_theme_evidence
        where
            visible_from <= cast(for_as_of as date)
            and visit_id in (select visits.visit_id from visits)
    ),

    visits_with_text as (
        select distinct visit_id from evidence
        where evidence_kind = 'sentence'
    ),

    final as (
        select
            *,
            evidence_kind = 'sentence'
            or visit_id not in (select visits_with_text.visit_id from visits_with_text) as is_counted
        from evidence
    )

    select * from final  -- noqa: AM04
