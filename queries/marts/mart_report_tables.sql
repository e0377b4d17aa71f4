-- The base tables of the database, in name order: the manifest hashes each one's contents. Intermediate
-- relations stored as tables (int_*) are left out: they are computed from the others by the project's SQL,
-- which the manifest's git commit already pins, and hashing them would double the time for no information.
with final as (
    select table_name
    from information_schema.tables
    where
        table_schema = 'main'
        and table_type = 'BASE TABLE'
        and not starts_with(table_name, 'int_')
    order by table_name
)

select * from final
