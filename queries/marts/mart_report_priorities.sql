-- The council's own stated priorities (e.g. its response to an inspection) visible on $as_of, with the themes
-- each maps to and the source that states it. A priority counts from its source's visible_from (stg_sources);
-- one whose source has no date is not shown.
with priorities as (
    select * from council_priorities
    where la_id_gss = $la_id_gss
),

visible_sources as (
    select * from stg_sources
    where visible_from <= cast($as_of as date)
),

priority_themes as (
    select
        council_priority_themes.priority_id,
        string_agg(
            coalesce(stg_themes.theme_label, council_priority_themes.theme_id), ', '
            order by council_priority_themes.theme_id
        ) as theme_labels,
        string_agg(council_priority_themes.theme_id, ',' order by council_priority_themes.theme_id) as theme_ids
    from council_priority_themes
    left join stg_themes on council_priority_themes.theme_id = stg_themes.theme_id
    group by council_priority_themes.priority_id
),

final as (
    select
        priorities.priority_id,
        priorities.seq,
        priorities.paraphrase,
        priority_themes.theme_labels,
        priority_themes.theme_ids,
        priorities.event_id,
        stg_events.event_date,
        stg_events.title as event_title,
        priorities.source_id,
        visible_sources.title as source_title,
        visible_sources.published_date as source_published_date,
        visible_sources.url
    from priorities
    inner join visible_sources on priorities.source_id = visible_sources.source_id
    left join priority_themes on priorities.priority_id = priority_themes.priority_id
    left join stg_events on priorities.event_id = stg_events.event_id
    order by stg_events.event_date, priorities.event_id, priorities.seq
)

select * from final
