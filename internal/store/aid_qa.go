package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Q&A of a pairing (互动答疑): questions, answers and follow-ups, and the
// knowledge-base search over answered questions (LIKE on both engines).

const aidQuestionSelect = `SELECT q.id, q.pairing_id, q.asked_by, a.name, u.name, q.title, q.body, q.tags, q.status,
	q.asked_at, q.first_answer_at, q.response_ms, COALESCE(c.id, 0), COALESCE(c.unit_id, 0), COALESCE(c.category, ''),
	COALESCE(g.name, ''), COALESCE(c.received_on, ''), COALESCE(c.status, ''), q.rule_refs
	FROM aid_questions q JOIN users a ON a.id = q.asked_by JOIN units u ON u.id = q.unit_id
	LEFT JOIN cases c ON c.id = q.case_id LEFT JOIN categories g ON g.code = c.category`

func scanAidQuestion(rs rowScanner) (aid.Question, error) {
	var q aid.Question
	var tags string
	var asked, first int64
	var c aid.CaseRef
	var rules string
	err := rs.Scan(&q.ID, &q.PairingID, &q.AskedBy, &q.AskerName, &q.UnitName, &q.Title, &q.Body, &tags, &q.Status,
		&asked, &first, &q.ResponseMS, &c.ID, &c.UnitID, &c.Category, &c.CategoryName, &c.ReceivedMonth, &c.Status, &rules)
	for _, r := range strings.Split(strings.Trim(rules, ","), ",") {
		if r != "" {
			q.RuleRefs = append(q.RuleRefs, r)
		}
	}
	if c.ID != 0 {
		c.ReceivedMonth = monthOf(c.ReceivedMonth)
		q.Case = &c
	}
	q.AskedAt = ms(asked)
	if first != 0 {
		q.FirstAnswerAt = ms(first)
	}
	q.Tags = []string{}
	for _, t := range strings.Split(strings.Trim(tags, ","), ",") {
		if t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
	return q, err
}

// likeEscape escapes LIKE's wildcards in a search text (ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AidQuestions lists a pairing's questions, newest first; with
// answeredOnly, those answered at least once; with a query, those whose title, body, tags or
// posts contain the query.
func (db *DB) AidQuestions(ctx context.Context, pairingID int64, answeredOnly bool, query string) ([]aid.Question, error) {
	cond := `q.pairing_id = $1`
	args := []any{pairingID}
	if answeredOnly {
		cond += ` AND q.first_answer_at > 0`
	}
	if query != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(query))+"%")
		cond += ` AND (LOWER(q.title) LIKE $2 ESCAPE '\' OR LOWER(q.body) LIKE $2 ESCAPE '\' OR LOWER(q.tags) LIKE $2 ESCAPE '\'
			OR EXISTS (SELECT 1 FROM aid_answers p WHERE p.question_id = q.id AND LOWER(p.body) LIKE $2 ESCAPE '\'))`
	}
	rows, err := db.r.QueryContext(ctx, aidQuestionSelect+` WHERE `+cond+` ORDER BY q.id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Question
	for rows.Next() {
		q, err := scanAidQuestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// AidQuestion loads a question with its posts in order.
func (db *DB) AidQuestion(ctx context.Context, id int64) (aid.Question, error) {
	q, err := scanAidQuestion(db.r.QueryRowContext(ctx, aidQuestionSelect+` WHERE q.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Question{}, apperr.ErrNotFound
	}
	if err != nil {
		return q, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT p.id, p.author_id, a.name, p.kind, p.body, p.created_at
		FROM aid_answers p JOIN users a ON a.id = p.author_id WHERE p.question_id = $1 ORDER BY p.id`, id)
	if err != nil {
		return q, err
	}
	defer rows.Close()
	for rows.Next() {
		var p aid.Post
		var at int64
		if err := rows.Scan(&p.ID, &p.AuthorID, &p.AuthorName, &p.Kind, &p.Body, &at); err != nil {
			return q, err
		}
		p.CreatedAt = ms(at)
		q.Posts = append(q.Posts, p)
	}
	return q, rows.Err()
}

// CreateAidQuestion inserts a question (the asker's unit taken from the
// account) with its audit entry.
func (db *DB) CreateAidQuestion(ctx context.Context, q aid.Question, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		tags := ""
		if len(q.Tags) > 0 {
			tags = "," + strings.Join(q.Tags, ",") + ","
		}
		var unit int64
		if err := tx.QueryRowContext(ctx, `SELECT unit_id FROM users WHERE id = $1`, q.AskedBy).Scan(&unit); err != nil {
			return err
		}
		var caseID any
		if q.Case != nil {
			caseID = q.Case.ID
		}
		rules := ""
		if len(q.RuleRefs) > 0 {
			rules = "," + strings.Join(q.RuleRefs, ",") + ","
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_questions (pairing_id, asked_by, unit_id, title, body, tags, status, asked_at,
			case_id, rule_refs) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id`,
			q.PairingID, q.AskedBy, unit, q.Title, q.Body, tags, db.ms(), caseID, rules).Scan(&id); err != nil {
			return err
		}
		rec.Detail += " question=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AddAidPost appends an answer or a follow-up with its audit entry. An
// answer marks the question answered, and the first one records the
// response time; a follow-up reopens it.
func (db *DB) AddAidPost(ctx context.Context, questionID int64, p aid.Post, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		var pairingID int64
		err := tx.QueryRowContext(ctx, `SELECT pairing_id FROM aid_questions WHERE id = $1`, questionID).Scan(&pairingID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_answers (question_id, pairing_id, author_id, kind, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, questionID, pairingID, p.AuthorID, p.Kind, p.Body, now).Scan(&id); err != nil {
			return err
		}
		q := `UPDATE aid_questions SET status = 'open' WHERE id = $1`
		args := []any{questionID}
		if p.Kind == aid.PostAnswer {
			q = `UPDATE aid_questions SET status = 'answered',
				response_ms = CASE WHEN first_answer_at = 0 THEN $2 - asked_at ELSE response_ms END,
				first_answer_at = CASE WHEN first_answer_at = 0 THEN $2 ELSE first_answer_at END WHERE id = $1`
			args = append(args, now)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		rec.Detail += " post=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AidCaseByNo finds the unit's case with a department case number.
func (db *DB) AidCaseByNo(ctx context.Context, unitID int64, stageNo string) (aid.CaseRef, error) {
	var c aid.CaseRef
	err := db.r.QueryRowContext(ctx, `SELECT c.id, c.unit_id, c.category, COALESCE(g.name, c.category), c.received_on, c.status,
		c.sealed, COALESCE(c.handler_id, 0) FROM cases c LEFT JOIN categories g ON g.code = c.category
		WHERE c.stage_no = $1 AND c.unit_id = $2`, stageNo, unitID).Scan(&c.ID, &c.UnitID, &c.Category, &c.CategoryName,
		&c.ReceivedMonth, &c.Status, &c.Sealed, &c.HandlerID)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.CaseRef{}, apperr.ErrNotFound
	}
	c.ReceivedMonth = monthOf(c.ReceivedMonth)
	return c, err
}

// monthOf is the month of a legal date: a linked case leaves its unit with
// the month it was received, never the day, which would narrow it down.
func monthOf(day string) string { return day[:min(7, len(day))] }
