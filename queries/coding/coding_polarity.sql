-- Polarity of every (sentence, theme) match. Under a 'what needs to improve' heading: concern. Otherwise the
-- verdict of the theme's own clause, unless that is strength or neutral and a later clause ('..., but ...')
-- that no other theme of the sentence starts in is a concern; when the own clause is neutral, the later
-- clauses, then the whole sentence.
-- Cue regexes are named-parameter constants; marked clauses are columns so each is computed once.
with marked as (
    select
        *,
        coding_mark(
            own_clause, $ignore_cues, $requests, $neg_strength, $neg_concern,
            $concern_mark, $strength_mark, $request_mark
        ) as own_marked,
        case
            when trim(tail_clauses) != ''
                then coding_mark(
                    tail_clauses, $ignore_cues, $requests, $neg_strength, $neg_concern,
                    $concern_mark, $strength_mark, $request_mark
                )
        end as tail_marked
    from coding_matches
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
        ) as tail_verdict,
        max(own_index) over (partition by sentence_index) as last_own_index
    from marked
),

final as (
    select
        sentence_index,
        theme_id,
        matched,
        case
            when is_request then 'concern'
            when
                tail_verdict = 'concern' and own_verdict in ('strength', 'neutral') and own_index = last_own_index
                then 'concern'
            when own_verdict != 'neutral' then own_verdict
            when tail_verdict != 'neutral' then tail_verdict
            else coding_verdict(
                coding_mark(
                    whole_text, $ignore_cues, $requests, $neg_strength, $neg_concern,
                    $concern_mark, $strength_mark, $request_mark
                ),
                $improving, $improved, $concern, $strength,
                $concern_mark, $strength_mark, $request_mark
            )
        end as polarity
    from verdicts
    order by sentence_index, theme_order
)

select * from final;
