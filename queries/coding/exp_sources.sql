-- The registry rows of the coded documents, for the sources sheet of the XLSX export.
with wanted as (
    -- the council asked for; null means every council
    select cast($la_id_gss as varchar) as la_id_gss
),

coded_documents as (
    select documents.source_id
    from documents
    cross join wanted
    where
        documents.document_id in (select codings.document_id from codings)
        and (wanted.la_id_gss is null or documents.la_id_gss = wanted.la_id_gss)
),

final as (
    select
        sources.source_id,
        sources.title,
        sources.publisher,
        cast(sources.published_date as varchar) as published_date,
        sources.url,
        sources.licence,
        sources.sha256
    from sources
    where sources.source_id in (select coded_documents.source_id from coded_documents)
    order by sources.published_date, sources.source_id
)

select * from final
