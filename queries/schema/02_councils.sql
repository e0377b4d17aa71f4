-- English councils with children's services responsibilities and their statistical neighbours.
create table councils (
    la_id_gss varchar primary key,
    la_id_dfe integer not null,
    la_urn_ofsted integer,
    la_name varchar not null,
    region_id_gss varchar,
    region_name varchar,
    la_type varchar,
    source_id varchar not null
);

create table stat_neighbours (
    la_id_gss varchar not null,
    model varchar not null,
    neighbour_rank integer not null,
    neighbour_la_id_gss varchar not null,
    closeness varchar,
    source_id varchar not null,
    primary key (la_id_gss, model, neighbour_rank)
);
