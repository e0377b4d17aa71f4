-- Table macro: the improvement journeys in the corpus known on an as-of date: councils judged inadequate at a graded
-- inspection whose next graded inspection gave a better grade (requires improvement, adequate, good or outstanding),
-- and, for each theme the inadequate inspection raised, when it stopped being raised.
-- Called by mart_improvement_journeys and mart_journey_themes as asof_improvement_journeys($as_of).
-- One row per journey and theme raised at the inadequate inspection ("from"; raised = reading named_for_improvement
-- or mostly_concerns, asof_theme_readings). The journey needs coded Ofsted text at "from"; the visits after it, up
-- to and including the next graded inspection ("to"), count through their readings (text, else analysts' findings).
--   stopped_visit_*   the first of those visits at which the theme read mixed or mostly_strengths: no longer raised
--   months_to_stop    whole months from the "from" visit to it; stop_order ranks the journey's themes by it (1 first)
--   status            'stopped'; 'still_raised' (raised at "to", or at the last visit after "from" that read it
--                     confidently: it never read mixed or better); 'not_read_since' (mentioned too little or not
--                     at all after "from", so when it stopped cannot be said)
--   is_raised_again   raised again at a later visit up to "to", after it had stopped
--   from_evidence_* / stopped_evidence_*   one sentence (or finding: *_kind) behind each reading, with its
--                     document (id and title), page and link: at "from" a concern (else an improving one), at the
--                     stop a strength (else a neutral or improving one); the coder's highest confidence first, then
--                     reading order.
create or replace macro asof_improvement_journeys(for_as_of) as table
    with grades as (
        select * from asof_visit_grades(null, for_as_of)
    ),

    readings as (
        select * from asof_theme_readings(null, for_as_of)
    ),

    evidence as (
        select * from asof_evidence(null, for_as_of)
        where is_counted
    ),

    inspections as (
        select
            *,
            lead(visit_id) over (partition by la_id_gss order by visit_date, visit_id) as next_visit_id
        from grades
        where is_graded_type
    ),

    journeys as (
        select
            inspections.la_id_gss,
            inspections.visit_id as from_visit_id,
            inspections.visit_date as from_visit_date,
            inspections.visit_type as from_visit_type,
            inspections.grade as from_grade,
            next_inspection.visit_id as to_visit_id,
            next_inspection.visit_date as to_visit_date,
            next_inspection.visit_type as to_visit_type,
            next_inspection.grade as to_grade,
            inspections.visit_id || '>' || next_inspection.visit_id as journey_id,
            datediff('month', inspections.visit_date, next_inspection.visit_date) as months_to_next_grade
        from inspections
        inner join inspections as next_inspection on inspections.next_visit_id = next_inspection.visit_id
        where
            inspections.grade = 'inadequate'
            and inspections.has_text
            and next_inspection.grade_rank < 4
    ),

    raised_at_start as (
        select
            journeys.*,
            readings.theme_id,
            readings.theme_label,
            readings.reading as from_reading,
            readings.n_concern_or_improving as from_n_concern_or_improving,
            readings.n_evaluative as from_n_evaluative
        from journeys
        inner join readings on journeys.from_visit_id = readings.visit_id
        where readings.is_raised
    ),

    later as (
        select
            raised_at_start.journey_id,
            raised_at_start.theme_id,
            readings.visit_id,
            readings.visit_date,
            readings.visit_type,
            readings.reading,
            readings.is_raised,
            readings.n_concern_or_improving,
            readings.n_evaluative
        from raised_at_start
        inner join readings
            on
                raised_at_start.la_id_gss = readings.la_id_gss
                and raised_at_start.theme_id = readings.theme_id
                and (
                    raised_at_start.from_visit_date < readings.visit_date
                    or (
                        raised_at_start.from_visit_date = readings.visit_date
                        and raised_at_start.from_visit_id < readings.visit_id
                    )
                )
                and (
                    raised_at_start.to_visit_date > readings.visit_date
                    or raised_at_start.to_visit_id = readings.visit_id
                )
    ),

    stops as (
        select
            journey_id,
            theme_id,
            arg_min(visit_id, visit_date) as stopped_visit_id,
            min(visit_date) as stopped_visit_date,
            arg_min(visit_type, visit_date) as stopped_visit_type,
            arg_min(reading, visit_date) as stopped_reading,
            arg_min(n_concern_or_improving, visit_date) as stopped_n_concern_or_improving,
            arg_min(n_evaluative, visit_date) as stopped_n_evaluative
        from later
        where reading in ('mixed', 'mostly_strengths')
        group by journey_id, theme_id
    ),

    at_end as (
        select
            journey_id,
            theme_id,
            -- with no stop, every confident reading after "from" raised it, so the last one (at "to" or before) did
            bool_or(is_raised) as is_raised_since
        from later
        group by journey_id, theme_id
    ),

    raised_again as (
        select
            later.journey_id,
            later.theme_id,
            bool_or(later.is_raised) as is_raised_again
        from later
        inner join stops
            on later.journey_id = stops.journey_id and later.theme_id = stops.theme_id
        where later.visit_date > stops.stopped_visit_date
        group by later.journey_id, later.theme_id
    ),

    quoted_visits as (
        -- only the visits whose sentences are quoted: ranking every council's evidence would be most of the cost
        select from_visit_id as visit_id from journeys
        union
        select stopped_visit_id as visit_id from stops
    ),

    ranked_evidence as (
        select
            visit_id,
            theme_id,
            text,
            evidence_kind,
            document_id,
            document_title,
            page,
            url,
            -- what made a theme raised: a concern, else an improving sentence; what said it no longer was: a
            -- strength, else a neutral, else an improving one (arg_min below skips the NULL ranks)
            case polarity when 'concern' then 1 when 'improving' then 2 end as concern_rank,
            case polarity when 'strength' then 1 when 'neutral' then 2 when 'improving' then 3 end as better_rank,
            row_number() over (
                partition by visit_id, theme_id, polarity
                order by confidence desc nulls last, document_id asc, passage_id asc, evidence_id asc
            ) as rank_in_polarity
        from evidence
        where visit_id in (select quoted_visits.visit_id from quoted_visits)
    ),

    quotes as (
        select
            visit_id,
            theme_id,
            arg_min(text, concern_rank) as concern_text,
            arg_min(evidence_kind, concern_rank) as concern_kind,
            arg_min(document_id, concern_rank) as concern_document_id,
            arg_min(document_title, concern_rank) as concern_document,
            arg_min(page, concern_rank) as concern_page,
            arg_min(url, concern_rank) as concern_url,
            arg_min(text, better_rank) as better_text,
            arg_min(evidence_kind, better_rank) as better_kind,
            arg_min(document_id, better_rank) as better_document_id,
            arg_min(document_title, better_rank) as better_document,
            arg_min(page, better_rank) as better_page,
            arg_min(url, better_rank) as better_url
        from ranked_evidence
        where rank_in_polarity = 1
        group by visit_id, theme_id
    ),

    joined as (
        select
            raised_at_start.*,
            stops.stopped_visit_id,
            stops.stopped_visit_date,
            stops.stopped_visit_type,
            stops.stopped_reading,
            stops.stopped_n_concern_or_improving,
            stops.stopped_n_evaluative,
            from_quotes.concern_text as from_evidence_text,
            from_quotes.concern_kind as from_evidence_kind,
            from_quotes.concern_document_id as from_evidence_document_id,
            from_quotes.concern_document as from_evidence_document,
            from_quotes.concern_page as from_evidence_page,
            from_quotes.concern_url as from_evidence_url,
            stop_quotes.better_text as stopped_evidence_text,
            stop_quotes.better_kind as stopped_evidence_kind,
            stop_quotes.better_document_id as stopped_evidence_document_id,
            stop_quotes.better_document as stopped_evidence_document,
            stop_quotes.better_page as stopped_evidence_page,
            stop_quotes.better_url as stopped_evidence_url,
            datediff('month', raised_at_start.from_visit_date, stops.stopped_visit_date) as months_to_stop,
            coalesce(raised_again.is_raised_again, false) as is_raised_again,
            case
                when stops.stopped_visit_id is not null then 'stopped'
                when at_end.is_raised_since then 'still_raised'
                else 'not_read_since'
            end as status
        from raised_at_start
        left join stops
            on raised_at_start.journey_id = stops.journey_id and raised_at_start.theme_id = stops.theme_id
        left join at_end
            on raised_at_start.journey_id = at_end.journey_id and raised_at_start.theme_id = at_end.theme_id
        left join raised_again
            on raised_at_start.journey_id = raised_again.journey_id and raised_at_start.theme_id = raised_again.theme_id
        left join quotes as from_quotes
            on raised_at_start.from_visit_id = from_quotes.visit_id and raised_at_start.theme_id = from_quotes.theme_id
        left join quotes as stop_quotes
            on stops.stopped_visit_id = stop_quotes.visit_id and raised_at_start.theme_id = stop_quotes.theme_id
    ),

    final as (
        select
            joined.la_id_gss,
            stg_councils.la_name,
            joined.journey_id,
            joined.from_visit_id,
            joined.from_visit_date,
            joined.from_visit_type,
            joined.from_grade,
            joined.to_visit_id,
            joined.to_visit_date,
            joined.to_visit_type,
            joined.to_grade,
            joined.months_to_next_grade,
            joined.theme_id,
            joined.theme_label,
            joined.from_reading,
            joined.from_n_concern_or_improving,
            joined.from_n_evaluative,
            joined.status,
            joined.stopped_visit_id,
            joined.stopped_visit_date,
            joined.stopped_visit_type,
            joined.stopped_reading,
            joined.stopped_n_concern_or_improving,
            joined.stopped_n_evaluative,
            joined.months_to_stop,
            joined.is_raised_again,
            joined.from_evidence_text,
            joined.from_evidence_kind,
            joined.from_evidence_document_id,
            joined.from_evidence_document,
            joined.from_evidence_page,
            joined.from_evidence_url,
            joined.stopped_evidence_text,
            joined.stopped_evidence_kind,
            joined.stopped_evidence_document_id,
            joined.stopped_evidence_document,
            joined.stopped_evidence_page,
            joined.stopped_evidence_url,
            case
                when joined.months_to_stop is not null
                    then dense_rank() over (
                        partition by joined.journey_id, joined.months_to_stop is null order by joined.months_to_stop
                    )
            end as stop_order
        from joined
        left join stg_councils on joined.la_id_gss = stg_councils.la_id_gss
    )

    select * from final
