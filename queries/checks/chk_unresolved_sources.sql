-- Facts whose source_id is not in the sources registry; the build refuses any.
with facts as (
    select 'councils' as table_name, source_id from councils
    union all select 'stat_neighbours', source_id from stat_neighbours
    union all select 'visits', source_id from visits
    union all select 'judgements', source_id from judgements
    union all select 'events', source_id from events
    union all select 'findings', source_id from findings
    union all select 'council_priorities', source_id from council_priorities
    union all select 'documents', source_id from documents
    union all select 'recommendations', source_id from recommendations
    union all select 'measure_catalogue', source_id from measure_catalogue
    union all select 'measures', source_id from measures
    union all select 'ofsted_outcomes', source_id from ofsted_outcomes
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
