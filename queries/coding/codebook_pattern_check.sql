-- Compiles one codebook pattern with DuckDB's RE2: Python's `re` accepting a pattern does not mean RE2 does.
select regexp_matches('', $pattern) as matches_empty
