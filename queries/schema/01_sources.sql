-- The registry of every document and dataset a fact can cite (data/sources/*.csv).
create table sources (
    source_id varchar primary key,
    la_id_gss varchar,
    kind varchar not null,
    title varchar not null,
    publisher varchar not null,
    published_date date,
    published_date_precision varchar,
    url varchar,
    download_url varchar,
    licence varchar not null,
    sha256 varchar,
    local_path varchar,
    cache_path varchar,
    visit_id varchar,
    note varchar
);
