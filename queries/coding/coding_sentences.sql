-- Every sentence passage of every document that is not noise (grade-table cells, labels, inspection metadata:
-- passages.noise_kind), in reading order: the input of the coding stage.
with final as (
    select
        passage_id,
        document_id,
        heading,
        text
    from passages
    where passage_kind = 'sentence' and noise_kind is null
    order by document_id, seq
)

select * from final;
