-- An analyst corrects the polarity of a theme on a sentence; the words that matched are kept. The coder's
-- confidence no longer applies to an analyst's decision.
update codings
set polarity = $polarity, method = 'override', confidence = null
where passage_id = $passage_id and theme_id = $theme_id
