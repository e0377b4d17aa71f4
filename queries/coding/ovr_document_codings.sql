-- The codings already on the documents that data/overrides.csv names, with their polarity.
select
    passage_id,
    theme_id,
    polarity
from codings
where list_contains($document_ids, document_id)
