-- Indicators and analysis (统计分析, issue 6). stats_daily is a cache: the
-- sum of every base measure per unit and legal day (ISO text), keyed by
-- measure id or "events:category:code". It is derived data, rebuilt or
-- brought up to date by the refresh job and checked against the records by
-- Verify; nobody edits it by hand. Days with a zero count have no row.
CREATE TABLE stats_daily (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    day     TEXT NOT NULL,
    measure TEXT NOT NULL,
    value   BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day, measure)
);

-- The days each record (a case with its events, or a case card) placed in
-- the cache at the last refresh, comma-separated: when the record changes,
-- both its old and its new days are recomputed, so a corrected date never
-- leaves a stale count behind.
CREATE TABLE stats_marks (
    src     TEXT NOT NULL,
    rec_id  BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    days    TEXT NOT NULL,
    PRIMARY KEY (src, rec_id)
);

-- The refresh watermark (one row): the highest ids seen and the instant of
-- the last refresh. Changes are found by id (new rows, whatever their
-- timestamps, as the seed writes history) and by time since the last
-- refresh less a safety margin (rows committed late).
CREATE TABLE stats_state (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    event_id        BIGINT NOT NULL,
    card_id         BIGINT NOT NULL,
    problem_id      BIGINT NOT NULL,
    refreshed_at    BIGINT NOT NULL
);

-- Which units a unit shares its aggregates (never its case lists) with:
-- pairing agreements (结对援助) and peer benchmarking are chosen, not
-- imposed.
CREATE TABLE stats_shares (
    owner_unit_id   BIGINT NOT NULL REFERENCES units(id),
    viewer_unit_id  BIGINT NOT NULL REFERENCES units(id),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_unit_id, viewer_unit_id)
);
CREATE INDEX stats_shares_viewer ON stats_shares (viewer_unit_id);

-- Change detection of the refresh.
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX case_events_created ON case_events (created_at);
CREATE INDEX case_cards_updated ON case_cards (updated_at);
