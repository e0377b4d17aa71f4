-- Word search over every sentence of one council's documents and its analysts' findings, known on $as_of.
-- Parameters (NULL means "no filter" for all but $as_of):
--   $la_id_gss   a council's GSS code, or NULL for every council;
--   $as_of       only what was published on or before this date;
--   $pattern     words to find, case-insensitive; a plain substring unless $is_regex is true, then a regular
--                expression (RE2 syntax, case-insensitive);
--   $is_regex    true or false;
--   $theme_id    only sentences coded with this theme;
--   $date_from, $date_to   the evidence date (the visit's date, else the document's publication) in range,
--                both ends included.
with passages as (
    select * from int_search_passages
    where
        visible_from <= cast($as_of as date)
        and ($la_id_gss is null or la_id_gss = $la_id_gss)
),

final as (
    select
        la_id_gss,
        evidence_date,
        visit_id,
        visit_type,
        evidence_kind,
        document_kind,
        document_title,
        page,
        text,
        codes,
        theme_ids,
        url,
        document_id,
        passage_id,
        source_id,
        visible_from
    from passages
    where
        (
            $pattern is null
            or (coalesce($is_regex, false) and regexp_matches(text, $pattern, 'i'))
            or (not coalesce($is_regex, false) and contains(lower(text), lower($pattern)))
        )
        and ($theme_id is null or list_contains(theme_ids, $theme_id))
        and ($date_from is null or evidence_date >= cast($date_from as date))
        and ($date_to is null or evidence_date <= cast($date_to as date))
    -- evidence_id and codes break the ties between one finding's themes, which would otherwise come in any order
    order by evidence_date, document_id, passage_id, evidence_kind, evidence_id, codes
)

select * from final
