-- Durable intake (issue 7). A case is received without a handler, and its
-- clocks and card copy that empty handler, yet every intake still wrote an
-- entry into three handler indexes, one page each per commit: a tenth of
-- the pages an intake commits on SQLite. Every query these indexes serve
-- looks for one handler (handler_id = …), which implies the handler is
-- set, so on both engines the planner still picks them when they hold
-- only assigned rows; the query-plan test checks it.
DROP INDEX cases_handler;
CREATE INDEX cases_handler ON cases(handler_id, status) WHERE handler_id IS NOT NULL;
DROP INDEX case_clocks_handler;
CREATE INDEX case_clocks_handler ON case_clocks(handler_id, due_on, id) WHERE watched = TRUE AND handler_id IS NOT NULL;
DROP INDEX case_cards_handler;
CREATE INDEX case_cards_handler ON case_cards(handler_id, id) WHERE handler_id IS NOT NULL;
