-- Full texts and their paragraphs and sentences, with character offsets and PDF pages.
create table documents (
    document_id varchar primary key,
    source_id varchar not null,
    la_id_gss varchar,
    visit_id varchar,
    kind varchar not null,
    title varchar not null,
    published_date date,
    path varchar not null,
    media_type varchar not null,
    n_pages integer,
    n_chars integer not null,
    sha256 varchar not null,
    text varchar not null
);

create table passages (
    passage_id varchar primary key,
    document_id varchar not null,
    passage_kind varchar not null,
    paragraph_id varchar,
    seq integer not null,
    page integer,
    char_start integer not null,
    char_end integer not null,
    heading varchar,
    block_kind varchar not null,
    noise_kind varchar,
    text varchar not null
);
