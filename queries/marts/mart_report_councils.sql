-- The councils `analysis report --las all` renders: every council with at least one visit in int_visits (a
-- council with none has nothing to report and would only fail its parameter check), in GSS code order.
with visited as (
    select distinct la_id_gss from int_visits
),

final as (
    select stg_councils.la_id_gss
    from stg_councils
    inner join visited on stg_councils.la_id_gss = visited.la_id_gss
    order by stg_councils.la_id_gss
)

select * from final
