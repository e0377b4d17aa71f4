-- `analysis info --checks`: how the judgements read from the reports compare with Ofsted's outcome files.
with reconciliation as (
    select * from int_report_reconciliation
),

final as (
    select
        status,
        coalesce(official_source_kind, '-') as official_source_kind,
        count(*) as n_judgements,
        count(distinct document_id) as n_reports
    from reconciliation
    group by status, official_source_kind
    order by status, official_source_kind
)

select * from final
