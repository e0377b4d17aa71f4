-- The codings of one council's sentences with the coder's confidence, for `analysis review`.
with council_documents as (
    select document_id
    from documents
    where la_id_gss = $la_id_gss
),

final as (
    select
        codings.passage_id,
        codings.theme_id,
        codings.polarity,
        codings.method,
        codings.confidence
    from codings
    inner join council_documents on codings.document_id = council_documents.document_id
    order by codings.passage_id, codings.theme_id
)

select * from final
