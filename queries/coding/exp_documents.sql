-- The full text of every coded document, for the sources of a REFI-QDA project.
with coded_documents as (
    -- the council asked for; null means every council
    select * from coded_documents($la_id_gss)
),

final as (
    select
        coded_documents.document_id,
        coded_documents.la_id_gss,
        coded_documents.visit_id,
        coded_documents.title,
        cast(coded_documents.published_date as varchar) as published_date,
        coded_documents.source_id,
        sources.url as source_url,
        coded_documents.text,
        coalesce(councils.la_name, coded_documents.la_id_gss) as council
    from coded_documents
    left join sources on coded_documents.source_id = sources.source_id
    left join councils on coded_documents.la_id_gss = councils.la_id_gss
    order by coded_documents.la_id_gss, coded_documents.published_date, coded_documents.document_id
)

select * from final
