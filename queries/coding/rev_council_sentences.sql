-- The codable sentences of one council's documents (noise left out, as the build codes them), in reading order,
-- for `analysis review`.
with sentences as (
    select
        passage_id,
        document_id,
        seq,
        page,
        heading,
        text
    from passages
    where passage_kind = 'sentence' and noise_kind is null
),

council_documents as (
    select document_id
    from documents
    where la_id_gss = $la_id_gss
),

final as (
    select
        sentences.passage_id,
        sentences.document_id,
        sentences.page,
        sentences.heading,
        sentences.text
    from sentences
    inner join council_documents on sentences.document_id = council_documents.document_id
    order by sentences.document_id, sentences.seq
)

select * from final
