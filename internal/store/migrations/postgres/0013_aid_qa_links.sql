-- Q&A links (issue 8): a question may concern one case of the asker's
-- unit (shown to the other side anonymised: category, month received,
-- status) and rules of the system's libraries ("source:code", comma
-- separated, resolved against the question bank when shown).
ALTER TABLE aid_questions ADD COLUMN case_id BIGINT REFERENCES cases(id);
ALTER TABLE aid_questions ADD COLUMN rule_refs TEXT NOT NULL DEFAULT '';
