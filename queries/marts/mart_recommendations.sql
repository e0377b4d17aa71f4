-- Recommendations of one council's visits known on $as_of, optionally for one theme.
-- Parameters: $la_id_gss, $as_of, $theme_id (NULL means all; a recommendation with several themes appears
-- once per theme, an uncoded one once with theme_id NULL).
with recommendations as (
    select * from int_recommendations
    where la_id_gss = $la_id_gss and visible_from <= cast($as_of as date)
),

final as (
    select
        la_id_gss,
        visit_id,
        visit_date,
        visit_type,
        recommendation_id,
        seq,
        theme_id,
        theme_label,
        text,
        page,
        url,
        document_id,
        passage_id,
        source_id
    from recommendations
    where $theme_id is null or theme_id = $theme_id
    order by visit_date, visit_id, seq, theme_id
)

select * from final
