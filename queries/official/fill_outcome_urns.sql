-- Ofsted's outcome tables name councils by GSS code only: take each council's Ofsted URN from `councils`.
update ofsted_outcomes
set la_urn_ofsted = councils.la_urn_ofsted
from councils
where ofsted_outcomes.la_id_gss = councils.la_id_gss
