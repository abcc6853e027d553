-- Statutory clocks (issue 3). A case's clocks are derived by the deadline
-- engine from its events and replaced in the transaction that records an
-- event, so the board reads them without running the engine. Nobody edits
-- a clock by hand; a calendar import or a change of warning settings
-- recomputes every open clock. The case facts the board filters on and
-- shows (unit, category, sealing, handler, department, name, stage number,
-- status) are copied in — every write that changes them replaces or
-- updates the case's clocks in the same transaction — so the board is one
-- index range over this table plus the names of handler and department.
--
-- Dates are ISO strings (YYYY-MM-DD), compared as text. yellow_on and
-- orange_on are the first days of each warning colour (due minus the
-- category's thresholds), so the colour of a clock on any day is a range
-- test: red if due_on < today, orange if orange_on <= today, yellow if
-- yellow_on <= today. state is as of computed_at; an open clock past its
-- due date is "overdue" by that range test, whatever state says.
CREATE TABLE case_clocks (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    category        TEXT NOT NULL,
    sealed          BOOLEAN NOT NULL,
    handler_id      BIGINT,
    department_id   BIGINT,
    case_name       TEXT NOT NULL,
    stage_no        TEXT NOT NULL,
    status          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    state           TEXT NOT NULL,
    open            BOOLEAN NOT NULL,
    watched         BOOLEAN NOT NULL,
    start_on        TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    yellow_on       TEXT NOT NULL,
    orange_on       TEXT NOT NULL,
    ended_on        TEXT NOT NULL,
    late_days       INTEGER NOT NULL,
    basis           TEXT NOT NULL,
    in_custody      BOOLEAN NOT NULL,
    beyond_calendar BOOLEAN NOT NULL,
    computed_at     BIGINT NOT NULL,
    UNIQUE (case_id, kind, seq)
);
-- watched = open, running (not suspended) and not a waiting period: the
-- clocks that have a colour. The board walks them in due order per unit,
-- or across units for an upper-level scope. The partial indexes repeat the
-- queries' own predicate (watched = TRUE): SQLite uses a partial index only
-- when the query states its condition in the same form.
-- One index serves a unit's board (walked in due order, stopping after a
-- page) and its colour counts (it covers every column they test, so a
-- count never reads the rows).
CREATE INDEX case_clocks_board ON case_clocks(unit_id, due_on, id, orange_on, yellow_on, sealed, handler_id)
    WHERE watched = TRUE;
CREATE INDEX case_clocks_due ON case_clocks(due_on, id) WHERE watched = TRUE;
CREATE INDEX case_clocks_handler ON case_clocks(handler_id, due_on, id) WHERE watched = TRUE;

-- Working-day calendar years (法定节假日与调休) as imported by an
-- administrator every November; 2024–2026 are inserted from the embedded
-- defaults when the table is empty. data is the year file (JSON) as the
-- deadline package reads it.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    data        TEXT NOT NULL,
    imported_by BIGINT,
    imported_at BIGINT NOT NULL
);

-- Jobs run by whichever instance claims them first (monitoring scan,
-- escalation, clock refresh). A claim is one conditional UPDATE, so two
-- instances never run the same job at once; a crashed holder's lease runs
-- out.
CREATE TABLE jobs (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    last_run_at BIGINT NOT NULL,
    last_result TEXT NOT NULL
);
