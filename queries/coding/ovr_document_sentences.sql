-- The sentences of the documents that data/overrides.csv names, for matching overrides by text.
select
    passage_id,
    document_id,
    text
from passages
where
    passage_kind = 'sentence'
    and list_contains($document_ids, document_id)
order by document_id, seq
