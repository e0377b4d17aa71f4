-- Visits known from an Ofsted text in `documents` (reports and letters) that no official outcome holds: e.g. SIF
-- reports from before the official series starts (2018), or reports newer than it. Every council; a text linked to a
-- visit (its own or its source's visit_id) or matched to an official visit (same council, published within 45 days)
-- is not a visit of its own. What the text says of itself (report_facts: type, fieldwork dates, lead inspector) is
-- used where it was read; otherwise the type is inferred from the publication date (before Nov 2013: pre-SIF;
-- before Apr 2018: SIF; later: ILACS standard) and is_uncertain is true. A hand-kept visit may still match one of
-- these (int_visit_matches). visit_id: {la_id_gss}-{YYYY}-{MM}-{type} from the fieldwork month read in the text,
-- else {la_id_gss}-{YYYY}-{type}{n} on the publication year.
with official as (
    select * from int_official_visits
),

facts as (
    select * from report_facts
),

texts as (
    select
        documents.document_id,
        documents.source_id,
        documents.document_kind,
        sources.url,
        facts.visit_type as read_visit_type,
        facts.inspection_start,
        facts.inspection_end,
        facts.lead_inspector,
        coalesce(documents.la_id_gss, sources.la_id_gss) as la_id_gss,
        coalesce(documents.document_published_date, sources.published_date, facts.published_date) as published_date
    from stg_documents as documents
    left join stg_sources as sources on documents.source_id = sources.source_id
    left join facts on documents.document_id = facts.document_id
    where
        documents.document_kind in ('inspection_report', 'monitoring_visit_letter', 'focused_visit_letter')
        and documents.visit_id is null
        and sources.visit_id is null
),

unmatched as (
    select texts.*
    from texts
    where
        texts.la_id_gss is not null
        and texts.published_date is not null
        and not exists (
            select 1
            from official
            where
                official.la_id_gss = texts.la_id_gss
                and abs(datediff('day', texts.published_date, coalesce(official.published_date, official.visit_date)))
                <= 45
        )
),

typed as (
    select
        *,
        coalesce(
            read_visit_type,
            case
                when document_kind = 'monitoring_visit_letter' then 'monitoring_visit'
                when document_kind = 'focused_visit_letter' then 'focused_visit'
                when published_date < date '2013-11-01' then 'pre_sif_inspection'
                when published_date < date '2018-04-01' then 'sif_inspection'
                else 'ilacs_standard'
            end
        ) as visit_type,
        read_visit_type is null as is_type_inferred
    from unmatched
),

coded as (
    select
        *,
        case visit_type
            when 'pre_sif_inspection' then 'presif'
            when 'sif_inspection' then 'sif'
            when 'ilacs_standard' then 'ilacs'
            when 'ilacs_short' then 'short'
            when 'focused_visit' then 'fv'
            when 'monitoring_visit' then 'mv'
            else visit_type
        end as type_code,
        case
            when visit_type = 'pre_sif_inspection' then 'pre_sif'
            when visit_type = 'sif_inspection' then 'sif'
            when visit_type in ('monitoring_visit', 'focused_visit') and published_date < date '2018-04-01' then 'sif'
            else 'ilacs'
        end as framework
    from typed
),

numbered as (
    select
        *,
        row_number() over (
            partition by
                la_id_gss,
                coalesce(strftime(inspection_start, '%Y-%m'), strftime(published_date, '%Y')),
                type_code,
                inspection_start is null
            order by published_date, document_id
        ) as n_in_period
    from coded
),

final as (
    select
        document_id,
        source_id,
        url,
        la_id_gss,
        published_date,
        visit_type,
        framework,
        inspection_start,
        inspection_end,
        lead_inspector,
        is_type_inferred,
        coalesce(inspection_start, published_date) as visit_date,
        case
            when inspection_start is not null
                then
                    la_id_gss || '-' || strftime(inspection_start, '%Y-%m') || '-' || type_code
                    || case when n_in_period > 1 then '-' || n_in_period::varchar else '' end
            else la_id_gss || '-' || strftime(published_date, '%Y') || '-' || type_code || n_in_period::varchar
        end as visit_id
    from numbered
)

select * from final
