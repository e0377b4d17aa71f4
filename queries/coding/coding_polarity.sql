-- Polarity of every (sentence, theme) match. Under a 'what needs to improve' heading: concern. Otherwise the
-- verdict of the theme's own clause, unless that is strength or neutral and a later clause ('..., but ...')
-- that no other theme of the sentence starts in is a concern; when the own clause is neutral, the later
-- clauses, then the whole sentence.
-- The own clause and the later clauses depend only on (sentence, own clause), so the verdicts are computed
-- once per distinct pair and joined back to the themes: sentences carry two or three themes, mostly in the
-- same clause. Cue regexes are named-parameter constants.
with own_clauses as (
    select distinct
        sentence_index,
        own_index
    from coding_matches
),

last_own as (
    -- a grouped max and a join cost less here than a window over the sentence's own clauses
    select
        sentence_index,
        max(own_index) as last_own_index
    from own_clauses
    group by sentence_index
),

spans as (
    -- own_index NULL (the theme's words straddle a contrast marker) reads the whole sentence; 0 stands for it
    -- in the join key, as list positions start at 1
    select
        own_clauses.sentence_index,
        own_clauses.own_index,
        coalesce(own_clauses.own_index, 0) as own_key,
        own_clauses.own_index = last_own.last_own_index as is_last_own
    from own_clauses
    inner join last_own on own_clauses.sentence_index = last_own.sentence_index
),

span_texts as (
    select
        spans.sentence_index,
        spans.own_key,
        coding_input.is_request,
        spans.is_last_own,
        array_to_string(coding_input.clauses, ' ') as whole_text,
        coalesce(
            coding_input.clauses[spans.own_index], array_to_string(coding_input.clauses, ' ')
        ) as own_clause,
        coalesce(
            array_to_string(
                list_slice(coding_input.clauses, spans.own_index + 1, len(coding_input.clauses)), ' '
            ),
            ''
        ) as tail_clauses
    from spans
    inner join coding_input on spans.sentence_index = coding_input.sentence_index
),

marked as (
    select
        *,
        coding_mark(
            own_clause, $any_mark, $ignore_cues, $requests, $neg_strength, $neg_concern,
            $concern_mark, $strength_mark, $request_mark
        ) as own_marked,
        case
            when trim(tail_clauses) != ''
                then coding_mark(
                    tail_clauses, $any_mark, $ignore_cues, $requests, $neg_strength, $neg_concern,
                    $concern_mark, $strength_mark, $request_mark
                )
        end as tail_marked
    from span_texts
    where not is_request
),

verdicts as (
    select
        *,
        coding_verdict(
            own_marked, $improving, $improved, $concern, $strength,
            $concern_mark, $strength_mark, $request_mark)
            as own_verdict,
        coalesce(
            coding_verdict(
                tail_marked, $improving, $improved, $concern, $strength,
                $concern_mark, $strength_mark, $request_mark
            ),
            'neutral'
        ) as tail_verdict
    from marked
),

span_polarity as (
    select
        sentence_index,
        own_key,
        case
            when
                tail_verdict = 'concern' and own_verdict in ('strength', 'neutral') and is_last_own
                then 'concern'
            when own_verdict != 'neutral' then own_verdict
            when tail_verdict != 'neutral' then tail_verdict
            -- the same text gets the same verdict: one-clause sentences need no second reading
            when own_clause = whole_text then own_verdict
            else coding_verdict(
                coding_mark(
                    whole_text, $any_mark, $ignore_cues, $requests, $neg_strength, $neg_concern,
                    $concern_mark, $strength_mark, $request_mark
                ),
                $improving, $improved, $concern, $strength,
                $concern_mark, $strength_mark, $request_mark
            )
        end as polarity
    from verdicts
    union all
    select
        sentence_index,
        own_key,
        'concern' as polarity
    from span_texts
    where is_request
),

final as (
    select
        coding_matches.sentence_index,
        coding_matches.theme_id,
        coding_matches.matched,
        span_polarity.polarity
    from coding_matches
    inner join span_polarity
        on
            coding_matches.sentence_index = span_polarity.sentence_index
            and coalesce(coding_matches.own_index, 0) = span_polarity.own_key
    order by coding_matches.sentence_index, coding_matches.theme_order
)

select * from final;
