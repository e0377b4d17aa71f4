-- Row counts of the main tables, for `analysis info`.
select
    'councils' as table_name,
    count(*) as n_rows
from councils
union all
select
    'visits' as table_name,
    count(*) as n_rows
from visits
union all
select
    'judgements' as table_name,
    count(*) as n_rows
from judgements
union all
select
    'events' as table_name,
    count(*) as n_rows
from events
union all
select
    'sources' as table_name,
    count(*) as n_rows
from sources
union all
select
    'documents' as table_name,
    count(*) as n_rows
from documents
union all
select
    'passages (sentences)' as table_name,
    count(*) as n_rows
from passages
where passage_kind = 'sentence'
union all
select
    'codings' as table_name,
    count(*) as n_rows
from codings
union all
select
    'findings' as table_name,
    count(*) as n_rows
from findings
union all
select
    'recommendations' as table_name,
    count(*) as n_rows
from recommendations
union all
select
    'measures' as table_name,
    count(*) as n_rows
from measures
union all
select
    'local_measures' as table_name,
    count(*) as n_rows
from local_measures
union all
select
    'ofsted_outcomes' as table_name,
    count(*) as n_rows
from ofsted_outcomes
