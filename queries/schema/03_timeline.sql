-- Visits, judgements and events: the hand-compiled, sourced timeline (data/seeds/).
create table grades (
    grade varchar primary key,
    label varchar not null,
    grade_rank integer not null
);

create table visits (
    visit_id varchar primary key,
    la_id_gss varchar not null,
    visit_type varchar not null,
    framework varchar not null,
    title varchar not null,
    focus varchar,
    fieldwork_start date,
    fieldwork_end date,
    fieldwork_precision varchar,
    published_date date,
    published_precision varchar,
    inspectors varchar,
    lead_inspector varchar,
    is_uncertain boolean not null,
    note varchar,
    source_id varchar not null
);

create table judgements (
    visit_id varchar not null,
    judgement_area varchar not null,
    grade varchar not null,
    is_overall boolean not null,
    note varchar,
    source_id varchar not null,
    primary key (visit_id, judgement_area)
);

create table events (
    event_id varchar primary key,
    la_id_gss varchar not null,
    event_type varchar not null,
    event_date date,
    event_precision varchar,
    title varchar not null,
    note varchar,
    source_id varchar not null,
    is_uncertain boolean not null
);

create table findings (
    finding_id varchar primary key,
    visit_id varchar not null,
    theme_id varchar,
    polarity varchar not null,
    paraphrase varchar not null,
    coder varchar not null,
    is_inferred boolean not null,
    source_id varchar not null,
    note varchar
);

create table council_priorities (
    priority_id varchar primary key,
    la_id_gss varchar not null,
    event_id varchar,
    seq integer not null,
    paraphrase varchar not null,
    source_id varchar not null,
    is_uncertain boolean not null,
    note varchar
);

create table council_priority_themes (
    priority_id varchar not null,
    theme_id varchar not null,
    primary key (priority_id, theme_id)
);
