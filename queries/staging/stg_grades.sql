-- Ofsted's grades and their rank on one ordinal scale (1 outstanding .. 4 inadequate; adequate = 3).
with grades as (
    select * from grades
),

final as (
    select
        grade,
        label as grade_label,
        grade_rank
    from grades
)

select * from final
