-- Scratch tables and polarity macros for one coding run (temporary: they vanish with the connection).
-- The macros take every cue pattern as an argument so that callers pass them as named-parameter constants:
-- DuckDB compiles a constant regex once per scan, a regex read from a column once per row (stack-notes: 35x).
-- Long codings must not draw DuckDB's progress bar over the CSV that `analysis code-text` writes to stdout.
set enable_progress_bar = false;
-- Row order is restored by the final ORDER BY; not keeping insertion order lets DuckDB insert in parallel.
set preserve_insertion_order = false;

create or replace temp table coding_raw (
    sentence_index bigint,
    text varchar,
    heading varchar
);

-- One row per (sentence, theme) found. The clauses stay in coding_input: polarity reads them once per
-- (sentence, own clause), not once per theme.
create or replace temp table coding_matches (
    sentence_index bigint,
    theme_order integer,
    theme_id varchar,
    own_index integer,
    matched varchar
);

-- Phrases that only look like cues are blanked; requests ('needs to be timely') become a request marker,
-- negated strengths ('not timely') a concern marker, negated concerns ('without delay') a strength marker.
-- any_mark is the four patterns as one alternation: where it finds nothing, none of the four replacements
-- can change the span, and one match test costs a quarter of the four replacements.
create or replace temp macro coding_mark(
    span, any_mark, ignore_cues, requests, neg_strength, neg_concern, concern_mark, strength_mark, request_mark
) as
case
    when regexp_matches(span, any_mark)
        then regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(span, ignore_cues, ' ', 'g'),
                    requests, request_mark, 'g'
                ),
                neg_strength, concern_mark, 'g'
            ),
            neg_concern, strength_mark, 'g'
        )
    else span
end;

-- A request is a concern; then a decisive improving cue wins; a concern with a change for the better is
-- improving ('reduced but still high'), without one a concern; then strength; a change alone is improving.
create or replace temp macro coding_verdict(
    marked, improving, improved, concern, strength, concern_mark, strength_mark, request_mark
) as
case
    when contains(marked, trim(request_mark)) then 'concern'
    when regexp_matches(marked, improving) then 'improving'
    when contains(marked, trim(concern_mark)) or regexp_matches(marked, concern)
        then (case when regexp_matches(marked, improved) then 'improving' else 'concern' end)
    when contains(marked, trim(strength_mark)) or regexp_matches(marked, strength) then 'strength'
    when regexp_matches(marked, improved) then 'improving'
    else 'neutral'
end;
