-- The codebook's themes in the order the codebook lists them, for the codebook sheet and REFI-QDA codes.
select
    theme_id,
    label,
    definition,
    framework_area,
    parent_theme_id,
    is_core
from themes
order by rowid
