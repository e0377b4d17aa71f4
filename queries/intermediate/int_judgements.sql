-- Judgements of every council's visits, from three origins, one row per visit and judgement area:
--   1. hand-kept judgements (data/seeds/judgements.csv), which win;
--   2. Ofsted's official outcomes, on the official visit or on the hand-kept visit it is paired with
--      (int_visit_matches): areas the hand-kept rows lack are added, never dropped;
--   3. grades read from the visit's own inspection report (report_judgements, through int_documents), for areas
--      neither of the others has (e.g. SIF reports, which the official series does not cover).
-- Where two origins grade the same area differently, the winner is kept and int_visit_corrections lists both.
-- A judgement is visible from the later of its visit's and its own source's publication.
with visits as (
    select * from int_visits
),

sources as (
    select * from stg_sources
),

candidates as (
    select * from int_judgement_candidates
    where rank_in_area = 1
),

final as (
    select
        candidates.visit_id,
        visits.la_id_gss,
        candidates.judgement_area,
        candidates.grade,
        candidates.grade_rank,
        candidates.is_overall,
        candidates.note,
        candidates.source_id,
        candidates.origin,
        case
            when visits.visible_from is not null then greatest(visits.visible_from, sources.visible_from)
        end as visible_from
    from candidates
    inner join visits on candidates.visit_id = visits.visit_id
    left join sources on candidates.source_id = sources.source_id
)

select * from final
