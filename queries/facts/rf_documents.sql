-- The Ofsted texts whose facts stage report_facts reads: inspection reports and visit letters, with their text.
with documents as (
    select * from documents
),

final as (
    select
        document_id,
        la_id_gss,
        kind,
        text
    from documents
    where kind in ('inspection_report', 'monitoring_visit_letter', 'focused_visit_letter')
    order by document_id
)

select * from final
