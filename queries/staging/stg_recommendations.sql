-- Recommendations of each visit, one row per recommendation and theme (theme NULL when uncoded).
with recommendations as (
    select * from recommendations
),

recommendation_themes as (
    select * from recommendation_themes
),

final as (
    select
        recommendations.recommendation_id,
        recommendations.visit_id,
        recommendations.document_id,
        recommendations.passage_id,
        recommendations.seq,
        recommendations.text,
        recommendations.source_id,
        recommendation_themes.theme_id
    from recommendations
    left join recommendation_themes
        on recommendations.recommendation_id = recommendation_themes.recommendation_id
)

select * from final
