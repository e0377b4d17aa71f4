-- Improvement journeys in the corpus known on $as_of (asof_improvement_journeys, which defines every column):
-- councils judged inadequate whose next graded inspection gave a better grade, one row per journey and theme the
-- inadequate inspection raised, with when the theme stopped being raised and the evidence at both ends.
-- Parameter: $as_of. Ordered by journey, then the themes that stopped first.
with journeys as (
    select * from asof_improvement_journeys($as_of)
),

final as (
    select * from journeys
    order by from_visit_date, la_id_gss, journey_id, months_to_stop nulls last, theme_id
)

select * from final  -- noqa: AM04
