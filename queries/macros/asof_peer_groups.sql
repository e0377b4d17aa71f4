-- Table macro: the councils a council is compared with on an as-of date, one row per comparison group and member.
-- Called by the peers marts as asof_peer_groups($la_id_gss, $as_of). group_id:
--   council     the council itself;
--   neighbours  its ten statistical neighbours of DfE's 2025 model (stat_neighbours, model '2025');
--   region      the other councils of its region (councils.region_id_gss);
--   same_grade  the other councils whose latest graded inspection has the same grade as the council's latest
--               (asof_visit_grades; adequate and requires improvement are kept apart); empty when the council's
--               latest grade is not read or it has no graded inspection.
-- For each member: its latest graded inspection (latest_grade: 'not_recorded' when the grade was not read) and its
-- latest graded inspection with coded Ofsted text (text_visit_*, with the number of its documents and the first
-- one's title and link); has_text is false when it has none, and the member then adds nothing but its count.
create or replace macro asof_peer_groups(for_la_id_gss, for_as_of) as table
    with councils as (
        select * from stg_councils
    ),

    graded as (
        select * from asof_visit_grades(null, for_as_of)
        where is_graded_type
    ),

    latest_graded as (
        select * from graded
        qualify row_number() over (partition by la_id_gss order by visit_date desc, visit_id desc) = 1
    ),

    latest_text as (
        select * from graded
        where has_text
        qualify row_number() over (partition by la_id_gss order by visit_date desc, visit_id desc) = 1
    ),

    first_documents as (
        select
            visit_id,
            arg_min(document_title, document_id) as document_title,
            arg_min(url, document_id) as document_url
        from int_documents
        where is_inspection_text and visible_from <= cast(for_as_of as date)
        group by visit_id
    ),

    subject_council as (
        select
            la_id_gss,
            region_id_gss
        from councils
        where la_id_gss = cast(for_la_id_gss as varchar)
    ),

    subject as (
        select
            subject_council.la_id_gss,
            subject_council.region_id_gss,
            latest_graded.grade as latest_grade
        from subject_council
        left join latest_graded on subject_council.la_id_gss = latest_graded.la_id_gss
    ),

    members as (
        select
            'council' as group_id,
            la_id_gss,
            cast(null as integer) as neighbour_rank
        from subject
        union all
        select
            'neighbours' as group_id,
            stat_neighbours.neighbour_la_id_gss as la_id_gss,
            stat_neighbours.neighbour_rank
        from stat_neighbours
        where stat_neighbours.la_id_gss = cast(for_la_id_gss as varchar) and stat_neighbours.model = '2025'
        union all
        select
            'region' as group_id,
            councils.la_id_gss,
            cast(null as integer) as neighbour_rank
        from councils
        inner join subject on councils.region_id_gss = subject.region_id_gss
        where councils.la_id_gss <> subject.la_id_gss
        union all
        select
            'same_grade' as group_id,
            latest_graded.la_id_gss,
            cast(null as integer) as neighbour_rank
        from latest_graded
        inner join subject on latest_graded.grade = subject.latest_grade
        where latest_graded.la_id_gss <> subject.la_id_gss and subject.latest_grade <> 'not_recorded'
    ),

    final as (
        select
            members.group_id,
            members.la_id_gss,
            councils.la_name,
            councils.region_name,
            members.neighbour_rank,
            latest_graded.visit_id as latest_grade_visit_id,
            latest_graded.visit_date as latest_grade_date,
            latest_graded.grade as latest_grade,
            latest_text.visit_id as text_visit_id,
            latest_text.visit_date as text_visit_date,
            latest_text.visit_type as text_visit_type,
            latest_text.grade as text_visit_grade,
            first_documents.document_title as text_document_title,
            first_documents.document_url as text_document_url,
            coalesce(latest_text.n_text_documents, 0) as n_text_documents,
            latest_text.visit_id is not null as has_text
        from members
        left join councils on members.la_id_gss = councils.la_id_gss
        left join latest_graded on members.la_id_gss = latest_graded.la_id_gss
        left join latest_text on members.la_id_gss = latest_text.la_id_gss
        left join first_documents on latest_text.visit_id = first_documents.visit_id
    )

    select * from final
