-- Which polarity cues each span (a theme's own clause, or the rest of its sentence) holds, for the model's
-- polarity features: RE2 scans the long cue alternations many times faster than Python's re. The spans come
-- from a registered frame `coding_spans`; cue regexes are named-parameter constants.
with spans as (
    select
        span_index,
        span
    from coding_spans
),

final as (
    select
        span_index,
        regexp_matches(span, $strength) as has_strength,
        regexp_matches(span, $concern) as has_concern,
        regexp_matches(span, $improving) as has_improving,
        regexp_matches(span, $improved) as has_improved,
        regexp_matches(span, $requests) as has_requests,
        regexp_matches(span, $neg_strength) as has_neg_strength,
        regexp_matches(span, $neg_concern) as has_neg_concern
    from spans
    order by span_index
)

select * from final
