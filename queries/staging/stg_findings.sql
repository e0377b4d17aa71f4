-- Analyst-coded findings, for visits known without their full text.
with findings as (
    select * from findings
),

final as (
    select
        finding_id,
        visit_id,
        theme_id,
        polarity,
        paraphrase,
        coder,
        is_inferred,
        source_id
    from findings
)

select * from final
