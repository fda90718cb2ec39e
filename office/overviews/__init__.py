"""Overview pages that gather several apps: the dashboard (``dashboard``), the programme and
batch overviews with the readiness board (``views``), the participant profile (``profile``),
the recap and readiness workbooks (``recap``, ``exports``) and the report's chart
(``charts``)."""
