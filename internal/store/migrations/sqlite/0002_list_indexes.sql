-- Case list at scale (issue 2: list page over 100,000 cases).
-- cases_received lets a multi-unit scope (upper supervisor) walk cases in
-- list order and stop after one page instead of sorting every case;
-- cases_scope makes scope counts covering (unit, sealed, handler) so a
-- count never reads the case rows.
CREATE INDEX cases_received ON cases(received_on DESC, id DESC);
CREATE INDEX cases_scope ON cases(unit_id, sealed, handler_id);
