-- The paragraph passages of those texts in reading order: their spans locate a judgement's passage.
with passages as (
    select * from passages
),

documents as (
    select * from documents
),

final as (
    select
        passages.document_id,
        passages.passage_id,
        passages.char_start,
        passages.char_end,
        passages.block_kind
    from passages
    inner join documents on passages.document_id = documents.document_id
    where
        passages.passage_kind = 'paragraph'
        and documents.kind in ('inspection_report', 'monitoring_visit_letter', 'focused_visit_letter')
    order by passages.document_id, passages.seq
)

select * from final
