-- An analyst corrects the polarity of a theme on a sentence; the words that matched are kept.
update codings
set polarity = $polarity, method = 'override'
where passage_id = $passage_id and theme_id = $theme_id
