-- Every document the database holds, with where its file is read from (documents.path: repo-relative for a
-- committed file, cache-relative for a fetched one), so that a cited page can be opened in its PDF.
with final as (
    select
        document_id,
        source_id,
        media_type,
        path
    from documents
    order by document_id
)

select * from final
