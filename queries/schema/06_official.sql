-- Official statistics in one long format, their catalogue, and Ofsted's published outcomes for every council.
create table measure_catalogue (
    measure varchar primary key,
    label varchar not null,
    unit varchar not null,
    is_higher_better boolean,
    publication varchar not null,
    source_id varchar not null,
    theme_ids varchar
);

create table measures (
    measure varchar not null,
    la_id_gss varchar not null,
    geographic_level varchar not null,
    period_start date not null,
    period_end date not null,
    value double,
    numerator double,
    denominator double,
    status varchar not null,
    status_code varchar,
    source_id varchar not null,
    primary key (measure, la_id_gss, period_end)
);

create table ofsted_outcomes (
    la_id_gss varchar not null,
    la_urn_ofsted integer,
    inspection_type varchar not null,
    visit_theme varchar,
    inspection_start date,
    inspection_end date,
    published_date date,
    judgement_area varchar,
    grade varchar,
    source_id varchar not null
);

-- The council's own figures (data/local/*.csv): measures the official statistics do not hold.
create table local_measures (
    la_id_gss varchar not null,
    measure varchar not null,
    team varchar,
    period_start date not null,
    period_end date not null,
    value double not null,
    target double,
    source_note varchar not null,
    source_file varchar not null
);
