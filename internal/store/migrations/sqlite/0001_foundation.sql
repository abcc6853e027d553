-- Foundation schema (SQLite). Instants are unix milliseconds (UTC); legal
-- calendar dates are TEXT 'YYYY-MM-DD' in Asia/Shanghai. Booleans are
-- declared BOOLEAN so both engines show the same column types; SQLite
-- stores them as 0/1.

-- Units form a tree; path is the materialised chain of ids ("/1/4/9/") so
-- "this unit and everything under it" is one indexed prefix match.
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES units(id),
    level       INTEGER NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    path        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX units_path ON units(path);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    unit_id             BIGINT NOT NULL REFERENCES units(id),
    department_id       BIGINT REFERENCES departments(id),
    password_hash       TEXT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        BIGINT NOT NULL DEFAULT 0,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          BIGINT NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Only a hash of the session token is stored: a copy of the table gives no
-- usable session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    client_addr  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT NOT NULL DEFAULT 0
);

-- Case categories are data so an office can add one without a release.
-- abbrev is the business abbreviation in stage numbers (起诉 in
-- 山东省院起诉受[2016]37000000031号).
CREATE TABLE categories (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    abbrev      TEXT NOT NULL,
    criminal    BOOLEAN NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    unit_id             BIGINT NOT NULL REFERENCES units(id),
    category            TEXT NOT NULL REFERENCES categories(code),
    uniform_no          TEXT UNIQUE,
    stage_no            TEXT UNIQUE,
    name                TEXT NOT NULL,
    transferring_organ  TEXT NOT NULL,
    transfer_doc_no     TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    intake_outcome      TEXT NOT NULL,
    intake_note         TEXT NOT NULL,
    status              TEXT NOT NULL,
    plea                BOOLEAN NOT NULL,
    fast_track          BOOLEAN NOT NULL,
    minor               BOOLEAN NOT NULL,
    sealed              BOOLEAN NOT NULL,
    charges             TEXT NOT NULL,
    department_id       BIGINT REFERENCES departments(id),
    handler_id          BIGINT REFERENCES users(id),
    assigned_at         BIGINT NOT NULL DEFAULT 0,
    decision            TEXT NOT NULL DEFAULT '',
    closed_on           TEXT NOT NULL DEFAULT '',
    returns             INTEGER NOT NULL DEFAULT 0,
    extensions          INTEGER NOT NULL DEFAULT 0,
    search_text         TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          BIGINT NOT NULL REFERENCES users(id),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
-- The case list's default order within a unit, and its common filters.
CREATE INDEX cases_unit_received ON cases(unit_id, received_on DESC, id DESC);
CREATE INDEX cases_handler ON cases(handler_id, status);
CREATE INDEX cases_unit_status ON cases(unit_id, status);

-- Trigram full-text index over case name, numbers and party names.
-- Contentless-delete keeps only the index; triggers keep it in step.
CREATE VIRTUAL TABLE case_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='trigram');
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_text ON cases BEGIN
    DELETE FROM case_fts WHERE rowid = old.id;
    INSERT INTO case_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL,
    ethnicity   TEXT NOT NULL,
    id_type     TEXT NOT NULL,
    id_number   TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    role        TEXT NOT NULL,
    custody     BOOLEAN NOT NULL,
    measure     TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

-- The R157 intake checklist, one row per item.
CREATE TABLE intake_checks (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    item    TEXT NOT NULL,
    passed  BOOLEAN NOT NULL,
    note    TEXT NOT NULL,
    PRIMARY KEY (case_id, item)
);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    code        TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT NOT NULL,
    actor_id    BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Gapless counters for case numbers, per unit, scope and year. A row is
-- bumped inside the transaction that uses the number, so a rollback gives
-- the number back and two writers can never take the same one.
CREATE TABLE number_sequences (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    scope       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_value  BIGINT NOT NULL,
    PRIMARY KEY (unit_id, scope, year)
);

CREATE TABLE assign_pools (
    id              INTEGER PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    department_id   BIGINT NOT NULL REFERENCES departments(id),
    category        TEXT NOT NULL REFERENCES categories(code),
    round           INTEGER NOT NULL DEFAULT 1,
    cursor          INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    UNIQUE (department_id, category)
);

CREATE TABLE pool_members (
    pool_id         BIGINT NOT NULL REFERENCES assign_pools(id),
    user_id         BIGINT NOT NULL REFERENCES users(id),
    position        INTEGER NOT NULL,
    m               INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    absent          BOOLEAN NOT NULL DEFAULT FALSE,
    compensation    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, user_id)
);

CREATE TABLE assignments (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases(id),
    handler_id      BIGINT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL,
    pool_id         BIGINT REFERENCES assign_pools(id),
    round           INTEGER NOT NULL,
    explanation     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    designated_by   TEXT NOT NULL,
    actor_id        BIGINT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX assignments_case ON assignments(case_id, id);

-- Append-only, hash-chained audit log. seq is allocated from audit_head
-- inside the writing transaction so the chain has no gaps; the code has no
-- UPDATE or DELETE path for either table.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    unit_id     BIGINT NOT NULL,
    client_addr TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    result      TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(username, seq);

CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY,
    seq     BIGINT NOT NULL,
    hash    TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

INSERT INTO categories (code, name, abbrev, criminal, sort_order) VALUES
    ('arrest_review', '审查逮捕', '审查逮捕', TRUE, 10),
    ('prosecution_review', '审查起诉', '起诉', TRUE, 20),
    ('civil_supervision', '民事诉讼监督', '民监', FALSE, 30),
    ('admin_supervision', '行政诉讼监督', '行监', FALSE, 40),
    ('pil_admin', '行政公益诉讼', '行公', FALSE, 50),
    ('pil_civil', '民事公益诉讼', '民公', FALSE, 60);

-- Defence in depth: the engine itself refuses to change or remove audit
-- rows. Someone with direct file access can drop these triggers, which is
-- why the hash chain exists and `anguan audit verify` checks it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
