-- Documents without their full text (passages carry the text), for joins.
with documents as (
    select * from documents
),

final as (
    select
        document_id,
        source_id,
        la_id_gss,
        visit_id,
        kind as document_kind,
        title as document_title,
        published_date as document_published_date,
        media_type,
        n_pages
    from documents
)

select * from final
