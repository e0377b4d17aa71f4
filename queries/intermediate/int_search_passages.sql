-- Every sentence of every document (Ofsted texts, council reports, news) and every analyst finding, with the
-- themes coded on it, for word search. Sentences of documents not linked to a visit are dated by the document.
with passages as (
    select * from stg_passages
    where passage_kind = 'sentence'
),

documents as (
    select * from int_documents
),

visits as (
    select * from int_visits
),

codings as (
    select * from stg_codings
),

findings as (
    select * from int_theme_evidence
    where evidence_kind = 'analyst_finding'
),

themes_per_passage as (
    select
        passage_id,
        list(theme_id order by theme_id) as theme_ids,
        string_agg(theme_id || ':' || polarity, ', ' order by theme_id) as codes
    from codings
    group by passage_id
),

from_passages as (
    select
        passages.passage_id as evidence_id,
        'sentence' as evidence_kind,
        documents.la_id_gss,
        documents.visit_id,
        visits.visit_type,
        passages.text,
        documents.document_id,
        documents.document_title,
        documents.document_kind,
        passages.page,
        passages.passage_id,
        documents.source_id,
        coalesce(themes_per_passage.theme_ids, []::varchar[]) as theme_ids,
        themes_per_passage.codes,
        coalesce(visits.visit_date, documents.document_published_date, documents.visible_from) as evidence_date,
        case
            when documents.url is not null and passages.page is not null and documents.media_type = 'application/pdf'
                then documents.url || '#page=' || passages.page::varchar
            else documents.url
        end as url,
        case
            when documents.visit_id is null then documents.visible_from
            when visits.visible_from is not null then greatest(documents.visible_from, visits.visible_from)
        end as visible_from
    from passages
    inner join documents on passages.document_id = documents.document_id
    left join visits on documents.visit_id = visits.visit_id
    left join themes_per_passage on passages.passage_id = themes_per_passage.passage_id
),

from_findings as (
    select
        evidence_id,
        evidence_kind,
        la_id_gss,
        visit_id,
        visit_type,
        text,
        document_id,
        document_title,
        'analyst_finding' as document_kind,
        page,
        passage_id,
        source_id,
        [theme_id] as theme_ids,
        theme_id || ':' || polarity as codes,
        visit_date as evidence_date,
        url,
        visible_from
    from findings
),

final as (
    select * from from_passages
    union all
    select * from from_findings
)

select * from final
