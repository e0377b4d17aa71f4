-- The codebook's themes, for checking the focus_themes parameter and labelling the report's sections.
with final as (
    select
        theme_id,
        label
    from themes
    order by theme_id
)

select * from final
