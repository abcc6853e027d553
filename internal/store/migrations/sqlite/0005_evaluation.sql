-- Case quality (案件质量, issue 4): evaluation templates as versioned data,
-- every closed case's self-check and verification (每案必检), evaluation
-- activities with their draws and members, evaluation records with their
-- findings, follow-ups and history. Dates are ISO text (YYYY-MM-DD) in the
-- legal time zone, compared as text; instants are unix milliseconds.

-- One row per template version. data is the template file (JSON) as
-- exported; the other columns repeat what a list shows. A version is never
-- changed: editing inserts the next version, so every record keeps the
-- checklist it was scored against. The triggers make that a property of
-- the database, not only of the code.
CREATE TABLE evaluation_templates (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    categories  TEXT NOT NULL,
    scale_code  TEXT NOT NULL,
    items       INTEGER NOT NULL,
    note        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    UNIQUE (code, version)
);
CREATE TRIGGER evaluation_templates_no_update BEFORE UPDATE ON evaluation_templates BEGIN
    SELECT RAISE(ABORT, 'evaluation template versions are immutable');
END;
CREATE TRIGGER evaluation_templates_no_delete BEFORE DELETE ON evaluation_templates BEGIN
    SELECT RAISE(ABORT, 'evaluation template versions are immutable');
END;

-- The self-check of a closed case (one per case) and its verification.
-- handler_id and department_id are those responsible at closing: who owes
-- the self-check and whose head verifies it. due_on is 10 working days
-- after closed_on on the calendar of the day the task was made; due_steps
-- is the explanation (deadline steps, JSON).
CREATE TABLE evaluation_checks (
    id            INTEGER PRIMARY KEY,
    case_id       BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    category      TEXT NOT NULL,
    handler_id    BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    template_id   BIGINT NOT NULL REFERENCES evaluation_templates(id),
    closed_on     TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    due_basis     TEXT NOT NULL,
    due_steps     TEXT NOT NULL,
    beyond_calendar BOOLEAN NOT NULL DEFAULT FALSE,
    status        TEXT NOT NULL,
    submitted_on  TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    verifier_id   BIGINT REFERENCES users(id),
    verified_on   TEXT NOT NULL DEFAULT '',
    verify_note   TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
-- Lists: a unit's or a handler's, most urgent first; a department's.
CREATE INDEX evaluation_checks_unit ON evaluation_checks(unit_id, status, due_on, id);
CREATE INDEX evaluation_checks_handler ON evaluation_checks(handler_id, status, due_on, id);
CREATE INDEX evaluation_checks_department ON evaluation_checks(department_id, status, due_on, id);

-- Findings of a self-check: source 'self' (the handler) or 'verifier'
-- (added on verification); verdict is the verifier's view of the handler's
-- finding ('' until verified). aspect and title are copied from the
-- template version so statistics need not read it.
CREATE TABLE evaluation_check_items (
    check_id       BIGINT NOT NULL REFERENCES evaluation_checks(id),
    source         TEXT NOT NULL,
    item_code      TEXT NOT NULL,
    option_code    TEXT NOT NULL,
    class          TEXT NOT NULL,
    deduction      INTEGER NOT NULL,
    aspect         TEXT NOT NULL,
    title          TEXT NOT NULL,
    note           TEXT NOT NULL,
    verdict        TEXT NOT NULL DEFAULT '',
    verdict_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (check_id, source, item_code)
);

-- An evaluation activity (评查活动). scope_units and categories are JSON
-- arrays, templates a JSON object category → template version id. The
-- draw columns record how cases were drawn so a draw can be repeated and
-- checked: seed, rate (percent), population size and the SHA-256 of its
-- ids for random sampling; the rules and the number matched for a rule
-- draw.
CREATE TABLE evaluation_activities (
    id                INTEGER PRIMARY KEY,
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    status            TEXT NOT NULL,
    scope_units       TEXT NOT NULL,
    categories        TEXT NOT NULL,
    closed_from       TEXT NOT NULL,
    closed_to         TEXT NOT NULL,
    scale_code        TEXT NOT NULL,
    templates         TEXT NOT NULL,
    leader_id         BIGINT NOT NULL REFERENCES users(id),
    deadline          TEXT NOT NULL,
    response_days     INTEGER NOT NULL,
    allow_aid         BOOLEAN NOT NULL,
    note              TEXT NOT NULL,
    seed              BIGINT NOT NULL DEFAULT 0,
    rate              INTEGER NOT NULL DEFAULT 0,
    population        INTEGER NOT NULL DEFAULT 0,
    population_digest TEXT NOT NULL DEFAULT '',
    drawn             INTEGER NOT NULL DEFAULT 0,
    drawn_on          TEXT NOT NULL DEFAULT '',
    rules             TEXT NOT NULL DEFAULT '',
    matched           INTEGER NOT NULL DEFAULT 0,
    rule_on           TEXT NOT NULL DEFAULT '',
    created_by        BIGINT NOT NULL REFERENCES users(id),
    created_on        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    closed_on         TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX evaluation_activities_unit ON evaluation_activities(unit_id, created_on, id);

-- Evaluators and committee members of an activity (the leader is on the
-- activity row).
CREATE TABLE evaluation_members (
    activity_id BIGINT NOT NULL REFERENCES evaluation_activities(id),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (activity_id, user_id, role)
);
CREATE INDEX evaluation_members_user ON evaluation_members(user_id, activity_id);

-- One case in one activity, through the procedure. unit_id, handler_id and
-- department_id are the case's when drawn: statistics count by them.
CREATE TABLE evaluation_records (
    id                 INTEGER PRIMARY KEY,
    activity_id        BIGINT NOT NULL REFERENCES evaluation_activities(id),
    case_id            BIGINT NOT NULL REFERENCES cases(id),
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    category           TEXT NOT NULL,
    template_id        BIGINT NOT NULL REFERENCES evaluation_templates(id),
    handler_id         BIGINT REFERENCES users(id),
    department_id      BIGINT REFERENCES departments(id),
    selection          TEXT NOT NULL,
    selection_reason   TEXT NOT NULL,
    selected_on        TEXT NOT NULL,
    evaluator_id       BIGINT REFERENCES users(id),
    assigned_on        TEXT NOT NULL DEFAULT '',
    assign_explanation TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    suggested_grade    TEXT NOT NULL DEFAULT '',
    proposed_grade     TEXT NOT NULL DEFAULT '',
    proposed_reasons   TEXT NOT NULL DEFAULT '',
    proposed_on        TEXT NOT NULL DEFAULT '',
    deduction          INTEGER NOT NULL DEFAULT 0,
    response_due       TEXT NOT NULL DEFAULT '',
    response           TEXT NOT NULL DEFAULT '',
    response_reason    TEXT NOT NULL DEFAULT '',
    responded_on       TEXT NOT NULL DEFAULT '',
    decided_by         BIGINT REFERENCES users(id),
    decision_reason    TEXT NOT NULL DEFAULT '',
    decided_on         TEXT NOT NULL DEFAULT '',
    final_grade        TEXT NOT NULL DEFAULT '',
    final_on           TEXT NOT NULL DEFAULT '',
    closed_on          TEXT NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (activity_id, case_id)
);
-- An activity's records; an evaluator's open tasks and loads; a handler's
-- quality record; a case's evaluations; statistics by unit and day final;
-- the lapse of unanswered proposals.
CREATE INDEX evaluation_records_evaluator ON evaluation_records(evaluator_id, status);
CREATE INDEX evaluation_records_handler ON evaluation_records(handler_id, selected_on, id);
CREATE INDEX evaluation_records_case ON evaluation_records(case_id, id);
CREATE INDEX evaluation_records_unit ON evaluation_records(unit_id, final_on);
CREATE INDEX evaluation_records_response ON evaluation_records(response_due) WHERE status = 'proposed';

-- Findings of a record, with the handler's objection and the committee's
-- decision on each.
CREATE TABLE evaluation_record_items (
    record_id     BIGINT NOT NULL REFERENCES evaluation_records(id),
    item_code     TEXT NOT NULL,
    option_code   TEXT NOT NULL,
    class         TEXT NOT NULL,
    deduction     INTEGER NOT NULL,
    aspect        TEXT NOT NULL,
    title         TEXT NOT NULL,
    note          TEXT NOT NULL,
    objected      BOOLEAN NOT NULL DEFAULT FALSE,
    objection     TEXT NOT NULL DEFAULT '',
    overturned    BOOLEAN NOT NULL DEFAULT FALSE,
    decision_note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (record_id, item_code)
);

-- Follow-up on a final grade: correction, feedback session, referral.
CREATE TABLE evaluation_followups (
    id        INTEGER PRIMARY KEY,
    record_id BIGINT NOT NULL REFERENCES evaluation_records(id),
    kind      TEXT NOT NULL,
    note      TEXT NOT NULL,
    actor_id  BIGINT NOT NULL REFERENCES users(id),
    acted_on  TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX evaluation_followups_record ON evaluation_followups(record_id, id);

-- Every step taken on a record: its history. actor_id is NULL for the
-- system (the lapse of an unanswered proposal).
CREATE TABLE evaluation_actions (
    id          INTEGER PRIMARY KEY,
    record_id   BIGINT NOT NULL REFERENCES evaluation_records(id),
    activity_id BIGINT NOT NULL REFERENCES evaluation_activities(id),
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    acted_on    TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX evaluation_actions_record ON evaluation_actions(record_id, id);
