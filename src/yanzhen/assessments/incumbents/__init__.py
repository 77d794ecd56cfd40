"""Incumbents (在职村干部, issue 5 §6): the county's monthly scoring items, the monthly scores (月考评), the yearly
双述双评 and the adjustment proposals (调整建议) the county's rules make from the monthly grades.

The models stay in `assessments.models` (app label `assessments`); this package holds the rest, in the app's
usual file set: `services` (writes), `rules` (grades, the county's rules, proposals and their decision),
`selectors` (reads), `views` and `settings_views` (pages), `exports` (xlsx), `importer` (the Excel round trip
of a month of scores) and `api` (/api/v1/incumbents).
"""
