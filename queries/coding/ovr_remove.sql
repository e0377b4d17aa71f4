-- An analyst removes a theme from a sentence.
delete from codings
where passage_id = $passage_id and theme_id = $theme_id
