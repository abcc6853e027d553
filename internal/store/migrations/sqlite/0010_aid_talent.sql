-- The talent pipeline of paired assistance (对口援助人才梯队, issue 8 part 2):
-- the competency framework as data (areas and levels), each staff member's
-- level per area, the evidence attached to a person and an area, proposals
-- of level changes that only a mentor's confirmation applies, the rules by
-- which the system proposes from its own records (thresholds as data), and
-- mentor–trainee assignments across the units of a pairing; and the
-- pairing's Q&A (互动答疑) with its knowledge base.

-- Competency areas (能力领域). required marks the core case-management
-- areas that goal (1) "able to run case management independently" counts.
CREATE TABLE aid_comp_areas (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    required BOOLEAN NOT NULL
);
INSERT INTO aid_comp_areas (code, name, position, required) VALUES
    ('intake', '受理', 1, TRUE),
    ('assignment', '分案', 2, TRUE),
    ('monitoring', '流程监控', 3, TRUE),
    ('evaluation', '质量评查', 4, FALSE),
    ('data', '数据监管', 5, TRUE),
    ('analysis', '统计分析', 6, FALSE),
    ('disclosure', '公开与律师接待', 7, FALSE);

-- Competency levels (能力等级), ordered by rank.
CREATE TABLE aid_comp_levels (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rank INTEGER NOT NULL UNIQUE
);
INSERT INTO aid_comp_levels (code, name, rank) VALUES
    ('trainee', '见习', 1),
    ('practitioner', '熟练', 2),
    ('backbone', '骨干', 3),
    ('mentor', '导师', 4);

-- A staff member's level per area; no row is the lowest level (trainee).
-- Written only when a mentor confirms a proposal (or the seed bootstraps
-- the first mentors, audited as the system).
CREATE TABLE aid_competencies (
    user_id    BIGINT NOT NULL REFERENCES users(id),
    area       TEXT NOT NULL REFERENCES aid_comp_areas(code),
    level      TEXT NOT NULL REFERENCES aid_comp_levels(code),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, area)
);

-- Evidence (能力证据): training completed, a quiz result, work done in the
-- system, a mentor's sign-off.
CREATE TABLE aid_evidence (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    area        TEXT NOT NULL REFERENCES aid_comp_areas(code),
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX aid_evidence_user ON aid_evidence (user_id, area, id);

-- Proposals of a level change (等级变更提议): pending until a mentor of
-- the area confirms or rejects it. rule is the code of the system rule
-- that proposed it ('' for a case manager's proposal).
CREATE TABLE aid_proposals (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    area        TEXT NOT NULL REFERENCES aid_comp_areas(code),
    from_level  TEXT NOT NULL REFERENCES aid_comp_levels(code),
    to_level    TEXT NOT NULL REFERENCES aid_comp_levels(code),
    rule        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    proposed_by BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    decided_by  BIGINT REFERENCES users(id),
    decided_at  BIGINT NOT NULL DEFAULT 0,
    decision    TEXT NOT NULL DEFAULT ''
);
-- At most one pending proposal per person and area.
CREATE UNIQUE INDEX aid_proposals_pending ON aid_proposals (user_id, area) WHERE status = 'pending';
CREATE INDEX aid_proposals_status ON aid_proposals (status, id);

-- The rules by which the system proposes a level from its own records,
-- with their thresholds as data and the text that explains them.
CREATE TABLE aid_comp_rules (
    code             TEXT PRIMARY KEY,
    area             TEXT NOT NULL REFERENCES aid_comp_areas(code),
    to_level         TEXT NOT NULL REFERENCES aid_comp_levels(code),
    months           INTEGER NOT NULL,
    min_accuracy_pct INTEGER NOT NULL,
    min_fixed        INTEGER NOT NULL,
    text             TEXT NOT NULL
);
INSERT INTO aid_comp_rules (code, area, to_level, months, min_accuracy_pct, min_fixed, text) VALUES
    ('data_backbone', 'data', 'backbone', 3, 95, 20,
     '本院案卡数据准确率连续3个月（每月末）不低于95%，且本人近3个月整改案卡问题不少于20个');

-- Mentor–trainee assignments (师徒结对) across the units of a pairing.
CREATE TABLE aid_mentorships (
    id         INTEGER PRIMARY KEY,
    pairing_id BIGINT NOT NULL REFERENCES aid_pairings(id),
    mentor_id  BIGINT NOT NULL REFERENCES users(id),
    trainee_id BIGINT NOT NULL REFERENCES users(id),
    area       TEXT NOT NULL REFERENCES aid_comp_areas(code),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (pairing_id, mentor_id, trainee_id, area)
);

-- Q&A (互动答疑): questions from the aided side's staff to the pairing's
-- experts (the aiding side), answers and follow-ups. tags is the
-- normalised list ",tag1,tag2," so a LIKE finds a whole tag on both
-- engines. first_answer_at and response_ms record the response time.
CREATE TABLE aid_questions (
    id              INTEGER PRIMARY KEY,
    pairing_id      BIGINT NOT NULL REFERENCES aid_pairings(id),
    asked_by        BIGINT NOT NULL REFERENCES users(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    tags            TEXT NOT NULL,
    status          TEXT NOT NULL,
    asked_at        BIGINT NOT NULL,
    first_answer_at BIGINT NOT NULL DEFAULT 0,
    response_ms     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX aid_questions_pairing ON aid_questions (pairing_id, status, id);

-- Answers (kind 'answer', by the aiding side) and follow-ups (kind
-- 'followup', by the aided side) in the order they were written.
CREATE TABLE aid_answers (
    id          INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES aid_questions(id),
    pairing_id  BIGINT NOT NULL REFERENCES aid_pairings(id),
    author_id   BIGINT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX aid_answers_question ON aid_answers (question_id, id);
