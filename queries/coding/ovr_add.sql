-- An analyst adds a theme to a sentence; where the coder already coded it, the polarity is replaced and the
-- words that matched are kept. The coder's confidence no longer applies to an analyst's decision.
insert into codings (passage_id, document_id, theme_id, polarity, method, codebook_version, matched)
values ($passage_id, $document_id, $theme_id, $polarity, 'override', $codebook_version, null)
on conflict (passage_id, theme_id) do update set
    polarity = excluded.polarity,
    method = 'override',
    confidence = null
