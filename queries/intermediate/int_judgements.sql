-- Judgements of every council's visits: hand-kept where the council has seeds, else Ofsted's official outcomes.
-- A judgement is visible from the later of its visit's and its own source's publication.
with visits as (
    select * from int_visits
),

sources as (
    select * from stg_sources
),

official_visits as (
    select * from int_official_visits
),

from_seeds as (
    select
        judgements.visit_id,
        judgements.judgement_area,
        judgements.grade,
        judgements.grade_rank,
        judgements.is_overall,
        judgements.note,
        judgements.source_id
    from stg_judgements as judgements
),

from_official as (
    select
        official_visits.visit_id,
        outcomes.judgement_area,
        outcomes.grade,
        outcomes.grade_rank,
        coalesce(outcomes.judgement_area = 'overall_effectiveness', false) as is_overall,
        null::varchar as note,
        outcomes.source_id
    from stg_ofsted_outcomes as outcomes
    inner join official_visits
        on
            outcomes.la_id_gss = official_visits.la_id_gss
            and outcomes.visit_type = official_visits.visit_type
            and outcomes.inspection_type = official_visits.inspection_type
            and outcomes.visit_theme is not distinct from official_visits.visit_theme
            and outcomes.inspection_start is not distinct from official_visits.inspection_start
            and outcomes.inspection_end is not distinct from official_visits.inspection_end
            and outcomes.published_date is not distinct from official_visits.published_date
    where outcomes.grade is not null and outcomes.judgement_area is not null
),

combined as (
    select * from from_seeds
    union all
    select * from from_official
),

final as (
    select
        combined.visit_id,
        visits.la_id_gss,
        combined.judgement_area,
        combined.grade,
        combined.grade_rank,
        combined.is_overall,
        combined.note,
        combined.source_id,
        case
            when visits.visible_from is not null then greatest(visits.visible_from, sources.visible_from)
        end as visible_from
    from combined
    inner join visits on combined.visit_id = visits.visit_id
    left join sources on combined.source_id = sources.source_id
)

select * from final
