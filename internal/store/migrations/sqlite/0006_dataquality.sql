-- Business-data supervision (业务数据监管, issue 5): case cards (案卡) from
-- anguan's own cases and from imported spreadsheets, their change history,
-- pending import previews, the versioned rule library, the problem list
-- (问题清单) and the scan log. Dates are ISO text; instants unix ms.

-- One row per stage number. Cards of anguan cases (source 'case') are
-- rewritten by the store in the same transaction as every change of the
-- case; imported cards (source 'import') by the import. Flags are '是',
-- '否' or '' (not filled), because a blank is itself a finding (漏填).
CREATE TABLE case_cards (
    id                  INTEGER PRIMARY KEY,
    unit_id             BIGINT NOT NULL REFERENCES units(id),
    source              TEXT NOT NULL,
    case_id             BIGINT UNIQUE REFERENCES cases(id),
    sealed              BOOLEAN NOT NULL DEFAULT FALSE,
    stage_no            TEXT NOT NULL UNIQUE,
    uniform_no          TEXT NOT NULL,
    category            TEXT NOT NULL,
    name                TEXT NOT NULL,
    department          TEXT NOT NULL,
    handler             TEXT NOT NULL,
    handler_id          BIGINT REFERENCES users(id),
    transferring_organ  TEXT NOT NULL,
    charges             TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    suspect_name        TEXT NOT NULL,
    suspect_id          TEXT NOT NULL,
    custody             TEXT NOT NULL,
    measure             TEXT NOT NULL,
    plea                TEXT NOT NULL,
    plea_signed_on      TEXT NOT NULL,
    sentencing          TEXT NOT NULL,
    sentencing_adopted  TEXT NOT NULL,
    fast_track          TEXT NOT NULL,
    minor               TEXT NOT NULL,
    returns             INTEGER NOT NULL,
    extensions          INTEGER NOT NULL,
    decision            TEXT NOT NULL,
    decided_on          TEXT NOT NULL,
    doc_no              TEXT NOT NULL,
    closed_on           TEXT NOT NULL,
    entered_on          TEXT NOT NULL,
    import_id           BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_cards_unit ON case_cards (unit_id, id);
CREATE INDEX case_cards_uniform ON case_cards (uniform_no, id);
CREATE INDEX case_cards_handler ON case_cards (handler_id, id);

-- One row per confirmed import: the file's SHA-256 and what it did. The
-- actor is empty for an import from the command line (a system actor).
CREATE TABLE card_imports (
    id          INTEGER PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    actor_id    BIGINT REFERENCES users(id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    rows_read   INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    hits        INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX card_imports_unit ON card_imports (unit_id, id);

-- What a re-import or a case change altered on a card, item by item
-- (JSON list of {key, header, old, new}).
CREATE TABLE card_changes (
    id          INTEGER PRIMARY KEY,
    card_id     BIGINT NOT NULL REFERENCES case_cards(id),
    import_id   BIGINT REFERENCES card_imports(id),
    actor_id    BIGINT REFERENCES users(id),
    changes     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX card_changes_card ON card_changes (card_id, id);

-- A previewed upload waiting for the user's confirmation. Only files
-- without a single row error are kept; the row goes when confirmed or
-- after a day. Keeping it in the database (not in a server's memory) lets
-- the confirmation reach any instance.
CREATE TABLE card_uploads (
    id          INTEGER PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    actor_id    BIGINT NOT NULL REFERENCES users(id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    content     BLOB NOT NULL,
    created_at  BIGINT NOT NULL
);

-- One row per rule version; editing inserts the next version, so every
-- problem keeps the rule text it was found by.
CREATE TABLE dq_rules (
    id          INTEGER PRIMARY KEY,
    rule_id     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    UNIQUE (rule_id, version)
);
CREATE TRIGGER dq_rules_no_update BEFORE UPDATE ON dq_rules BEGIN
    SELECT RAISE(ABORT, 'data-quality rule versions are immutable');
END;
CREATE TRIGGER dq_rules_no_delete BEFORE DELETE ON dq_rules BEGIN
    SELECT RAISE(ABORT, 'data-quality rule versions are immutable');
END;

-- The problem list. A hit of a rule on a card opens a problem; the next
-- scan that no longer hits closes it as fixed; a case manager may waive it
-- with a reason. At most one problem per card and rule is not fixed.
-- notified_month is the month of the notification list (通报) that
-- carried it, for the look-back (回头看).
CREATE TABLE dq_problems (
    id              INTEGER PRIMARY KEY,
    card_id         BIGINT NOT NULL REFERENCES case_cards(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    rule_id         TEXT NOT NULL,
    rule_version    INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    severity        TEXT NOT NULL,
    item            TEXT NOT NULL,
    handler_id      BIGINT REFERENCES users(id),
    handler         TEXT NOT NULL,
    department      TEXT NOT NULL,
    status          TEXT NOT NULL,
    detected_at     BIGINT NOT NULL,
    detected_on     TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    fixed_at        BIGINT NOT NULL DEFAULT 0,
    fixed_on        TEXT NOT NULL DEFAULT '',
    waived_by       BIGINT REFERENCES users(id),
    waived_at       BIGINT NOT NULL DEFAULT 0,
    waive_reason    TEXT NOT NULL DEFAULT '',
    notified_month  TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX dq_problems_active ON dq_problems (card_id, rule_id) WHERE status <> 'fixed';
CREATE INDEX dq_problems_unit ON dq_problems (unit_id, status, id);
CREATE INDEX dq_problems_handler ON dq_problems (handler_id, status, id);
CREATE INDEX dq_problems_notified ON dq_problems (notified_month, unit_id) WHERE notified_month <> '';

-- One row per scan: what it read, evaluated and changed.
CREATE TABLE dq_scans (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    unit_id      BIGINT REFERENCES units(id),
    actor_id     BIGINT REFERENCES users(id),
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL,
    cards        INTEGER NOT NULL,
    rules        INTEGER NOT NULL,
    evaluations  BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    opened       INTEGER NOT NULL,
    fixed        INTEGER NOT NULL
);

-- The national card's words for anguan's codes, used when a case of anguan
-- is projected into its card: decisions and coercive measures. Data, so an
-- office whose filling standard words them differently changes rows, not
-- code.
CREATE TABLE card_vocab (
    vocab   TEXT NOT NULL,
    code    TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (vocab, code)
);
INSERT INTO card_vocab (vocab, code, name) VALUES
    ('decision', 'prosecute', '起诉'),
    ('decision', 'np_statutory', '法定不起诉'),
    ('decision', 'np_discretionary', '酌定不起诉'),
    ('decision', 'np_insufficient', '存疑不起诉'),
    ('decision', 'np_conditional', '附条件不起诉'),
    ('decision', 'transfer', '移送其他机关'),
    ('decision', 'approve_arrest', '批准逮捕'),
    ('decision', 'reject_arrest', '不批准逮捕'),
    ('decision', 'reject_arrest_insufficient', '不批准逮捕'),
    ('decision', 'pre_suit_recommendation', '诉前检察建议'),
    ('decision', 'sue', '提起诉讼'),
    ('decision', 'terminate', '终结审查'),
    ('decision', 'protest', '提出抗诉'),
    ('decision', 'retrial_recommendation', '提出再审检察建议'),
    ('decision', 'recommendation', '提出检察建议'),
    ('decision', 'not_supported', '不支持监督申请'),
    ('measure', 'none', '无'),
    ('measure', 'summons', '拘传'),
    ('measure', 'bail', '取保候审'),
    ('measure', 'residence', '监视居住'),
    ('measure', 'detention', '拘留'),
    ('measure', 'arrest', '逮捕'),
    ('measure', 'lien', '留置');
