-- Process monitoring (流程监控, R665; issue 3). Findings are problems in
-- cases, found by the daily scan or recorded by a case manager; actions are
-- every step taken on them (the patrol record); notices are the numbered
-- 案件流程监控通知书 with their reply due date. Dates are ISO text
-- (YYYY-MM-DD) in the legal time zone, compared as text; instants are unix
-- milliseconds.

-- dedup_key is the rule's key (rule group, case, clock): unique for ever,
-- so a rerun of the scan never duplicates a finding and a closed finding
-- is not reopened by the same problem. NULL for findings made by hand
-- (NULLs never conflict). department_id and handler_id are those
-- responsible when the problem was found: the ledger's recurring problems
-- count by them. reported/escalated/transferred record which graded
-- responses were taken; step is the most severe so far.
CREATE TABLE monitor_findings (
    id            INTEGER PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    case_id       BIGINT NOT NULL REFERENCES cases(id),
    rule_id       TEXT NOT NULL,
    dedup_key     TEXT UNIQUE,
    area          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    detail_key    TEXT NOT NULL,
    detail_args   TEXT NOT NULL,
    description   TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    handler_id    BIGINT REFERENCES users(id),
    step          TEXT NOT NULL,
    status        TEXT NOT NULL,
    reported      BOOLEAN NOT NULL DEFAULT FALSE,
    escalated     BOOLEAN NOT NULL DEFAULT FALSE,
    transferred   BOOLEAN NOT NULL DEFAULT FALSE,
    detected_on   TEXT NOT NULL,
    closed_on     TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
-- The list (newest first within a unit, by status), the reports (by the
-- day found) and a case's findings.
CREATE INDEX monitor_findings_unit ON monitor_findings(unit_id, id);
CREATE INDEX monitor_findings_status ON monitor_findings(unit_id, status, id);
CREATE INDEX monitor_findings_detected ON monitor_findings(unit_id, detected_on);
CREATE INDEX monitor_findings_case ON monitor_findings(case_id, id);

-- One notice per finding. (unit_id, year, seq) is the gapless document
-- number from number_sequences (scope monitor_notice); number is the
-- formatted text as printed. replied_on is '' until the reply; reply_days
-- is stored with it so averages are plain SQL on both engines.
CREATE TABLE monitor_notices (
    id               INTEGER PRIMARY KEY,
    finding_id       BIGINT NOT NULL UNIQUE REFERENCES monitor_findings(id),
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    year             INTEGER NOT NULL,
    seq              BIGINT NOT NULL,
    number           TEXT NOT NULL,
    department_id    BIGINT NOT NULL REFERENCES departments(id),
    requested_action TEXT NOT NULL,
    issued_on        TEXT NOT NULL,
    reply_due        TEXT NOT NULL,
    reply_basis      TEXT NOT NULL,
    issued_by        BIGINT NOT NULL REFERENCES users(id),
    replied_on       TEXT NOT NULL DEFAULT '',
    reply_text       TEXT NOT NULL DEFAULT '',
    replied_by       BIGINT REFERENCES users(id),
    reply_days       INTEGER,
    created_at       BIGINT NOT NULL,
    UNIQUE (unit_id, year, seq)
);
-- Escalation walks the unanswered notices by due date.
CREATE INDEX monitor_notices_unanswered ON monitor_notices(reply_due) WHERE replied_on = '';
CREATE INDEX monitor_notices_issued ON monitor_notices(unit_id, issued_on);

-- Every step taken on a finding. unit_id repeats the finding's so the
-- patrol log of a unit and day is one index range. actor_id is NULL for
-- the system (scan, escalation).
CREATE TABLE monitor_actions (
    id         INTEGER PRIMARY KEY,
    finding_id BIGINT NOT NULL REFERENCES monitor_findings(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    kind       TEXT NOT NULL,
    step       TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    acted_on   TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX monitor_actions_finding ON monitor_actions(finding_id, id);
CREATE INDEX monitor_actions_day ON monitor_actions(unit_id, acted_on, id);

-- Case managers' notes in the daily patrol log.
CREATE TABLE monitor_patrol_notes (
    id         INTEGER PRIMARY KEY,
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    day        TEXT NOT NULL,
    note       TEXT NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX monitor_patrol_notes_day ON monitor_patrol_notes(unit_id, day, id);

-- Finished scans (all units at once), for the patrol log.
CREATE TABLE monitor_scans (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    cases       INTEGER NOT NULL,
    hits        INTEGER NOT NULL,
    created     INTEGER NOT NULL
);
CREATE INDEX monitor_scans_day ON monitor_scans(day, id);

-- The scan reads the attempts the case service refused (a third return for
-- supplementary investigation), logged as audit entries, per batch of
-- cases: without this index each batch would read the whole log.
CREATE INDEX audit_log_action_object ON audit_log(action, object_id);
