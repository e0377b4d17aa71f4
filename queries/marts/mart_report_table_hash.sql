-- A hash of one table's contents that ignores row order and the file's bytes: md5 of each row's text, sorted,
-- then md5 of the list. Same rows give the same hash whatever DuckDB's storage layout.
with row_hashes as (
    select md5(cast(r as varchar)) as row_md5
    from query_table($table_name) as r
),

final as (
    select
        count(*) as n_rows,
        md5(coalesce(string_agg(row_md5, ',' order by row_md5), '')) as content_md5
    from row_hashes
)

select * from final
