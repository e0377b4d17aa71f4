-- One council's judgements on which a report's own text and Ofsted's outcome files differ (status disagree) or
-- which only the outcome files give (official_only), known on $as_of: for the report's data notes. Both grades
-- are shown; neither is picked. Parameters: $la_id_gss, $as_of.
with reconciliation as (
    select * from int_report_reconciliation
    where
        la_id_gss = $la_id_gss
        and status in ('disagree', 'official_only')
        and visible_from <= cast($as_of as date)
),

sources as (
    select * from stg_sources
),

final as (
    select
        reconciliation.la_id_gss,
        reconciliation.document_id,
        reconciliation.published_date,
        reconciliation.visit_type,
        reconciliation.judgement_area,
        reconciliation.status,
        reconciliation.report_grade,
        reconciliation.report_grade_text,
        reconciliation.passage_id,
        reconciliation.official_grade,
        reconciliation.official_source_id,
        reconciliation.official_source_kind,
        sources.url,
        official.publisher as official_publisher
    from reconciliation
    left join sources on reconciliation.document_id = sources.source_id
    left join sources as official on reconciliation.official_source_id = official.source_id
    order by reconciliation.published_date, reconciliation.document_id, reconciliation.judgement_area
)

select * from final
