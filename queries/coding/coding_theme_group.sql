-- The sentences in which at least one theme of a group of themes can match: $pattern is the group's themes
-- joined into ONE constant regex. A regex scan costs about the same for one theme as for several (RE2 reads
-- each sentence once), and a sentence carries only two or three themes, so testing a group first and
-- scanning each of its themes over the group's few sentences halves the number of regex scans.
-- A sentence that one of the themes matches always matches the group's alternation, so nothing is lost.
create or replace temp table coding_group as
with final as (
    select
        sentence_index,
        sentence_text,
        clauses
    from coding_input
    where regexp_matches(sentence_text, $pattern)
)

select * from final;
