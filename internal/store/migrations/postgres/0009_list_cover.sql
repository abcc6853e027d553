-- Case list at a province's scale (issue 7). An upper supervisor's first
-- page over a hundred units took 1.5–2 s on 300,000 cases: the planner
-- joined every case of the subtree before sorting. The list now takes the
-- page's ids first from this index, which carries the access condition's
-- columns (sealed, handler) so choosing a page never reads a case row, and
-- then reads the page's rows by id. It replaces cases_unit_received, of
-- which it is an extension.
CREATE INDEX cases_unit_list ON cases(unit_id, received_on DESC, id DESC, sealed, handler_id);
DROP INDEX cases_unit_received;
-- Counts by status (the home page's open and pending cases) over a
-- subtree read index entries only when the access condition's columns are
-- in the index too.
CREATE INDEX cases_unit_status_scope ON cases(unit_id, status, sealed, handler_id);
DROP INDEX cases_unit_status;
