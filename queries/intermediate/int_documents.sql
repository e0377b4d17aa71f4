-- Documents with their source's link, the visit they belong to, and the day they count as published.
-- The visit is the document's own visit_id, else its source's, else (Ofsted texts only) the council's visit
-- published nearest to the document within 45 days, so the report PDFs of any council find their visit.
with documents as (
    select * from stg_documents
),

sources as (
    select * from stg_sources
),

visits as (
    select * from int_visits
),

inspection_kinds as (
    select unnest(['inspection_report', 'monitoring_visit_letter', 'focused_visit_letter']) as kind
),

with_source as (
    select
        documents.*,
        sources.url,
        sources.visible_from as source_visible_from,
        coalesce(documents.la_id_gss, sources.la_id_gss) as council_id,
        coalesce(documents.visit_id, sources.visit_id) as linked_visit_id,
        documents.document_kind in (select inspection_kinds.kind from inspection_kinds) as is_inspection_text
    from documents
    left join sources on documents.source_id = sources.source_id
),

matched as (
    select
        with_source.document_id,
        visits.visit_id
    from with_source
    inner join visits
        on
            with_source.council_id = visits.la_id_gss
            and abs(
                datediff(
                    'day',
                    coalesce(with_source.document_published_date, with_source.source_visible_from),
                    coalesce(visits.published_date, visits.visible_from)
                )
            ) <= 45
    where with_source.linked_visit_id is null and with_source.is_inspection_text
    qualify row_number() over (
        partition by with_source.document_id
        order by
            abs(
                datediff(
                    'day',
                    coalesce(with_source.document_published_date, with_source.source_visible_from),
                    coalesce(visits.published_date, visits.visible_from)
                )
            ),
            visits.visit_id
    ) = 1
),

final as (
    select
        with_source.document_id,
        with_source.source_id,
        with_source.council_id as la_id_gss,
        with_source.document_kind,
        with_source.document_title,
        with_source.document_published_date,
        with_source.media_type,
        with_source.n_pages,
        with_source.url,
        with_source.is_inspection_text,
        coalesce(with_source.linked_visit_id, matched.visit_id) as visit_id,
        coalesce(
            with_source.source_visible_from, with_source.document_published_date, visits.visible_from
        ) as visible_from
    from with_source
    left join matched on with_source.document_id = matched.document_id
    left join visits on coalesce(with_source.linked_visit_id, matched.visit_id) = visits.visit_id
)

select * from final
