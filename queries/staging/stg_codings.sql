-- Theme and polarity on passages (rule or override).
with codings as (
    select * from codings
),

final as (
    select
        passage_id,
        document_id,
        theme_id,
        polarity,
        method,
        codebook_version,
        matched,
        confidence
    from codings
)

select * from final
