-- The sentences to code, normalised as engine.normalise does (straight quotes, single spaces), with the
-- clauses that polarity reads: split on contrast markers once per sentence, after 'Although X, Y' is
-- turned into 'Y ; X'. Cue regexes are named-parameter constants.
create or replace temp table coding_input as
with normalised as (
    select
        sentence_index,
        trim(
            regexp_replace(
                translate(text, '‘’“”' || chr(160), '''''""' || ' '),
                '[ \t\n\r\f\v]+', ' ', 'g'
            )
        ) as sentence_text,
        heading
    from coding_raw
),

final as (
    select
        sentence_index,
        sentence_text,
        coalesce(regexp_matches(heading, $request_headings), false) as is_request,
        regexp_split_to_array(
            regexp_replace(sentence_text, $concessive, $concessive_rewrite), $contrast
        ) as clauses
    from normalised
)

select * from final;
