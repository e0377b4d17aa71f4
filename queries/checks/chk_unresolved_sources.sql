-- Facts whose source_id is not in the sources registry; the build refuses any.
with facts as (
    select
        'councils' as table_name,
        source_id
    from councils
    union all
    select
        'stat_neighbours' as table_name,
        source_id
    from stat_neighbours
    union all
    select
        'visits' as table_name,
        source_id
    from visits
    union all
    select
        'judgements' as table_name,
        source_id
    from judgements
    union all
    select
        'events' as table_name,
        source_id
    from events
    union all
    select
        'findings' as table_name,
        source_id
    from findings
    union all
    select
        'council_priorities' as table_name,
        source_id
    from council_priorities
    union all
    select
        'documents' as table_name,
        source_id
    from documents
    union all
    select
        'recommendations' as table_name,
        source_id
    from recommendations
    union all
    select
        'measure_catalogue' as table_name,
        source_id
    from measure_catalogue
    union all
    select
        'measures' as table_name,
        source_id
    from measures
    union all
    select
        'ofsted_outcomes' as table_name,
        source_id
    from ofsted_outcomes
),

final as (
    select
        facts.table_name,
        facts.source_id,
        count(*) as n_rows
    from facts
    left join sources on facts.source_id = sources.source_id
    where sources.source_id is null
    group by all
    order by all
)

select * from final
