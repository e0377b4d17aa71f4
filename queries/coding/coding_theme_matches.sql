-- Find one theme in the sentences of its group (coding_theme_group.sql). $pattern is ONE constant regex for
-- the whole scan (the fast path); the engine runs this file once per theme. The match test sits in the WHERE
-- clause so that the scan drops the sentences without the theme before anything else is computed for them.
-- For each hit it keeps the words found and the clause where the theme first matched (NULL when its words
-- straddle a contrast marker), which is what polarity reads.
insert into coding_matches
with hits as (
    select
        sentence_index,
        clauses,
        regexp_extract_all(sentence_text, $pattern) as words
    from coding_group
    where regexp_matches(sentence_text, $pattern)
),

final as (
    select
        sentence_index,
        $theme_position as theme_order,
        $theme as theme_id,
        case
            when len(clauses) = 1 then 1
            else list_position(list_transform(clauses, lambda c: regexp_matches(c, $pattern)), true)
        end as own_index,
        array_to_string(words, '; ') as matched  -- noqa: RF04
    from hits
)

select * from final;
