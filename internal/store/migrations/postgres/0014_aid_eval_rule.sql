-- Competency rules of a second kind (issue 8): besides the unit's card
-- accuracy (data supervision), a person's own evaluation work — how many
-- cases they evaluated in the window and what share of the problems they
-- found the committee overturned on the handler's objection. The issue's
-- example ("30 evaluations with under 10% of findings overturned") is the
-- default; the window (12 months) is ours: DOMAIN §1 gives none.
ALTER TABLE aid_comp_rules ADD COLUMN kind TEXT NOT NULL DEFAULT 'data_accuracy';
ALTER TABLE aid_comp_rules ADD COLUMN min_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE aid_comp_rules ADD COLUMN max_overturned_pct INTEGER NOT NULL DEFAULT 0;
INSERT INTO aid_comp_rules (code, area, to_level, months, min_accuracy_pct, min_fixed, text, kind, min_count, max_overturned_pct)
VALUES ('evaluation_backbone', 'evaluation', 'backbone', 12, 0, 0,
    '近12个月本人评查案件不少于30件，且提出的问题被评查委员会撤销的比例低于10%', 'evaluation_calibration', 30, 10);
