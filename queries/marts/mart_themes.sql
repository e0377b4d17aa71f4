-- The codebook's themes with how often one council's visits known on $as_of raised each, to pick a theme from.
-- Parameters: $la_id_gss, $as_of. Every theme is listed, mentioned or not.
with evidence as (
    select * from asof_evidence($la_id_gss, $as_of)
),

counts as (
    select
        theme_id,
        count(distinct visit_id) as n_visits_mentioned,
        count(*) filter (where polarity = 'strength') as n_strength,
        count(*) filter (where polarity = 'improving') as n_improving,
        count(*) filter (where polarity = 'concern') as n_concern
    from evidence
    group by theme_id
),

final as (
    select
        themes.theme_id,
        themes.theme_label,
        themes.theme_definition,
        themes.framework_area,
        themes.is_core,
        coalesce(counts.n_visits_mentioned, 0) as n_visits_mentioned,
        coalesce(counts.n_strength, 0) as n_strength,
        coalesce(counts.n_improving, 0) as n_improving,
        coalesce(counts.n_concern, 0) as n_concern
    from stg_themes as themes
    left join counts on themes.theme_id = counts.theme_id
    order by themes.theme_id
)

select * from final
