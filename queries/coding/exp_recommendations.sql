-- Recommendations with their themes, for the recommendations sheet of the XLSX export.
with wanted as (
    -- the council asked for; null means every council
    select cast($la_id_gss as varchar) as la_id_gss
),

themed as (
    select
        recommendation_id,
        string_agg(theme_id, ', ' order by theme_id) as theme_ids
    from recommendation_themes
    group by recommendation_id
),

final as (
    select
        recommendations.recommendation_id,
        documents.la_id_gss,
        recommendations.visit_id,
        recommendations.document_id,
        recommendations.seq,
        recommendations.text,
        themed.theme_ids,
        recommendations.source_id,
        sources.url as source_url,
        cast(documents.published_date as varchar) as published_date
    from recommendations
    inner join documents on recommendations.document_id = documents.document_id
    left join themed on recommendations.recommendation_id = themed.recommendation_id
    left join sources on recommendations.source_id = sources.source_id
    cross join wanted
    where wanted.la_id_gss is null or documents.la_id_gss = wanted.la_id_gss
)

select * from final
order by la_id_gss, published_date, document_id, seq
