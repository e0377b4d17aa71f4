-- The sentences to code, normalised as engine.normalise does (straight quotes, single spaces), with the
-- clauses that polarity reads: split on contrast markers once per sentence, after 'Although X, Y' is
-- turned into 'Y ; X'. Cue regexes are named-parameter constants.
create or replace temp table coding_input as
with quoted as (
    -- translate and the whitespace regex are identities on most sentences (plain ASCII, single spaces), so
    -- they only run where they can change something: cheaper tests (byte and character counts differ only
    -- with a non-ASCII character; contains) skip most of the normalising cost
    select
        sentence_index,
        heading,
        case
            when strlen(text) != length(text)
                then translate(text, '‘’“”' || chr(160), '''''""' || ' ')
            else text
        end as quoted_text
    from coding_raw
),

normalised as (
    select
        sentence_index,
        trim(
            case
                when
                    contains(quoted_text, '  ') or contains(quoted_text, chr(9)) or contains(quoted_text, chr(10))
                    or contains(quoted_text, chr(11)) or contains(quoted_text, chr(12))
                    or contains(quoted_text, chr(13))
                    then regexp_replace(quoted_text, '[ \t\n\r\f\v]+', ' ', 'g')
                else quoted_text
            end
        ) as sentence_text,
        heading
    from quoted
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
