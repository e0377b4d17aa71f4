-- Each comparison group's theme readings beside the council's, on $as_of: one row per group and theme.
-- Parameters: $la_id_gss, $as_of. Groups and members as in mart_peer_councils; a member counts through its latest
-- graded inspection with coded Ofsted text (the theme measure of asof_theme_readings at that visit).
-- Per group: n_councils (members), n_councils_with_text, n_documents (their inspections' coded documents).
-- Per theme: n_councils_mentioning and how many of them read named_for_improvement, mostly_concerns, mixed,
-- mostly_strengths or not_enough_evidence (n_councils_raised = named + mostly concerns); the pooled counts of their
-- evaluative sentences and of those that find the theme not yet good, with the pooled concern share and its Wilson
-- 90% interval (a long report weighs more than a short one: the council counts say how many councils agree).
-- For the 'council' group the one member's reading is in `reading` (NULL for the groups).
with groups as (
    select * from asof_peer_groups($la_id_gss, $as_of)
),

readings as (
    select * from asof_theme_readings(null, $as_of)
),

group_sizes as (
    select
        group_id,
        count(*) as n_councils,
        count(*) filter (where has_text) as n_councils_with_text,
        sum(n_text_documents) as n_documents
    from groups
    group by group_id
),

member_readings as (
    select
        groups.group_id,
        groups.la_id_gss,
        readings.theme_id,
        readings.theme_label,
        readings.reading,
        readings.is_raised,
        readings.n_evaluative,
        readings.n_concern_or_improving
    from groups
    inner join readings on groups.text_visit_id = readings.visit_id
),

pooled as (
    select
        group_id,
        theme_id,
        any_value(theme_label) as theme_label,
        count(*) as n_councils_mentioning,
        count(*) filter (where is_raised) as n_councils_raised,
        count(*) filter (where reading = 'named_for_improvement') as n_councils_named,
        count(*) filter (where reading = 'mostly_concerns') as n_councils_mostly_concerns,
        count(*) filter (where reading = 'mixed') as n_councils_mixed,
        count(*) filter (where reading = 'mostly_strengths') as n_councils_mostly_strengths,
        count(*) filter (where reading = 'not_enough_evidence') as n_councils_not_enough_evidence,
        sum(n_evaluative) as n_evaluative,
        sum(n_concern_or_improving) as n_concern_or_improving,
        case when count(*) = 1 then any_value(reading) end as only_reading
    from member_readings
    group by group_id, theme_id
),

final as (
    select
        pooled.group_id,
        group_sizes.n_councils,
        group_sizes.n_councils_with_text,
        group_sizes.n_documents,
        pooled.theme_id,
        pooled.theme_label,
        pooled.n_councils_mentioning,
        pooled.n_councils_raised,
        pooled.n_councils_named,
        pooled.n_councils_mostly_concerns,
        pooled.n_councils_mixed,
        pooled.n_councils_mostly_strengths,
        pooled.n_councils_not_enough_evidence,
        pooled.n_evaluative,
        pooled.n_concern_or_improving,
        pooled.n_concern_or_improving::double / nullif(pooled.n_evaluative, 0) as concern_share,
        wilson_interval(pooled.n_concern_or_improving::double, pooled.n_evaluative::double, 1.6448536269514722).low
            as concern_share_low,
        wilson_interval(pooled.n_concern_or_improving::double, pooled.n_evaluative::double, 1.6448536269514722).high
            as concern_share_high,
        case when pooled.group_id = 'council' then pooled.only_reading end as reading
    from pooled
    inner join group_sizes on pooled.group_id = group_sizes.group_id
    order by
        case pooled.group_id when 'council' then 1 when 'neighbours' then 2 when 'region' then 3 else 4 end,
        pooled.theme_id
)

select * from final
