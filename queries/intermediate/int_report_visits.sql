-- Visits known only from an Ofsted inspection report in `documents`, for councils without hand-kept visits:
-- reports that no official outcome matches (published within 45 days), e.g. SIF reports from before the
-- official series starts, or reports newer than it. The type is inferred from the publication date
-- (before Nov 2013: pre-SIF; before Apr 2018: SIF; later: ILACS standard), so is_uncertain is true, and the
-- judgements are not known here. visit_id: {la_id_gss}-{YYYY}-{type}{n} (fieldwork month unknown).
with seeded_councils as (
    select distinct la_id_gss from stg_visits
),

official as (
    select * from int_official_visits
),

reports as (
    select
        documents.document_id,
        documents.source_id,
        sources.url,
        coalesce(documents.la_id_gss, sources.la_id_gss) as la_id_gss,
        coalesce(documents.document_published_date, sources.published_date) as published_date
    from stg_documents as documents
    left join stg_sources as sources on documents.source_id = sources.source_id
    where
        documents.document_kind = 'inspection_report'
        and documents.visit_id is null
        and sources.visit_id is null
),

unmatched as (
    select reports.*
    from reports
    where
        reports.la_id_gss is not null
        and reports.published_date is not null
        and reports.la_id_gss not in (select seeded_councils.la_id_gss from seeded_councils)
        and not exists (
            select 1
            from official
            where
                official.la_id_gss = reports.la_id_gss
                and abs(datediff('day', reports.published_date, coalesce(official.published_date, official.visit_date)))
                <= 45
        )
),

typed as (
    select
        *,
        case
            when published_date < date '2013-11-01' then 'pre_sif_inspection'
            when published_date < date '2018-04-01' then 'sif_inspection'
            else 'ilacs_standard'
        end as visit_type
    from unmatched
),

final as (
    select
        document_id,
        source_id,
        url,
        la_id_gss,
        published_date,
        visit_type,
        case visit_type when 'pre_sif_inspection' then 'pre_sif' when 'sif_inspection' then 'sif' else 'ilacs' end
            as framework,
        la_id_gss || '-' || strftime(published_date, '%Y') || '-'
        || case visit_type when 'pre_sif_inspection' then 'presif' when 'sif_inspection' then 'sif' else 'ilacs' end
        || row_number() over (
            partition by la_id_gss, year(published_date), visit_type order by published_date, document_id
        )::varchar as visit_id
    from typed
)

select * from final
