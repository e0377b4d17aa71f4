-- Table macro: the visits of one council (or, when for_la_id_gss is null, of every council) known on an as-of date
-- (the as-of rule of every mart, see int_visits). Called from a mart as asof_visits($la_id_gss, $as_of). Parameter
-- names differ from every column name because inside a macro a column of the same name would win over the parameter.
create or replace macro asof_visits(for_la_id_gss, for_as_of) as table
    with final as (
        select * from int_visits
        where
            (for_la_id_gss is null or la_id_gss = cast(for_la_id_gss as varchar))
            and visible_from <= cast(for_as_of as date)
    )

    select * from final  -- noqa: AM04
