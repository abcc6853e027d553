package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/dataquality"
)

// activeProblem is a problem that is not fixed: open or waived.
type activeProblem struct {
	id     int64
	ruleID string
}

// activeProblems reads the unfixed problems of the cards, by card.
func activeProblems(ctx context.Context, q querier, cardIDs []int64) (map[int64][]activeProblem, error) {
	out := map[int64][]activeProblem{}
	const chunk = 500
	for len(cardIDs) > 0 {
		n := min(chunk, len(cardIDs))
		part := cardIDs[:n]
		cardIDs = cardIDs[n:]
		marks := make([]string, n)
		args := make([]any, n)
		for i, id := range part {
			marks[i], args[i] = "$"+itoa(int64(i+1)), id
		}
		rows, err := q.QueryContext(ctx, `SELECT id, card_id, rule_id FROM dq_problems
			WHERE status <> 'fixed' AND card_id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p activeProblem
			var card int64
			if err := rows.Scan(&p.id, &card, &p.ruleID); err != nil {
				rows.Close()
				return nil, err
			}
			out[card] = append(out[card], p)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ApplyHits reconciles the problems of the cards in results: a hit with
// no unfixed problem opens one; an unfixed problem whose rule no longer
// hits is closed as fixed (a waived one too: the card is right now). When
// nothing changes nothing is written, so a nightly scan of clean data
// costs reads only.
func (db *DB) ApplyHits(ctx context.Context, results []dataquality.CardResult, today string, a audit.Record) (dataquality.Applied, error) {
	ids := make([]int64, len(results))
	for i, r := range results {
		ids[i] = r.CardID
	}
	active, err := activeProblems(ctx, db.hot(), ids)
	if err != nil {
		return dataquality.Applied{}, err
	}
	if !changesNeeded(results, active) {
		return dataquality.Applied{}, nil
	}
	var out dataquality.Applied
	err = db.write(ctx, func(tx *sql.Tx) error {
		// Read again inside the transaction: another scan may have
		// reconciled these cards since.
		active, err := activeProblems(ctx, tx, ids)
		if err != nil {
			return err
		}
		out, err = db.applyHits(ctx, tx, results, active, today)
		if err != nil {
			return err
		}
		if out.Opened+out.Fixed == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, appliedRecord(a, len(results), out))
	})
	return out, err
}

// appliedRecord completes the audit entry of a reconciliation that opened
// or fixed problems.
func appliedRecord(a audit.Record, cards int, out dataquality.Applied) audit.Record {
	a.Detail = strings.TrimSpace(fmt.Sprintf("%s cards=%d opened=%d fixed=%d", a.Detail, cards, out.Opened, out.Fixed))
	return a
}

func changesNeeded(results []dataquality.CardResult, active map[int64][]activeProblem) bool {
	for _, r := range results {
		have := active[r.CardID]
		if len(have) != len(r.Hits) {
			return true
		}
		for _, h := range r.Hits {
			found := false
			for _, p := range have {
				if p.ruleID == h.RuleID {
					found = true
					break
				}
			}
			if !found {
				return true
			}
		}
	}
	return false
}

// applyHits writes the reconciliation inside tx.
func (db *DB) applyHits(ctx context.Context, tx *sql.Tx, results []dataquality.CardResult,
	active map[int64][]activeProblem, today string) (dataquality.Applied, error) {
	var out dataquality.Applied
	now := db.ms()
	var ins *sql.Stmt
	for _, r := range results {
		have := active[r.CardID]
		hit := make(map[string]bool, len(r.Hits))
		for _, h := range r.Hits {
			hit[h.RuleID] = true
			open := false
			for _, p := range have {
				if p.ruleID == h.RuleID {
					open = true
					break
				}
			}
			if open {
				continue
			}
			if ins == nil {
				var err error
				ins, err = tx.PrepareContext(ctx, `INSERT INTO dq_problems (card_id, unit_id, rule_id, rule_version, kind,
					severity, item, handler_id, handler, department, status, detected_at, detected_on, due_on)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $13)`)
				if err != nil {
					return out, err
				}
				defer ins.Close()
			}
			if _, err := ins.ExecContext(ctx, r.CardID, r.UnitID, h.RuleID, h.Version, h.Kind, h.Severity, h.Item,
				nullID(r.HandlerID), r.Handler, r.Department, now, today, h.DueOn); err != nil {
				return out, err
			}
			out.Opened++
		}
		for _, p := range have {
			if hit[p.ruleID] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE dq_problems SET status = 'fixed', fixed_at = $1, fixed_on = $2,
				version = version + 1 WHERE id = $3`, now, today, p.id); err != nil {
				return out, err
			}
			out.Fixed++
		}
		// The card's handler may have changed since the problem opened:
		// the list follows the card.
		if len(have) > 0 && len(r.Hits) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE dq_problems SET handler_id = $1, handler = $2, department = $3
				WHERE card_id = $4 AND status = 'open' AND (handler <> $2 OR department <> $3)`,
				nullID(r.HandlerID), r.Handler, r.Department, r.CardID); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// problemSelect reads a problem with its card and unit (p, k, u).
const problemSelect = `SELECT p.id, p.card_id, p.unit_id, u.name, u.path, k.stage_no, k.name, k.category, p.rule_id,
	p.rule_version, p.kind, p.severity, p.item, COALESCE(p.handler_id, 0), p.handler, p.department, p.status,
	p.detected_on, p.due_on, p.fixed_on, COALESCE(w.name, ''), p.waive_reason, p.notified_month, p.version, k.sealed
	FROM dq_problems p
	JOIN case_cards k ON k.id = p.card_id
	JOIN units u ON u.id = p.unit_id
	LEFT JOIN users w ON w.id = p.waived_by`

func scanProblem(r rowScanner) (dataquality.Problem, error) {
	var p dataquality.Problem
	err := r.Scan(&p.ID, &p.CardID, &p.UnitID, &p.UnitName, &p.UnitPath, &p.StageNo, &p.CaseName, &p.Category, &p.RuleID,
		&p.RuleVersion, &p.Kind, &p.Severity, &p.Item, &p.HandlerID, &p.Handler, &p.Department, &p.Status,
		&p.DetectedOn, &p.DueOn, &p.FixedOn, &p.WaivedBy, &p.WaiveReason, &p.NotifiedMonth, &p.Version, &p.Sealed)
	return p, err
}

// problemWhere is the scope and filter of a problem list. The scope reads
// the card's handler and sealed flag (k), so a prosecutor sees the
// problems of the cards they handle now.
func problemWhere(s access.FindingScope, f dataquality.ProblemFilter) (*where, error) {
	w := scopeWhere(s, "p.unit_id", "k")
	if f.Status != "" {
		w.add("p.status = $%d", f.Status)
	}
	if f.Kind != "" {
		w.add("p.kind = $%d", f.Kind)
	}
	if f.Severity != "" {
		w.add("p.severity = $%d", f.Severity)
	}
	if f.RuleID != "" {
		w.add("p.rule_id = $%d", f.RuleID)
	}
	if f.HandlerID != 0 {
		w.add("p.handler_id = $%d", f.HandlerID)
	}
	if f.Department != "" {
		w.add("p.department = $%d", f.Department)
	}
	if f.CardID != 0 {
		w.add("p.card_id = $%d", f.CardID)
	}
	if f.Month != "" {
		w.add("p.notified_month = $%d", f.Month)
	}
	if err := w.afterID("p.id", f.After); err != nil {
		return nil, err
	}
	return w, nil
}

// ListProblems returns one page of problems in scope, newest first.
func (db *DB) ListProblems(ctx context.Context, s access.FindingScope, f dataquality.ProblemFilter) ([]dataquality.Problem, string, error) {
	q, args, err := problemsQuery(s, f)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	return idPage(rows, f.Limit, scanProblem, func(p dataquality.Problem) int64 { return p.ID })
}

// problemsQuery is the SQL of ListProblems (also planned by the plan test).
func problemsQuery(s access.FindingScope, f dataquality.ProblemFilter) (string, []any, error) {
	w, err := problemWhere(s, f)
	if err != nil {
		return "", nil, err
	}
	w.args = append(w.args, f.Limit+1)
	return problemSelect + ` WHERE ` + w.sql() + fmt.Sprintf(` ORDER BY p.id DESC LIMIT $%d`, len(w.args)), w.args, nil
}

// CountProblems counts the problems ListProblems would list.
func (db *DB) CountProblems(ctx context.Context, s access.FindingScope, f dataquality.ProblemFilter) (int, error) {
	f.After = ""
	w, err := problemWhere(s, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM dq_problems p JOIN case_cards k ON k.id = p.card_id WHERE `+
		w.sql(), w.args...).Scan(&n)
	return n, err
}

// Problem reads one problem; ok is false when there is none. A problem of
// a sealed card is returned only with the card's handler id so the caller
// can refuse others; the scope check is the caller's.
func (db *DB) Problem(ctx context.Context, id int64) (dataquality.Problem, bool, error) {
	p, err := scanProblem(db.r.QueryRowContext(ctx, problemSelect+` WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	return p, err == nil, err
}

// WaiveProblem waives an open problem at the version the caller saw.
func (db *DB) WaiveProblem(ctx context.Context, id int64, version int, reason string, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE dq_problems SET status = 'waived', waived_by = $1, waived_at = $2,
			waive_reason = $3, version = version + 1 WHERE id = $4 AND version = $5 AND status = 'open'`,
			a.Actor.UserID, db.ms(), reason, id, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return apperr.ErrConflict
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// ActiveProblemRules maps cards to the rules of their unfixed problems,
// for one unit or (unitID 0) every unit.
func (db *DB) ActiveProblemRules(ctx context.Context, unitID int64) (map[int64][]string, error) {
	q := `SELECT card_id, rule_id FROM dq_problems WHERE status <> 'fixed'`
	var args []any
	if unitID != 0 {
		q += ` AND unit_id = $1`
		args = append(args, unitID)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var card int64
		var rule string
		if err := rows.Scan(&card, &rule); err != nil {
			return nil, err
		}
		out[card] = append(out[card], rule)
	}
	return out, rows.Err()
}
