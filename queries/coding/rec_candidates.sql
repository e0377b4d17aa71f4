-- Paragraphs under a 'what needs to improve' heading, in every Ofsted report and letter. visit_id is the document's
-- own (NULL for most reports: int_recommendations finds their visit through int_documents, after the build's views).
-- $heading_pattern is recommendations.HEADING_PATTERN: one constant pattern for the whole scan.
with improvement_paragraphs as (
    select
        document_id,
        passage_id,
        seq,
        heading,
        block_kind,
        text
    from passages
    where
        passage_kind = 'paragraph'
        and regexp_matches(heading, $heading_pattern)
),

visit_documents as (
    select
        document_id,
        visit_id,
        source_id
    from documents
    where kind in ('inspection_report', 'monitoring_visit_letter', 'focused_visit_letter')
),

final as (
    select
        visit_documents.visit_id,
        visit_documents.source_id,
        improvement_paragraphs.document_id,
        improvement_paragraphs.passage_id,
        improvement_paragraphs.seq,
        improvement_paragraphs.heading,
        improvement_paragraphs.block_kind,
        improvement_paragraphs.text
    from improvement_paragraphs
    inner join visit_documents on improvement_paragraphs.document_id = visit_documents.document_id
)

select * from final
order by document_id, seq
