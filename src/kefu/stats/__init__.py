"""The statistics core: periods, contributions and figures, with no Django and no I/O.

Everything a report shows is a sum of *contributions*: each raw record (a request, a reply,
a call, an agent's state span) adds measures to keys of named roll-up tables. The Django app
``kefu.reports`` stores those sums and keeps them current; this package decides what a record
contributes (:mod:`kefu.stats.requests`, :mod:`kefu.stats.calls`), how instants fall on
local days and 15-minute intervals (:mod:`kefu.stats.periods`) and how figures such as the
processing rate or the service level are computed from the sums (:mod:`kefu.stats.kpi`).
Because it is pure, the known-answer tests for every figure need no database.
"""
