-- Training of paired assistance (对口援助培训与测验, issue 8 part 3):
-- courses of a pairing in a competency area, their sessions (on line or
-- off line, date, time, place or link), the attendance of the pairing's
-- staff, materials (files kept in aid_attachments, as the ledger's are),
-- completions recorded as competency evidence; and quizzes generated from
-- the system's rule libraries with every attempt at them.

-- Courses (培训课程). area is the competency area the completion counts
-- for; mode is 'online' (线上) or 'offline' (线下).
CREATE TABLE aid_courses (
    id          INTEGER PRIMARY KEY,
    pairing_id  BIGINT NOT NULL REFERENCES aid_pairings(id),
    title       TEXT NOT NULL,
    area        TEXT NOT NULL REFERENCES aid_comp_areas(code),
    description TEXT NOT NULL,
    trainer     TEXT NOT NULL,
    mode        TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX aid_courses_pairing ON aid_courses (pairing_id, id);

-- Sessions (培训场次): a legal date inside the pairing's period and the
-- times of day as 'HH:MM' in legal time (a sitting is not an instant
-- anyone computes with).
CREATE TABLE aid_sessions (
    id         INTEGER PRIMARY KEY,
    course_id  BIGINT NOT NULL REFERENCES aid_courses(id),
    on_date    TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time   TEXT NOT NULL,
    mode       TEXT NOT NULL,
    place      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX aid_sessions_course ON aid_sessions (course_id, on_date, id);

-- Attendance (签到): a row for each person marked present at a session.
CREATE TABLE aid_attendance (
    session_id BIGINT NOT NULL REFERENCES aid_sessions(id),
    user_id    BIGINT NOT NULL REFERENCES users(id),
    marked_by  BIGINT REFERENCES users(id),
    marked_at  BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX aid_attendance_user ON aid_attendance (user_id, session_id);

-- Materials (培训资料): a course's files.
CREATE TABLE aid_materials (
    id            INTEGER PRIMARY KEY,
    course_id     BIGINT NOT NULL REFERENCES aid_courses(id),
    attachment_id BIGINT NOT NULL REFERENCES aid_attachments(id),
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX aid_materials_course ON aid_materials (course_id, id);

-- Completions (结业): a person attended every session of a course; the
-- primary key records it once, with the training evidence it became.
CREATE TABLE aid_completions (
    course_id    BIGINT NOT NULL REFERENCES aid_courses(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    completed_on TEXT NOT NULL,
    evidence_id  BIGINT NOT NULL REFERENCES aid_evidence(id),
    PRIMARY KEY (course_id, user_id)
);

-- Quizzes (测验). questions is the JSON snapshot of the questions as
-- generated from the rule libraries with seed (stem, options, answer,
-- explanation), so attempts are marked against what was asked even after
-- a rule changes. sources is the comma-separated list of libraries.
CREATE TABLE aid_quizzes (
    id         INTEGER PRIMARY KEY,
    pairing_id BIGINT NOT NULL REFERENCES aid_pairings(id),
    title      TEXT NOT NULL,
    area       TEXT NOT NULL REFERENCES aid_comp_areas(code),
    sources    TEXT NOT NULL,
    seed       BIGINT NOT NULL,
    pass_mark  INTEGER NOT NULL,
    questions  TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX aid_quizzes_pairing ON aid_quizzes (pairing_id, id);

-- Attempts (作答记录), every one kept: answers is the JSON array of the
-- option chosen per question; evidence_id links the quiz evidence the
-- first passing attempt of a person became.
CREATE TABLE aid_quiz_attempts (
    id           INTEGER PRIMARY KEY,
    quiz_id      BIGINT NOT NULL REFERENCES aid_quizzes(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    answers      TEXT NOT NULL,
    correct      INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    passed       BOOLEAN NOT NULL,
    evidence_id  BIGINT REFERENCES aid_evidence(id),
    submitted_at BIGINT NOT NULL
);
CREATE INDEX aid_quiz_attempts_quiz ON aid_quiz_attempts (quiz_id, user_id, id);
