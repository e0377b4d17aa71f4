-- The sentences (or analysts' findings) behind a theme, a visit and a polarity, for one council on $as_of.
-- Parameters: $la_id_gss, $as_of, and three filters where NULL means "all": $theme_id, $polarity, $visit_id.
-- url opens the source (a PDF at the sentence's page: #page=N). is_counted says whether the row is counted
-- in mart_theme_by_visit (analysts' findings are counted only for visits with no coded text). confidence is the
-- coder's confidence in the coding (0-1; NULL for findings and rule codings): rows come highest confidence first,
-- then by visit date, visit, theme, document and passage.
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

evidence as (
    select * from asof_evidence($la_id_gss, $as_of)
),

wanted as (
    select * from evidence
    where
        ($theme_id is null or theme_id = $theme_id)
        and ($polarity is null or polarity = $polarity)
        and ($visit_id is null or visit_id = $visit_id)
),

final as (
    select
        wanted.la_id_gss,
        wanted.visit_id,
        wanted.visit_date,
        wanted.visit_type,
        visits.title as visit_title,
        wanted.theme_id,
        wanted.theme_label,
        wanted.polarity,
        wanted.evidence_kind,
        wanted.text,
        wanted.document_id,
        wanted.document_title,
        wanted.page,
        wanted.passage_id,
        wanted.url,
        wanted.source_id,
        wanted.coded_by,
        wanted.confidence,
        wanted.is_inferred,
        wanted.visible_from,
        wanted.is_counted
    from wanted
    inner join visits on wanted.visit_id = visits.visit_id
    order by
        wanted.confidence desc nulls last,
        wanted.visit_date asc, wanted.visit_id asc, wanted.theme_id asc, wanted.document_id asc, wanted.passage_id asc,
        wanted.evidence_id asc
)

select * from final
