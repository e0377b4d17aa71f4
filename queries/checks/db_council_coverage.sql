-- What the database holds of each council's inspections: visits, Ofsted texts, their coded sentences and the latest
-- visit with text, for `analysis info` (no parameters; every council of councils.csv, those with nothing too).
with councils as (
    select * from stg_councils
),

visits as (
    select * from int_visits
),

documents as (
    select * from int_documents
    where is_inspection_text
),

coded as (
    select
        document_id,
        count(distinct passage_id) as n_coded_sentences
    from codings
    group by document_id
),

per_council_visits as (
    select
        la_id_gss,
        count(*) as n_visits
    from visits
    group by la_id_gss
),

per_council_texts as (
    select
        documents.la_id_gss,
        count(*) as n_documents,
        coalesce(sum(coded.n_coded_sentences), 0) as n_coded_sentences,
        max(visits.visit_date) as latest_visit_with_text
    from documents
    left join coded on documents.document_id = coded.document_id
    left join visits on documents.visit_id = visits.visit_id
    group by documents.la_id_gss
),

final as (
    select
        councils.la_id_gss,
        councils.la_name,
        per_council_texts.latest_visit_with_text,
        coalesce(per_council_visits.n_visits, 0) as n_visits,
        coalesce(per_council_texts.n_documents, 0) as n_documents,
        coalesce(per_council_texts.n_coded_sentences, 0) as n_coded_sentences
    from councils
    left join per_council_visits on councils.la_id_gss = per_council_visits.la_id_gss
    left join per_council_texts on councils.la_id_gss = per_council_texts.la_id_gss
    order by councils.la_name
)

select * from final
