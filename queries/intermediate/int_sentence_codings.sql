-- Every coded passage joined to its text, page, document, visit and theme, with a link that opens the PDF at
-- its page (#page=N). Only passages of documents linked to a visit are here; int_search_passages has all.
with codings as (
    select * from stg_codings
),

passages as (
    select * from stg_passages
),

documents as (
    select * from int_documents
),

visits as (
    select * from int_visits
),

themes as (
    select * from stg_themes
),

final as (
    select
        codings.passage_id,
        codings.document_id,
        documents.la_id_gss,
        documents.visit_id,
        visits.visit_date,
        visits.visit_type,
        codings.theme_id,
        themes.theme_label,
        codings.polarity,
        codings.method,
        codings.matched,
        codings.confidence,
        passages.passage_kind,
        passages.page,
        passages.heading,
        passages.text,
        documents.document_title,
        documents.document_kind,
        documents.is_inspection_text,
        documents.source_id,
        case
            when documents.url is not null and passages.page is not null and documents.media_type = 'application/pdf'
                then documents.url || '#page=' || passages.page::varchar
            else documents.url
        end as url,
        case when visits.visible_from is not null then greatest(documents.visible_from, visits.visible_from) end
            as visible_from
    from codings
    inner join passages on codings.passage_id = passages.passage_id
    inner join documents on codings.document_id = documents.document_id
    inner join visits on documents.visit_id = visits.visit_id
    left join themes on codings.theme_id = themes.theme_id
)

select * from final
