-- The registry rows of the coded documents, for the sources sheet of the XLSX export.
with coded_documents as (
    -- the council asked for; null means every council
    select source_id from coded_documents($la_id_gss)
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
