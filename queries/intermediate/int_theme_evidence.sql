-- One row per unit of evidence on a theme: a coded sentence of an Ofsted text, or an analyst's finding.
-- The marts count these per visit and theme; evidence_kind says which kind a row is. confidence is the coder's
-- (0-1, codings.confidence) for a sentence, NULL for a finding or where the coder gives none.
with sentences as (
    select * from int_sentence_codings
    where is_inspection_text
),

findings as (
    select * from stg_findings
    where theme_id is not null
),

visits as (
    select * from int_visits
),

sources as (
    select * from stg_sources
),

themes as (
    select * from stg_themes
),

from_sentences as (
    select
        passage_id || '|' || theme_id as evidence_id,
        'sentence' as evidence_kind,
        la_id_gss,
        visit_id,
        visit_date,
        visit_type,
        theme_id,
        theme_label,
        polarity,
        text,
        document_id,
        document_title,
        page,
        passage_id,
        url,
        source_id,
        method as coded_by,
        confidence,
        false as is_inferred,
        visible_from
    from sentences
),

from_findings as (
    select
        findings.finding_id as evidence_id,
        'analyst_finding' as evidence_kind,
        visits.la_id_gss,
        findings.visit_id,
        visits.visit_date,
        visits.visit_type,
        findings.theme_id,
        themes.theme_label,
        findings.polarity,
        findings.paraphrase as text,  -- noqa: RF04
        null::varchar as document_id,
        sources.title as document_title,
        null::integer as page,
        null::varchar as passage_id,
        sources.url,
        findings.source_id,
        findings.coder as coded_by,
        null::double as confidence,
        findings.is_inferred,
        case when visits.visible_from is not null then greatest(visits.visible_from, sources.visible_from) end
            as visible_from
    from findings
    inner join visits on findings.visit_id = visits.visit_id
    left join sources on findings.source_id = sources.source_id
    left join themes on findings.theme_id = themes.theme_id
),

final as (
    select * from from_sentences
    union all
    select * from from_findings
)

select * from final
