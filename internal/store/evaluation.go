package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/evaluation"
)

// The database implements the evaluation service's store.
var _ evaluation.Store = (*DB)(nil)

// evalRows runs a query on q (the read pool or a transaction) and calls fn
// for each row.
func evalRows(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// evalIn adds "col IN ($a, $b …)" for vals to w; no values match nothing.
func evalIn[T any](w *where, col string, vals []T) {
	if len(vals) == 0 {
		w.add("1 = 0")
		return
	}
	refs := make([]string, len(vals))
	args := make([]any, len(vals))
	for i, v := range vals {
		refs[i] = "$%d"
		args[i] = v
	}
	w.add(col+" IN ("+strings.Join(refs, ", ")+")", args...)
}

// qualityWhere adds the conditions of a quality scope over a record whose
// case unit, department and handler are the given columns (the case
// itself joined as c, for sealing).
func qualityWhere(w *where, s access.QualityScope, unitCol, deptCol, handlerCol string) {
	if s.UnitID != 0 {
		w.add(unitCol+" = $%d", s.UnitID)
	} else {
		w.add(unitCol+" IN (SELECT id FROM units WHERE path LIKE $%d)", s.UnitPathPrefix+"%")
	}
	switch {
	case s.DepartmentID != 0:
		w.add("("+deptCol+" = $%d OR "+handlerCol+" = $%d)", s.DepartmentID, s.HandlerID)
	case s.HandlerID != 0:
		w.add(handlerCol+" = $%d", s.HandlerID)
	}
	// Sealed juvenile records (CPL 286) appear only to their handler.
	w.add("(c.sealed = FALSE OR "+handlerCol+" = $%d)", s.UserID)
}

// evalCaseColumns and evalCaseJoins read evaluation.CaseFacts of case c.
const evalCaseColumns = `c.id, c.unit_id, cu.path, cu.name, c.category, c.name, COALESCE(c.stage_no, ''),
	COALESCE(c.uniform_no, ''), c.status, c.sealed, COALESCE(c.department_id, 0), COALESCE(cd.name, ''),
	COALESCE(c.handler_id, 0), COALESCE(ch.name, ''), c.decision, c.received_on, c.closed_on, c.returns`

const evalCaseJoins = ` JOIN units cu ON cu.id = c.unit_id LEFT JOIN departments cd ON cd.id = c.department_id
	LEFT JOIN users ch ON ch.id = c.handler_id`

func evalCaseDest(c *evaluation.CaseFacts) []any {
	return []any{&c.ID, &c.UnitID, &c.UnitPath, &c.UnitName, &c.Category, &c.Name, &c.StageNo, &c.UniformNo, &c.Status,
		&c.Sealed, &c.DepartmentID, &c.DepartmentName, &c.HandlerID, &c.HandlerName, &c.Decision, &c.ReceivedOn,
		&c.ClosedOn, &c.Returns}
}

// EvaluationCase loads a case's facts (no access check: the service does).
func (db *DB) EvaluationCase(ctx context.Context, caseID int64) (evaluation.CaseFacts, error) {
	var c evaluation.CaseFacts
	err := db.r.QueryRowContext(ctx, `SELECT `+evalCaseColumns+` FROM cases c`+evalCaseJoins+` WHERE c.id = $1`, caseID).
		Scan(evalCaseDest(&c)...)
	return c, notFound(err)
}

// ---- templates ----

const evalTemplateColumns = `t.id, t.code, t.version, t.name, t.categories, t.scale_code, t.items, t.note,
	COALESCE(t.created_by, 0), t.created_at,
	(EXISTS (SELECT 1 FROM evaluation_checks k WHERE k.template_id = t.id)
	 OR EXISTS (SELECT 1 FROM evaluation_records r WHERE r.template_id = t.id))`

func scanEvalTemplate(sc interface{ Scan(...any) error }) (evaluation.TemplateInfo, error) {
	var t evaluation.TemplateInfo
	var cats string
	var created int64
	err := sc.Scan(&t.ID, &t.Code, &t.Version, &t.Name, &cats, &t.ScaleCode, &t.Items, &t.Note, &t.CreatedBy, &created,
		&t.InUse)
	t.Categories = strings.Split(cats, ",")
	t.CreatedAt = ms(created)
	return t, err
}

// EvaluationTemplates lists every stored version by code and version; the
// newest of each code is marked Latest.
func (db *DB) EvaluationTemplates(ctx context.Context) ([]evaluation.TemplateInfo, error) {
	var out []evaluation.TemplateInfo
	err := evalRows(ctx, db.r, `SELECT `+evalTemplateColumns+` FROM evaluation_templates t ORDER BY t.code, t.version`,
		nil, func(rows *sql.Rows) error {
			t, err := scanEvalTemplate(rows)
			out = append(out, t)
			return err
		})
	for i := range out {
		out[i].Latest = i == len(out)-1 || out[i+1].Code != out[i].Code
	}
	return out, err
}

// EvaluationTemplateData loads one version and its file.
func (db *DB) EvaluationTemplateData(ctx context.Context, id int64) (evaluation.TemplateInfo, []byte, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+evalTemplateColumns+`, t.data FROM evaluation_templates t WHERE t.id = $1`, id)
	var t evaluation.TemplateInfo
	var cats, data string
	var created int64
	err := row.Scan(&t.ID, &t.Code, &t.Version, &t.Name, &cats, &t.ScaleCode, &t.Items, &t.Note, &t.CreatedBy, &created,
		&t.InUse, &data)
	if err != nil {
		return t, nil, notFound(err)
	}
	t.Categories, t.CreatedAt = strings.Split(cats, ","), ms(created)
	return t, []byte(data), nil
}

// CreateEvaluationTemplate inserts a version. The (code, version) pair is
// unique: a version number taken by a concurrent edit gives
// apperr.ErrConflict and nothing is written.
func (db *DB) CreateEvaluationTemplate(ctx context.Context, nt evaluation.NewTemplate, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		i := nt.Info
		err := tx.QueryRowContext(ctx, `INSERT INTO evaluation_templates (code, version, name, categories, scale_code, items,
			note, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			i.Code, i.Version, i.Name, strings.Join(i.Categories, ","), i.ScaleCode, i.Items, i.Note, string(nt.Data),
			nullID(i.CreatedBy), db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: insert template: %w", err)
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// ---- self-checks ----

const evalCheckSelect = `SELECT k.id, k.unit_id, k.category, COALESCE(k.handler_id, 0), COALESCE(kh.name, ''),
	COALESCE(k.department_id, 0), COALESCE(kd.name, ''), k.template_id, t.name, t.version, k.closed_on, k.due_on,
	k.due_basis, k.due_steps, k.beyond_calendar, k.status, k.submitted_on, k.summary, COALESCE(k.verifier_id, 0),
	COALESCE(kv.name, ''), k.verified_on, k.verify_note, k.created_at, k.version, ` + evalCaseColumns + `
	FROM evaluation_checks k JOIN evaluation_templates t ON t.id = k.template_id JOIN cases c ON c.id = k.case_id` +
	evalCaseJoins + `
	LEFT JOIN users kh ON kh.id = k.handler_id LEFT JOIN departments kd ON kd.id = k.department_id
	LEFT JOIN users kv ON kv.id = k.verifier_id`

func scanEvalCheck(sc interface{ Scan(...any) error }) (evaluation.SelfCheck, error) {
	var k evaluation.SelfCheck
	var steps string
	var created int64
	dest := []any{&k.ID, &k.UnitID, &k.Category, &k.HandlerID, &k.HandlerName, &k.DepartmentID, &k.DepartmentName,
		&k.TemplateID, &k.TemplateName, &k.TemplateVer, &k.ClosedOn, &k.DueOn, &k.DueBasis, &steps, &k.BeyondCalendar,
		&k.Status, &k.SubmittedOn, &k.Summary, &k.VerifierID, &k.VerifierName, &k.VerifiedOn, &k.VerifyNote, &created,
		&k.Version}
	dest = append(dest, evalCaseDest(&k.Case)...)
	if err := sc.Scan(dest...); err != nil {
		return k, err
	}
	k.CreatedAt = ms(created)
	if err := json.Unmarshal([]byte(steps), &k.DueSteps); err != nil {
		return k, fmt.Errorf("store: self-check %d steps: %w", k.ID, err)
	}
	return k, nil
}

// ClosedCasesWithoutSelfCheck lists closed cases after afterID, closed on
// or after since, that have no self-check.
func (db *DB) ClosedCasesWithoutSelfCheck(ctx context.Context, since string, afterID int64, limit int) ([]evaluation.CaseFacts, error) {
	var out []evaluation.CaseFacts
	err := evalRows(ctx, db.r, `SELECT `+evalCaseColumns+` FROM cases c`+evalCaseJoins+`
		WHERE c.status = 'closed' AND c.closed_on >= $1 AND c.id > $2
		AND NOT EXISTS (SELECT 1 FROM evaluation_checks k WHERE k.case_id = c.id)
		ORDER BY c.id LIMIT $3`, []any{since, afterID, limit}, func(rows *sql.Rows) error {
		var c evaluation.CaseFacts
		if err := rows.Scan(evalCaseDest(&c)...); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// CreateSelfChecks inserts self-check tasks, each with its audit entry, in
// one transaction; a case that has one already is skipped (id 0).
func (db *DB) CreateSelfChecks(ctx context.Context, cs []evaluation.NewSelfCheck) ([]int64, error) {
	ids := make([]int64, len(cs))
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		audits := make([]audit.Record, 0, len(cs))
		for i, nc := range cs {
			k := nc.Check
			steps, err := json.Marshal(k.DueSteps)
			if err != nil {
				return err
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO evaluation_checks (case_id, unit_id, category, handler_id,
				department_id, template_id, closed_on, due_on, due_basis, due_steps, beyond_calendar, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
				ON CONFLICT (case_id) DO NOTHING RETURNING id`,
				k.Case.ID, k.UnitID, k.Category, nullID(k.HandlerID), nullID(k.DepartmentID), k.TemplateID, k.ClosedOn,
				k.DueOn, k.DueBasis, string(steps), k.BeyondCalendar, k.Status, now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("store: insert self-check: %w", err)
			}
			a := nc.Audit
			a.ObjectID = itoa(id)
			audits = append(audits, a)
			ids[i] = id
		}
		return db.appendAudits(ctx, tx, audits)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// checkItems loads the findings of self-checks, by check id.
func (db *DB) checkItems(ctx context.Context, q querier, ids []int64) (map[int64][]evaluation.Finding, error) {
	out := map[int64][]evaluation.Finding{}
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	evalIn(w, "check_id", ids)
	err := evalRows(ctx, q, `SELECT check_id, source, item_code, option_code, class, deduction, aspect, title, note,
		verdict, verdict_reason FROM evaluation_check_items WHERE `+w.sql()+` ORDER BY check_id, source DESC, item_code`,
		w.args, func(rows *sql.Rows) error {
			var id int64
			var f evaluation.Finding
			if err := rows.Scan(&id, &f.Source, &f.ItemCode, &f.Option, &f.Class, &f.Deduction, &f.Aspect, &f.Title,
				&f.Note, &f.Verdict, &f.VerdictReason); err != nil {
				return err
			}
			out[id] = append(out[id], f)
			return nil
		})
	return out, err
}

func (db *DB) oneCheck(ctx context.Context, cond string, arg any) (evaluation.SelfCheck, error) {
	k, err := scanEvalCheck(db.r.QueryRowContext(ctx, evalCheckSelect+` WHERE `+cond, arg))
	if err != nil {
		return k, notFound(err)
	}
	items, err := db.checkItems(ctx, db.r, []int64{k.ID})
	k.Findings = items[k.ID]
	return k, err
}

// SelfCheck loads one self-check with its findings.
func (db *DB) SelfCheck(ctx context.Context, id int64) (evaluation.SelfCheck, error) {
	return db.oneCheck(ctx, `k.id = $1`, id)
}

// SelfCheckOfCase loads the self-check of a case.
func (db *DB) SelfCheckOfCase(ctx context.Context, caseID int64) (evaluation.SelfCheck, error) {
	return db.oneCheck(ctx, `k.case_id = $1`, caseID)
}

const sqlInsertCheckItem = `INSERT INTO evaluation_check_items (check_id, source, item_code, option_code, class,
	deduction, aspect, title, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// SaveSelfCheck applies a change: the state guarded by the version read,
// the findings of one source replaced, the verdicts set, and the audit
// entry, in one transaction.
func (db *DB) SaveSelfCheck(ctx context.Context, ch evaluation.CheckChange, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		k := ch.Check
		res, err := tx.ExecContext(ctx, `UPDATE evaluation_checks SET status = $1, submitted_on = $2, summary = $3,
			verifier_id = $4, verified_on = $5, verify_note = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			ch.Status, ch.SubmittedOn, ch.Summary, nullID(ch.VerifierID), ch.VerifiedOn, ch.VerifyNote, k.ID, k.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrConflict
		}
		if ch.Replace != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM evaluation_check_items WHERE check_id = $1 AND source = $2`,
				k.ID, ch.Replace); err != nil {
				return err
			}
			for _, f := range ch.Findings {
				if _, err := tx.ExecContext(ctx, sqlInsertCheckItem, k.ID, ch.Replace, f.ItemCode, f.Option, f.Class,
					f.Deduction, f.Aspect, f.Title, f.Note); err != nil {
					return err
				}
			}
		}
		for _, f := range ch.Verdicts {
			if _, err := tx.ExecContext(ctx, `UPDATE evaluation_check_items SET verdict = $1, verdict_reason = $2
				WHERE check_id = $3 AND source = $4 AND item_code = $5`, f.Verdict, f.VerdictReason, k.ID,
				evaluation.SourceSelf, f.ItemCode); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// ListSelfChecks returns one page of self-checks in scope, the most urgent
// first (due date, then id), with their findings.
func (db *DB) ListSelfChecks(ctx context.Context, s access.QualityScope, f evaluation.CheckFilter) ([]evaluation.SelfCheck, string, error) {
	w := &where{}
	qualityWhere(w, s, "k.unit_id", "k.department_id", "k.handler_id")
	if f.Status != "" {
		w.add("k.status = $%d", f.Status)
	}
	if f.Overdue {
		w.add("k.status = $%d", evaluation.CheckPending)
		w.add("k.due_on < $%d", f.Today)
	}
	if f.HandlerID != 0 {
		w.add("k.handler_id = $%d", f.HandlerID)
	}
	if f.DepartmentID != 0 {
		w.add("k.department_id = $%d", f.DepartmentID)
	}
	if f.ClosedFrom != "" {
		w.add("k.closed_on >= $%d", f.ClosedFrom)
	}
	if f.ClosedTo != "" {
		w.add("k.closed_on <= $%d", f.ClosedTo)
	}
	if f.After != "" {
		due, id, err := decodeCursor(f.After)
		if err != nil {
			return nil, "", apperr.Invalid("next", "err.cursor_invalid")
		}
		w.add("(k.due_on > $%d OR (k.due_on = $%d AND k.id > $%d))", due, due, id)
	}
	w.args = append(w.args, f.Limit+1)
	rows, err := db.r.QueryContext(ctx, evalCheckSelect+` WHERE `+w.sql()+
		fmt.Sprintf(` ORDER BY k.due_on, k.id LIMIT $%d`, len(w.args)), w.args...)
	if err != nil {
		return nil, "", err
	}
	out, next, err := keysetPage(rows, f.Limit, func(r *sql.Rows) (evaluation.SelfCheck, error) { return scanEvalCheck(r) },
		func(k evaluation.SelfCheck) (string, int64) { return k.DueOn, k.ID })
	if err != nil || len(out) == 0 {
		return out, next, err
	}
	ids := make([]int64, len(out))
	for i, k := range out {
		ids[i] = k.ID
	}
	items, err := db.checkItems(ctx, db.r, ids)
	for i := range out {
		out[i].Findings = items[out[i].ID]
	}
	return out, next, err
}
