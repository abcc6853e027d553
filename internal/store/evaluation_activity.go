package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/evaluation"
)

// EvaluationPeople loads users by id with their roles; unknown ids are left
// out.
func (db *DB) EvaluationPeople(ctx context.Context, ids []int64) ([]evaluation.Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	w := &where{}
	evalIn(w, "u.id", ids)
	var out []evaluation.Person
	at := map[int64]int{}
	err := evalRows(ctx, db.r, `SELECT u.id, u.username, u.name, u.unit_id, n.path, n.name, COALESCE(u.department_id, 0),
		u.disabled FROM users u JOIN units n ON n.id = u.unit_id WHERE `+w.sql()+` ORDER BY u.id`, w.args,
		func(rows *sql.Rows) error {
			var p evaluation.Person
			if err := rows.Scan(&p.ID, &p.Username, &p.Name, &p.UnitID, &p.UnitPath, &p.UnitName, &p.DepartmentID,
				&p.Disabled); err != nil {
				return err
			}
			at[p.ID] = len(out)
			out = append(out, p)
			return nil
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	w = &where{}
	evalIn(w, "user_id", ids)
	err = evalRows(ctx, db.r, `SELECT user_id, role FROM user_roles WHERE `+w.sql()+` ORDER BY user_id, role`, w.args,
		func(rows *sql.Rows) error {
			var id int64
			var r string
			if err := rows.Scan(&id, &r); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].Roles = append(out[i].Roles, access.Role(r))
			}
			return nil
		})
	return out, err
}

// EvaluationUnits loads units by id; unknown ids are left out.
func (db *DB) EvaluationUnits(ctx context.Context, ids []int64) ([]evaluation.UnitRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	w := &where{}
	evalIn(w, "id", ids)
	var out []evaluation.UnitRef
	err := evalRows(ctx, db.r, `SELECT id, name, path FROM units WHERE `+w.sql()+` ORDER BY path`, w.args,
		func(rows *sql.Rows) error {
			var u evaluation.UnitRef
			if err := rows.Scan(&u.ID, &u.Name, &u.Path); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	return out, err
}

// CreateEvaluationActivity inserts an activity with its members and audit
// entry.
func (db *DB) CreateEvaluationActivity(ctx context.Context, a evaluation.Activity, rec audit.Record) (int64, error) {
	units := make([]int64, len(a.Units))
	for i, u := range a.Units {
		units[i] = u.ID
	}
	unitsJSON, _ := json.Marshal(units)
	catsJSON, _ := json.Marshal(a.Categories)
	tplJSON, _ := json.Marshal(a.Templates)
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO evaluation_activities (unit_id, name, kind, status, scope_units,
			categories, closed_from, closed_to, scale_code, templates, leader_id, deadline, response_days, allow_aid,
			note, created_by, created_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
			a.UnitID, a.Name, a.Kind, a.Status, string(unitsJSON), string(catsJSON), a.ClosedFrom, a.ClosedTo,
			a.ScaleCode, string(tplJSON), a.LeaderID, a.Deadline, a.ResponseDays, a.AllowAid, a.Note, a.CreatedBy,
			a.CreatedOn, db.ms()).Scan(&id); err != nil {
			return fmt.Errorf("store: insert activity: %w", err)
		}
		for i, m := range a.Members {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_members (activity_id, user_id, role, position)
				VALUES ($1, $2, $3, $4)`, id, m.UserID, m.Role, i); err != nil {
				return err
			}
		}
		rec.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

const evalActivitySelect = `SELECT a.id, a.unit_id, u.name, u.path, a.name, a.kind, a.status, a.scope_units, a.categories,
	a.closed_from, a.closed_to, a.scale_code, a.templates, a.leader_id, l.name, a.deadline, a.response_days, a.allow_aid,
	a.note, a.seed, a.rate, a.population, a.population_digest, a.drawn, a.drawn_on, a.rules, a.matched, a.rule_on,
	a.created_by, a.created_on, a.created_at, a.closed_on, a.version
	FROM evaluation_activities a JOIN units u ON u.id = a.unit_id JOIN users l ON l.id = a.leader_id`

// activityRow holds the JSON columns of an activity until they are parsed.
type activityRow struct {
	units, cats, templates, rules string
}

func scanEvalActivity(sc interface{ Scan(...any) error }) (evaluation.Activity, activityRow, error) {
	var a evaluation.Activity
	var r activityRow
	var created int64
	d := &a.Draw
	err := sc.Scan(&a.ID, &a.UnitID, &a.UnitName, &a.UnitPath, &a.Name, &a.Kind, &a.Status, &r.units, &r.cats,
		&a.ClosedFrom, &a.ClosedTo, &a.ScaleCode, &r.templates, &a.LeaderID, &a.Leader, &a.Deadline, &a.ResponseDays,
		&a.AllowAid, &a.Note, &d.Seed, &d.Rate, &d.Population, &d.Digest, &d.Drawn, &d.DrawnOn, &r.rules, &d.Matched,
		&d.RuleOn, &a.CreatedBy, &a.CreatedOn, &created, &a.ClosedOn, &a.Version)
	a.CreatedAt = ms(created)
	return a, r, err
}

// fillActivity parses the JSON columns and loads the scope units' names,
// the members and the record counts.
func (db *DB) fillActivity(ctx context.Context, a *evaluation.Activity, r activityRow) error {
	var units []int64
	if err := json.Unmarshal([]byte(r.units), &units); err != nil {
		return fmt.Errorf("store: activity %d units: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(r.cats), &a.Categories); err != nil {
		return fmt.Errorf("store: activity %d categories: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(r.templates), &a.Templates); err != nil {
		return fmt.Errorf("store: activity %d templates: %w", a.ID, err)
	}
	if r.rules != "" {
		a.Draw.Rules = strings.Split(r.rules, ",")
	}
	refs, err := db.EvaluationUnits(ctx, units)
	if err != nil {
		return err
	}
	// Keep the order the plan gave.
	for _, id := range units {
		for _, u := range refs {
			if u.ID == id {
				a.Units = append(a.Units, u)
			}
		}
	}
	err = evalRows(ctx, db.r, `SELECT m.user_id, u.name, u.unit_id, n.name, m.role FROM evaluation_members m
		JOIN users u ON u.id = m.user_id JOIN units n ON n.id = u.unit_id WHERE m.activity_id = $1
		ORDER BY m.role DESC, m.position`, []any{a.ID}, func(rows *sql.Rows) error {
		var m evaluation.Member
		if err := rows.Scan(&m.UserID, &m.Name, &m.UnitID, &m.UnitName, &m.Role); err != nil {
			return err
		}
		a.Members = append(a.Members, m)
		return nil
	})
	if err != nil {
		return err
	}
	a.Records = map[evaluation.Status]int{}
	return evalRows(ctx, db.r, `SELECT status, count(*) FROM evaluation_records WHERE activity_id = $1 GROUP BY status`,
		[]any{a.ID}, func(rows *sql.Rows) error {
			var st evaluation.Status
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return err
			}
			a.Records[st] = n
			return nil
		})
}

// EvaluationActivity loads one activity with its members and record counts.
func (db *DB) EvaluationActivity(ctx context.Context, id int64) (evaluation.Activity, error) {
	a, r, err := scanEvalActivity(db.r.QueryRowContext(ctx, evalActivitySelect+` WHERE a.id = $1`, id))
	if err != nil {
		return a, notFound(err)
	}
	return a, db.fillActivity(ctx, &a, r)
}

// ListEvaluationActivities returns one page of activities in scope, newest
// first.
func (db *DB) ListEvaluationActivities(ctx context.Context, s evaluation.ActivityScope, f evaluation.ActivityFilter) ([]evaluation.Activity, string, error) {
	w := &where{}
	var ors []string
	var args []any
	or := func(cond string, v any) {
		args = append(args, v)
		ors = append(ors, cond)
	}
	if s.UnitID != 0 {
		or("a.unit_id = $%d", s.UnitID)
	}
	if s.UnitPathPrefix != "" {
		or("u.path LIKE $%d", s.UnitPathPrefix+"%")
	}
	if s.MemberID != 0 {
		or("a.leader_id = $%d", s.MemberID)
		or("EXISTS (SELECT 1 FROM evaluation_members m WHERE m.activity_id = a.id AND m.user_id = $%d)", s.MemberID)
	}
	if len(ors) == 0 {
		return nil, "", nil
	}
	w.add("("+strings.Join(ors, " OR ")+")", args...)
	if f.Status != "" {
		w.add("a.status = $%d", f.Status)
	}
	if f.Kind != "" {
		w.add("a.kind = $%d", f.Kind)
	}
	if f.After != "" {
		day, id, err := decodeCursor(f.After)
		if err != nil {
			return nil, "", apperr.Invalid("next", "err.cursor_invalid")
		}
		w.add("(a.created_on < $%d OR (a.created_on = $%d AND a.id < $%d))", day, day, id)
	}
	w.args = append(w.args, f.Limit+1)
	rows, err := db.r.QueryContext(ctx, evalActivitySelect+` WHERE `+w.sql()+
		fmt.Sprintf(` ORDER BY a.created_on DESC, a.id DESC LIMIT $%d`, len(w.args)), w.args...)
	if err != nil {
		return nil, "", err
	}
	var raw []activityRow
	out, next, err := keysetPage(rows, f.Limit, func(r *sql.Rows) (evaluation.Activity, error) {
		a, ar, err := scanEvalActivity(r)
		raw = append(raw, ar)
		return a, err
	}, func(a evaluation.Activity) (string, int64) { return a.CreatedOn, a.ID })
	if err != nil {
		return nil, "", err
	}
	for i := range out {
		if err := db.fillActivity(ctx, &out[i], raw[i]); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// updateActivity writes an activity's state and draw inside tx, guarded
// by the version read.
func updateActivity(ctx context.Context, tx *sql.Tx, ch evaluation.ActivityChange) error {
	d := ch.Draw
	res, err := tx.ExecContext(ctx, `UPDATE evaluation_activities SET status = $1, closed_on = $2, seed = $3, rate = $4,
		population = $5, population_digest = $6, drawn = $7, drawn_on = $8, rules = $9, matched = $10, rule_on = $11,
		version = version + 1 WHERE id = $12 AND version = $13`,
		ch.Status, ch.ClosedOn, d.Seed, d.Rate, d.Population, d.Digest, d.Drawn, d.DrawnOn, strings.Join(d.Rules, ","),
		d.Matched, d.RuleOn, ch.Activity.ID, ch.Activity.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.ErrConflict
	}
	return nil
}

// UpdateEvaluationActivity applies a change of state with its audit entry.
func (db *DB) UpdateEvaluationActivity(ctx context.Context, ch evaluation.ActivityChange, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if err := updateActivity(ctx, tx, ch); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, rec)
	})
}

// evalRuleSQL is the condition of each selection rule over case c (see
// evaluation.SelectionRules for what each means).
var evalRuleSQL = map[string]string{
	evaluation.RuleNPInsufficient: `c.decision = 'np_insufficient'`,
	evaluation.RuleWithdrawn:      `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.code = 'withdrawn')`,
	evaluation.RuleAcquittal: `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.code = 'judgment'
		AND e.outcome = 'acquittal')`,
	evaluation.RuleReturnedTwice: `c.returns >= 2`,
	evaluation.RuleRedDeadline: `EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id
		AND (k.state IN ('missed', 'overdue') OR k.late_days > 0))`,
	evaluation.RuleUnansweredNotice: `EXISTS (SELECT 1 FROM monitor_findings f JOIN monitor_notices n
		ON n.finding_id = f.id WHERE f.case_id = c.id AND n.replied_on = '')`,
}

// EvaluationPopulation lists the closed, unsealed cases of the query's
// units and categories (in the period unless AnyPeriod), in id order, with
// the rules each meets and whether the activity has it already.
func (db *DB) EvaluationPopulation(ctx context.Context, q evaluation.PopulationQuery) ([]evaluation.Candidate, error) {
	w := &where{}
	w.add("c.status = 'closed'")
	// Sealed juvenile records (CPL 286) are never drawn.
	w.add("c.sealed = FALSE")
	evalIn(w, "c.unit_id", q.UnitIDs)
	evalIn(w, "c.category", q.Categories)
	if !q.AnyPeriod {
		w.add("c.closed_on >= $%d", q.ClosedFrom)
		w.add("c.closed_on <= $%d", q.ClosedTo)
	}
	if len(q.CaseIDs) > 0 {
		evalIn(w, "c.id", q.CaseIDs)
	}
	cols := ""
	if len(q.Rules) > 0 {
		var ors []string
		for _, code := range q.Rules {
			cond, ok := evalRuleSQL[code]
			if !ok {
				return nil, fmt.Errorf("store: unknown selection rule %q", code)
			}
			ors = append(ors, "("+cond+")")
			cols += ", CASE WHEN " + cond + " THEN 1 ELSE 0 END"
		}
		w.add("(" + strings.Join(ors, " OR ") + ")")
	}
	w.args = append(w.args, q.ActivityID)
	sel := fmt.Sprintf(`SELECT c.id, c.unit_id, c.category, COALESCE(c.handler_id, 0), COALESCE(c.department_id, 0),
		EXISTS (SELECT 1 FROM evaluation_records r WHERE r.activity_id = $%d AND r.case_id = c.id)%s
		FROM cases c WHERE %s ORDER BY c.id`, len(w.args), cols, w.sql())
	var out []evaluation.Candidate
	err := evalRows(ctx, db.r, sel, w.args, func(rows *sql.Rows) error {
		var c evaluation.Candidate
		hits := make([]int, len(q.Rules))
		dest := []any{&c.CaseID, &c.UnitID, &c.Category, &c.HandlerID, &c.DepartmentID, &c.Selected}
		for i := range hits {
			dest = append(dest, &hits[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, h := range hits {
			if h == 1 {
				c.Rules = append(c.Rules, q.Rules[i])
			}
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

const sqlInsertEvalAction = `INSERT INTO evaluation_actions (record_id, activity_id, kind, status, note, actor_id,
	acted_on, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// AddEvaluationRecords inserts drawn records, each with its "select"
// action, and applies ch to the activity (its draw), with the audit entry,
// in one transaction.
func (db *DB) AddEvaluationRecords(ctx context.Context, ch evaluation.ActivityChange, recs []evaluation.Record, rec audit.Record) ([]int64, error) {
	ids := make([]int64, len(recs))
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := updateActivity(ctx, tx, ch); err != nil {
			return err
		}
		now := db.ms()
		for i, r := range recs {
			err := tx.QueryRowContext(ctx, `INSERT INTO evaluation_records (activity_id, case_id, unit_id, category,
				template_id, handler_id, department_id, selection, selection_reason, selected_on, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
				r.ActivityID, r.Case.ID, r.UnitID, r.Category, r.TemplateID, nullID(r.HandlerID), nullID(r.DepartmentID),
				r.Selection, r.SelectionReason, r.SelectedOn, r.Status, now).Scan(&ids[i])
			if isUnique(err) {
				return apperr.ErrConflict
			}
			if err != nil {
				return fmt.Errorf("store: insert record: %w", err)
			}
			if _, err := tx.ExecContext(ctx, sqlInsertEvalAction, ids[i], r.ActivityID, evaluation.ActSelect, r.Status,
				string(r.Selection), nullID(rec.Actor.UserID), r.SelectedOn, now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, rec)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// EvaluationConflicts reads, for each case, its unit and handler, every
// handler it was assigned to, the verifier of its self-check and everyone
// who recorded an event on it.
func (db *DB) EvaluationConflicts(ctx context.Context, caseIDs []int64) (map[int64]evaluation.Conflicts, error) {
	out := map[int64]evaluation.Conflicts{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	w := &where{}
	evalIn(w, "c.id", caseIDs)
	err := evalRows(ctx, db.r, `SELECT c.id, c.unit_id, COALESCE(c.handler_id, 0), COALESCE(k.verifier_id, 0)
		FROM cases c LEFT JOIN evaluation_checks k ON k.case_id = c.id WHERE `+w.sql(), w.args, func(rows *sql.Rows) error {
		var id int64
		var c evaluation.Conflicts
		if err := rows.Scan(&id, &c.UnitID, &c.HandlerID, &c.VerifierID); err != nil {
			return err
		}
		out[id] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	w = &where{}
	evalIn(w, "case_id", caseIDs)
	err = evalRows(ctx, db.r, `SELECT DISTINCT case_id, handler_id FROM assignments WHERE `+w.sql(), w.args,
		func(rows *sql.Rows) error {
			var id, uid int64
			if err := rows.Scan(&id, &uid); err != nil {
				return err
			}
			c := out[id]
			c.TeamIDs = append(c.TeamIDs, uid)
			out[id] = c
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = evalRows(ctx, db.r, `SELECT DISTINCT case_id, actor_id FROM case_events WHERE `+w.sql(), w.args,
		func(rows *sql.Rows) error {
			var id, uid int64
			if err := rows.Scan(&id, &uid); err != nil {
				return err
			}
			c := out[id]
			c.ActorIDs = append(c.ActorIDs, uid)
			out[id] = c
			return nil
		})
	return out, err
}

// EvaluationLoads counts the open (not closed) records assigned to each
// user, in any activity.
func (db *DB) EvaluationLoads(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(userIDs) == 0 {
		return out, nil
	}
	w := &where{}
	evalIn(w, "evaluator_id", userIDs)
	w.add("status <> $%d", evaluation.StatusClosed)
	err := evalRows(ctx, db.r, `SELECT evaluator_id, count(*) FROM evaluation_records WHERE `+w.sql()+
		` GROUP BY evaluator_id`, w.args, func(rows *sql.Rows) error {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	return out, err
}

// AssignEvaluators sets evaluators, each guarded by its record's version,
// with an "assign" action each and one audit entry, in one transaction: a
// record changed meanwhile gives apperr.ErrConflict and nothing is
// assigned.
func (db *DB) AssignEvaluators(ctx context.Context, as []evaluation.Assignment, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		for _, a := range as {
			res, err := tx.ExecContext(ctx, `UPDATE evaluation_records SET evaluator_id = $1, assigned_on = $2,
				assign_explanation = $3, status = $4, version = version + 1 WHERE id = $5 AND version = $6`,
				a.EvaluatorID, a.On, a.Explanation, evaluation.StatusScoring, a.Record.ID, a.Record.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, sqlInsertEvalAction, a.Record.ID, a.Record.ActivityID, evaluation.ActAssign,
				evaluation.StatusScoring, a.Explanation, nullID(a.ActorID), a.On, now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, rec)
	})
}
