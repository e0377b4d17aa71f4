-- `analysis info --checks`: every judgement on which a report's text and an official outcome file differ, or
-- which only the official file gives.
with reconciliation as (
    select * from int_report_reconciliation
),

final as (
    select
        document_id,
        judgement_area,
        status,
        report_grade_text,
        report_grade,
        official_grade,
        official_source_id,
        passage_id
    from reconciliation
    where status in ('disagree', 'official_only')
    order by document_id, judgement_area, official_source_id
)

select * from final
