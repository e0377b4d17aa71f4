-- Hand-kept judgements with the rank of their grade.
with judgements as (
    select * from judgements
),

grades as (
    select * from grades
),

final as (
    select
        judgements.visit_id,
        judgements.judgement_area,
        judgements.grade,
        grades.grade_rank,
        judgements.is_overall,
        judgements.note,
        judgements.source_id
    from judgements
    left join grades on judgements.grade = grades.grade
)

select * from final
