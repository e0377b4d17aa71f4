-- The codebook's themes, the codes on every sentence, and the recommendations of each visit.
create table themes (
    theme_id varchar primary key,
    label varchar not null,
    definition varchar not null,
    framework_area varchar,
    parent_theme_id varchar,
    is_core boolean not null
);

create table codings (
    passage_id varchar not null,
    document_id varchar not null,
    theme_id varchar not null,
    polarity varchar not null,
    method varchar not null,
    codebook_version varchar not null,
    matched varchar,
    confidence double,
    model_version varchar,
    primary key (passage_id, theme_id)
);

create table recommendations (
    recommendation_id varchar primary key,
    visit_id varchar,
    document_id varchar,
    passage_id varchar,
    seq integer not null,
    text varchar not null,
    source_id varchar not null
);

create table recommendation_themes (
    recommendation_id varchar not null,
    theme_id varchar not null,
    primary key (recommendation_id, theme_id)
);
