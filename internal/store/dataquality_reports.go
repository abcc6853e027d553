package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/dataquality"
)

// openProblemOf is true for a card (k) with an open problem.
const openProblemOf = `CASE WHEN EXISTS (SELECT 1 FROM dq_problems p WHERE p.card_id = k.id AND p.status = 'open')
	THEN 1 ELSE 0 END`

// Accuracy groups the cards in scope by unit, department or handler.
func (db *DB) Accuracy(ctx context.Context, s access.FindingScope, by string) ([]dataquality.AccuracyRow, error) {
	w := scopeWhere(s, "k.unit_id", "k")
	var q string
	switch by {
	case dataquality.ByUnit:
		q = `SELECT u.name, k.unit_id, COUNT(*), SUM(` + openProblemOf + `) FROM case_cards k JOIN units u ON u.id = k.unit_id
			WHERE ` + w.sql() + ` GROUP BY k.unit_id, u.name ORDER BY u.name`
	case dataquality.ByDepartment:
		q = `SELECT k.department, 0, COUNT(*), SUM(` + openProblemOf + `) FROM case_cards k
			WHERE ` + w.sql() + ` GROUP BY k.department ORDER BY k.department`
	default:
		q = `SELECT k.handler, COALESCE(k.handler_id, 0), COUNT(*), SUM(` + openProblemOf + `) FROM case_cards k
			WHERE ` + w.sql() + ` GROUP BY k.handler, k.handler_id ORDER BY k.handler`
	}
	rows, err := db.r.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.AccuracyRow
	for rows.Next() {
		var r dataquality.AccuracyRow
		if err := rows.Scan(&r.Key, &r.ID, &r.Cards, &r.WithProblems); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ProblemCounts groups the problems in scope by rule or kind and status.
func (db *DB) ProblemCounts(ctx context.Context, s access.FindingScope, by string) ([]dataquality.CountRow, error) {
	w := scopeWhere(s, "p.unit_id", "k")
	col := "p.rule_id"
	if by == dataquality.ByKind {
		col = "p.kind"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+col+`,
		SUM(CASE WHEN p.status = 'open' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.status = 'fixed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.status = 'waived' THEN 1 ELSE 0 END)
		FROM dq_problems p JOIN case_cards k ON k.id = p.card_id WHERE `+w.sql()+`
		GROUP BY `+col+` ORDER BY 2 DESC, 1`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.CountRow
	for rows.Next() {
		var r dataquality.CountRow
		if err := rows.Scan(&r.Key, &r.Open, &r.Fixed, &r.Waived); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AccuracyAt computes, for each instant, the cards that existed then and
// those with a problem open at that instant (detected before it, neither
// fixed nor waived by then), from the problems' own history.
func (db *DB) AccuracyAt(ctx context.Context, s access.FindingScope, at []int64) ([]dataquality.AccuracyRow, error) {
	out := make([]dataquality.AccuracyRow, len(at))
	for i, t := range at {
		w := scopeWhere(s, "k.unit_id", "k")
		w.add("k.created_at <= $%d", t)
		w.args = append(w.args, t)
		n := len(w.args)
		q := fmt.Sprintf(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM dq_problems p
			WHERE p.card_id = k.id AND p.detected_at <= $%[1]d AND (p.fixed_at = 0 OR p.fixed_at > $%[1]d)
			AND (p.waived_at = 0 OR p.waived_at > $%[1]d)) THEN 1 ELSE 0 END), 0)
			FROM case_cards k WHERE `, n) + w.sql()
		if err := db.r.QueryRowContext(ctx, q, w.args...).Scan(&out[i].Cards, &out[i].WithProblems); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openAtDay is the condition "open at the end of day $%d" over p.
const openAtDay = `p.detected_on <= $%[1]d AND (p.fixed_on = '' OR p.fixed_on > $%[1]d) AND p.status <> 'waived'`

// OpenAt lists the problems in scope open at the end of day on.
func (db *DB) OpenAt(ctx context.Context, s access.FindingScope, on string, limit int) ([]dataquality.Problem, error) {
	w := scopeWhere(s, "p.unit_id", "k")
	w.args = append(w.args, on)
	w.conds = append(w.conds, fmt.Sprintf(openAtDay, len(w.args)))
	w.args = append(w.args, limit)
	rows, err := db.r.QueryContext(ctx, problemSelect+` WHERE `+w.sql()+
		fmt.Sprintf(` ORDER BY p.unit_id, p.department, p.handler, p.id LIMIT $%d`, len(w.args)), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.Problem
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// MarkNotified stamps month on the unit's problems open at the end of on
// that no earlier notification carried.
func (db *DB) MarkNotified(ctx context.Context, unitID int64, month, on string, a audit.Record) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE dq_problems AS p SET notified_month = $1
			WHERE unit_id = $2 AND notified_month = '' AND `+fmt.Sprintf(openAtDay, 3), month, unitID, on)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		a.Detail += fmt.Sprintf(" problems=%d", n)
		return db.appendAudit(ctx, tx, a)
	})
	return int(n), err
}
