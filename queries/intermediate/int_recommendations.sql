-- Recommendations of every visit with their themes, page and link.
with recommendations as (
    select * from stg_recommendations
),

visits as (
    select * from int_visits
),

documents as (
    select * from int_documents
),

passages as (
    select * from stg_passages
),

themes as (
    select * from stg_themes
),

sources as (
    select * from stg_sources
),

final as (
    select
        recommendations.recommendation_id,
        visits.visit_id,
        visits.la_id_gss,
        visits.visit_date,
        visits.visit_type,
        recommendations.seq,
        recommendations.theme_id,
        themes.theme_label,
        recommendations.text,
        recommendations.document_id,
        recommendations.passage_id,
        passages.page,
        recommendations.source_id,
        case
            when documents.url is not null and passages.page is not null and documents.media_type = 'application/pdf'
                then documents.url || '#page=' || passages.page::varchar
            else coalesce(documents.url, sources.url)
        end as url,
        case
            when visits.visible_from is not null
                then greatest(visits.visible_from, documents.visible_from, sources.visible_from)
        end as visible_from
    from recommendations
    left join documents on recommendations.document_id = documents.document_id
    -- the document's own visit, else the one int_documents links it to (a report's visit published near it)
    inner join visits on coalesce(recommendations.visit_id, documents.visit_id) = visits.visit_id
    left join passages on recommendations.passage_id = passages.passage_id
    left join themes on recommendations.theme_id = themes.theme_id
    left join sources on recommendations.source_id = sources.source_id
)

select * from final
