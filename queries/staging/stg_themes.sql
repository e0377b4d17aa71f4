-- The codebook's themes.
with themes as (
    select * from themes
),

final as (
    select
        theme_id,
        label as theme_label,
        definition as theme_definition,
        framework_area,
        parent_theme_id,
        is_core
    from themes
)

select * from final
