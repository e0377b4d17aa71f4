"""Charts: one accessible theme (theme.py), inspection charts (inspection.py) and measure charts (measures.py).

Importing any chart module registers and enables the theme.
"""

from analysis.charts import theme as theme  # noqa: F401  (registers the Altair theme on import)
