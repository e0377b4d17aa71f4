-- The councils one council is compared with on $as_of (asof_peer_groups), one row per comparison group and member:
-- the council itself, its ten 2025 statistical neighbours, the rest of its region and the councils whose latest
-- graded inspection has its grade. Each member's latest graded inspection with coded Ofsted text is the visit its
-- theme readings come from (text_visit_id, its documents and a link); has_text false: none is in the database.
-- Parameters: $la_id_gss, $as_of.
with groups as (
    select * from asof_peer_groups($la_id_gss, $as_of)
),

final as (
    select * from groups
    order by
        case group_id when 'council' then 1 when 'neighbours' then 2 when 'region' then 3 else 4 end,
        neighbour_rank nulls last,
        la_name,
        la_id_gss
)

select * from final  -- noqa: AM04
