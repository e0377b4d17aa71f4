-- English councils with children's services responsibilities.
with councils as (
    select * from councils
),

final as (
    select
        la_id_gss,
        la_id_dfe,
        la_urn_ofsted,
        la_name,
        region_id_gss,
        region_name,
        la_type
    from councils
)

select * from final
