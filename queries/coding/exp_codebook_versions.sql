-- The codebook version(s) the codings were made with (overrides carry the version they were applied under).
select distinct codebook_version
from codings
order by codebook_version
