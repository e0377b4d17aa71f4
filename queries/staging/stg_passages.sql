-- Paragraphs and sentences of every document.
with passages as (
    select * from passages
),

final as (
    select
        passage_id,
        document_id,
        passage_kind,
        paragraph_id,
        seq,
        page,
        heading,
        text
    from passages
)

select * from final
