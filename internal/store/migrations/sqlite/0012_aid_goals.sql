-- The goals of a pairing with computed progress (援助目标, DOMAIN §1, issue 8
-- part 3). DOMAIN §1 names four goals for the aided offices: (1) at least 2
-- staff who can run case management independently; (2) case-management
-- work in the upper-middle of the field; (3) informatization on a par with
-- the aiding side; (4) a talent pipeline that survives turnover. Each goal
-- is a measure the system computes from its own records (internal/aid/
-- progress.go), never a tick box; what is stored here is only each goal's
-- parameters: targets, thresholds, the peer units and indicators of (2),
-- the checklist of (3), the levels of (4).
--
-- params is a JSON object whose shape is owned and validated by the aid
-- package (GoalSettings); one row per pairing and goal. A pairing without
-- a row for a goal uses the defaults of aid.DefaultGoals, which derive
-- from the pairing itself (the peer units of (2) are the pairing's other
-- units at the aided units' level), so no row is seeded here: the
-- defaults are written, audited, the first time someone who may manage
-- the pairing saves the goals. Where DOMAIN gives no figure (the share of
-- notices answered on time, the evaluation activities per window) the
-- default is a parameter here, not a constant in code.
CREATE TABLE aid_goals (
    pairing_id BIGINT NOT NULL REFERENCES aid_pairings(id),
    goal       TEXT NOT NULL,
    params     TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pairing_id, goal)
);

-- Goal (3) counts the working days on which the unit's staff opened the
-- deadline board, read from the audit log (action 'board.list', the
-- actor's unit): the log's only index is on the instant, so a unit's
-- window would scan every entry of the period. This partial index keeps
-- that read to the board's own entries.
CREATE INDEX audit_log_board ON audit_log (unit_id, at) WHERE action = 'board.list';
