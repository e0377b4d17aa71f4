-- Coded segments: one row per sentence and theme, with the council, visit, document and source it comes from.
with wanted as (
    -- the council asked for; null means every council
    select cast($la_id_gss as varchar) as la_id_gss
),

coded as (
    select * from stg_codings
),

final as (
    select
        documents.la_id_gss,
        documents.visit_id,
        documents.document_id,
        documents.title as document_title,
        cast(documents.published_date as varchar) as published_date,
        passages.page,
        passages.passage_id,
        passages.char_start,
        passages.char_end,
        passages.text as sentence,
        coded.theme_id,
        themes.label as theme_label,
        coded.polarity,
        coded.method,
        coded.codebook_version,
        coded.matched,
        documents.source_id,
        sources.url as source_url,
        coalesce(councils.la_name, documents.la_id_gss) as council
    from coded
    inner join passages on coded.passage_id = passages.passage_id
    inner join documents on coded.document_id = documents.document_id
    left join themes on coded.theme_id = themes.theme_id
    left join councils on documents.la_id_gss = councils.la_id_gss
    left join sources on documents.source_id = sources.source_id
    cross join wanted
    where wanted.la_id_gss is null or documents.la_id_gss = wanted.la_id_gss
)

select * from final
order by la_id_gss, published_date, document_id, char_start, theme_id
