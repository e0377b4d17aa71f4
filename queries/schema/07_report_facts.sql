-- What the inspection reports say of themselves, read from their text (analysis.ingest.reportfacts): the visit's
-- type and dates, its inspectors and its judgements. Reconciled with Ofsted's outcome files in the views.
create table report_facts (
    document_id varchar primary key,
    la_id_gss varchar,
    framework varchar,
    visit_type varchar,
    inspection_start date,
    inspection_end date,
    published_date date,
    lead_inspector varchar,
    inspectors varchar,
    parser_version varchar not null,
    note varchar
);

create table report_judgements (
    document_id varchar not null,
    judgement_area varchar not null,
    grade varchar,
    grade_text varchar,
    passage_id varchar,
    primary key (document_id, judgement_area)
);
