-- Table macro: how many recommendations (or "what needs to improve" points) of one council, or of every council when
-- for_la_id_gss is null, known on an as-of date are coded to each theme, per visit (uncoded ones are left out).
-- Called as asof_recommendation_counts($la_id_gss, $as_of).
create or replace macro asof_recommendation_counts(for_la_id_gss, for_as_of) as table
    with final as (
        select
            visit_id,
            theme_id,
            count(distinct recommendation_id) as n_recommendations
        from int_recommendations
        where
            (for_la_id_gss is null or la_id_gss = cast(for_la_id_gss as varchar))
            and visible_from <= cast(for_as_of as date)
            and theme_id is not null
        group by visit_id, theme_id
    )

    select * from final
