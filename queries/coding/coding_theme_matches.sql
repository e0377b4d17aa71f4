-- Find one theme in every input sentence. $pattern is ONE constant regex for the whole scan (the fast path);
-- the engine runs this file once per theme. For each hit it keeps the clause where the theme first matched
-- and the clauses after it, which is what polarity reads.
insert into coding_matches
with scanned as (
    select
        sentence_index,
        is_request,
        clauses,
        regexp_extract_all(sentence_text, $pattern) as words
    from coding_input
),

hits as (
    -- one regex pass: the words found double as the match test
    select * from scanned
    where len(words) > 0
),

located as (
    select
        *,
        case
            when len(clauses) = 1 then 1
            else list_position(list_transform(clauses, lambda c: regexp_matches(c, $pattern)), true)
        end as own_index
    from hits
),

final as (
    select
        sentence_index,
        $theme_position as theme_order,
        $theme as theme_id,
        is_request,
        own_index,
        array_to_string(clauses, ' ') as whole_text,
        coalesce(clauses[own_index], array_to_string(clauses, ' ')) as own_clause,
        coalesce(array_to_string(list_slice(clauses, own_index + 1, len(clauses)), ' '), '') as tail_clauses,
        array_to_string(words, '; ') as matched  -- noqa: RF04
    from located
)

select * from final;
