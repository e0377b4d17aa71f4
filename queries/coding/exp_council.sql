-- One council by GSS code, to check an export's --la.
select
    la_id_gss,
    la_name
from councils
where la_id_gss = $la_id_gss
