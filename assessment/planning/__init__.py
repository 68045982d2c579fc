"""Next year from this one (年度目标制定) and issuing its targets (目标下达).

- `rules`: the catalogue's checks as pure functions (points sum to 100, every target
  has a department).
- `rollover`: "set up next year", a draft copied from this year.
- `plan`: the plan page's writes (points, target values, responsible departments).
- `issuing`: publishing the draft, each department's acknowledgement, and the one
  function publishing calls per department (`targets_issued`).
- `letters`: each department's 目标责任书, as a page and a PDF.
"""
