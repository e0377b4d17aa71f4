-- Row counts of the main tables, for `analysis info`.
select 'councils' as table_name, count(*) as n_rows from councils
union all select 'visits', count(*) from visits
union all select 'judgements', count(*) from judgements
union all select 'events', count(*) from events
union all select 'sources', count(*) from sources
union all select 'documents', count(*) from documents
union all select 'passages (sentences)', count(*) from passages where passage_kind = 'sentence'
union all select 'codings', count(*) from codings
union all select 'findings', count(*) from findings
union all select 'recommendations', count(*) from recommendations
union all select 'measures', count(*) from measures
union all select 'local_measures', count(*) from local_measures
union all select 'ofsted_outcomes', count(*) from ofsted_outcomes
