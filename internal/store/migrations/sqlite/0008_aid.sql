-- Paired assistance (对口援助, issue 8 part 1): pairings of aiding and aided
-- units with what the aided side shares, the log of visits, meetings and
-- trainings with their follow-up items, and the aid-fund ledger with its
-- attachments. Dates are ISO text (YYYY-MM-DD) in the legal time zone,
-- compared as text; instants are unix milliseconds; money is integer fen
-- (分), never a floating-point number.

-- One row per pairing agreement. The share flags are what the aided side
-- agreed to show the aiding side; share_aggregates is mirrored into
-- stats_shares (aided → aiding) in the transaction that sets it, so the
-- comparison page honours the agreement. contacts is a JSON array of
-- {name, unit, phone}.
CREATE TABLE aid_pairings (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    start_on         TEXT NOT NULL,
    end_on           TEXT NOT NULL,
    agreement        TEXT NOT NULL,
    contacts         TEXT NOT NULL,
    share_aggregates BOOLEAN NOT NULL,
    share_reviews    BOOLEAN NOT NULL,
    share_problems   BOOLEAN NOT NULL,
    share_qa         BOOLEAN NOT NULL,
    created_by       BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- The units of a pairing and their side ('aiding' or 'aided'). A unit is
-- on one side of a pairing at most (the primary key).
CREATE TABLE aid_pairing_units (
    pairing_id BIGINT NOT NULL REFERENCES aid_pairings(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    side       TEXT NOT NULL,
    PRIMARY KEY (pairing_id, unit_id)
);
-- "Which pairings is my unit in": the read scope of every list.
CREATE INDEX aid_pairing_units_unit ON aid_pairing_units (unit_id);

-- Visits, meetings, trainings and liaison (走访/会议/培训/联络).
CREATE TABLE aid_activities (
    id           INTEGER PRIMARY KEY,
    pairing_id   BIGINT NOT NULL REFERENCES aid_pairings(id),
    kind         TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL,
    participants TEXT NOT NULL,
    agreed       TEXT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX aid_activities_pairing ON aid_activities (pairing_id, held_on);

-- Follow-up items of an activity (落实事项): owner, due date, open/done.
CREATE TABLE aid_followups (
    id          INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES aid_activities(id),
    pairing_id  BIGINT NOT NULL REFERENCES aid_pairings(id),
    item        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL,
    done_on     TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL
);
CREATE INDEX aid_followups_activity ON aid_followups (activity_id, id);

-- Uploaded evidence of a fund entry, kept in the database (not on one
-- server's disk) so every instance serves it. content_type is what the
-- content was sniffed as, never what the client claimed.
CREATE TABLE aid_attachments (
    id           INTEGER PRIMARY KEY,
    pairing_id   BIGINT NOT NULL REFERENCES aid_pairings(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);

-- The aid-fund ledger (援助资金台账): allocations (拨付) and expenditures
-- (支出) in fen. Entries are never changed; a correction is a new entry.
CREATE TABLE aid_ledger (
    id            INTEGER PRIMARY KEY,
    pairing_id    BIGINT NOT NULL REFERENCES aid_pairings(id),
    kind          TEXT NOT NULL,
    entry_on      TEXT NOT NULL,
    amount_fen    BIGINT NOT NULL CHECK (amount_fen > 0),
    purpose       TEXT NOT NULL,
    attachment_id BIGINT REFERENCES aid_attachments(id),
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX aid_ledger_pairing ON aid_ledger (pairing_id, entry_on, id);
