-- Every sentence passage of every document, in reading order: the input of the coding stage.
with final as (
    select
        passage_id,
        document_id,
        heading,
        text
    from passages
    where passage_kind = 'sentence'
    order by document_id, seq
)

select * from final;
