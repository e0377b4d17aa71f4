-- Where a council's hand-kept visits or judgements and Ofsted's official (or report-read) ones differ or where the
-- official one refined a coarse hand-kept date, with both sources: for the data notes of reports and notebooks.
-- Parameters: $la_id_gss, $as_of (only visits visible on $as_of).
with visits as (
    select * from asof_visits($la_id_gss, $as_of)
),

corrections as (
    select * from int_visit_corrections
),

sources as (
    select * from stg_sources
),

final as (
    select
        corrections.visit_id,
        visits.visit_date,
        corrections.subject,
        corrections.field,
        corrections.kind,
        corrections.seed_value,
        corrections.other_value,
        corrections.seed_source_id,
        seed_sources.title as seed_source_title,
        corrections.other_source_id,
        other_sources.title as other_source_title,
        corrections.other_origin
    from corrections
    inner join visits on corrections.visit_id = visits.visit_id
    left join sources as seed_sources on corrections.seed_source_id = seed_sources.source_id
    left join sources as other_sources on corrections.other_source_id = other_sources.source_id
    order by visits.visit_date, corrections.visit_id, corrections.subject, corrections.field
)

select * from final
