package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/evaluation"
)

// evalRecordSelect reads a record with its case as it stands now and the
// names of those responsible and of the evaluator.
const evalRecordSelect = `SELECT r.id, r.activity_id, r.unit_id, r.category, r.template_id, COALESCE(r.handler_id, 0),
	COALESCE(rh.name, ''), COALESCE(r.department_id, 0), COALESCE(rd.name, ''), r.selection, r.selection_reason,
	r.selected_on, COALESCE(r.evaluator_id, 0), COALESCE(re.name, ''), r.assigned_on, r.assign_explanation, r.status,
	r.suggested_grade, r.proposed_grade, r.proposed_reasons, r.proposed_on, r.deduction, r.response_due, r.response,
	r.response_reason, r.responded_on, COALESCE(r.decided_by, 0), r.decision_reason, r.decided_on, r.final_grade,
	r.final_on, r.closed_on, r.version, ` + evalCaseColumns + `
	FROM evaluation_records r JOIN cases c ON c.id = r.case_id` + evalCaseJoins + `
	LEFT JOIN users rh ON rh.id = r.handler_id LEFT JOIN departments rd ON rd.id = r.department_id
	LEFT JOIN users re ON re.id = r.evaluator_id`

func scanEvalRecord(sc interface{ Scan(...any) error }) (evaluation.Record, error) {
	var r evaluation.Record
	s := &r.State
	dest := []any{&r.ID, &r.ActivityID, &r.UnitID, &r.Category, &r.TemplateID, &r.HandlerID, &r.HandlerName,
		&r.DepartmentID, &r.DepartmentName, &r.Selection, &r.SelectionReason, &r.SelectedOn, &r.EvaluatorID,
		&r.EvaluatorName, &r.AssignedOn, &r.AssignExplanation, &s.Status, &s.SuggestedGrade, &s.ProposedGrade,
		&s.ProposedReasons, &s.ProposedOn, &s.Deduction, &s.ResponseDue, &s.Response, &s.ResponseReason, &s.RespondedOn,
		&s.DecidedBy, &s.DecisionReason, &s.DecidedOn, &s.FinalGrade, &s.FinalOn, &s.ClosedOn, &r.Version}
	dest = append(dest, evalCaseDest(&r.Case)...)
	err := sc.Scan(dest...)
	return r, err
}

// records runs a record query and loads the findings (and follow-ups when
// asked) of the rows.
func (db *DB) records(ctx context.Context, q querier, query string, args []any, followups bool) ([]evaluation.Record, error) {
	var out []evaluation.Record
	err := evalRows(ctx, q, query, args, func(rows *sql.Rows) error {
		r, err := scanEvalRecord(rows)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, db.recordDetails(ctx, q, out, followups)
}

// recordDetails loads the findings (and follow-ups) of records.
func (db *DB) recordDetails(ctx context.Context, q querier, recs []evaluation.Record, followups bool) error {
	if len(recs) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		at[r.ID], ids[i] = i, r.ID
	}
	w := &where{}
	evalIn(w, "record_id", ids)
	err := evalRows(ctx, q, `SELECT record_id, item_code, option_code, class, deduction, aspect, title, note, objected,
		objection, overturned, decision_note FROM evaluation_record_items WHERE `+w.sql()+` ORDER BY record_id, item_code`,
		w.args, func(rows *sql.Rows) error {
			var id int64
			var f evaluation.Finding
			if err := rows.Scan(&id, &f.ItemCode, &f.Option, &f.Class, &f.Deduction, &f.Aspect, &f.Title, &f.Note,
				&f.Objected, &f.Objection, &f.Overturned, &f.DecisionNote); err != nil {
				return err
			}
			recs[at[id]].Findings = append(recs[at[id]].Findings, f)
			return nil
		})
	if err != nil || !followups {
		return err
	}
	w = &where{}
	evalIn(w, "f.record_id", ids)
	return evalRows(ctx, q, `SELECT f.id, f.record_id, f.kind, f.note, f.actor_id, u.name, f.acted_on, f.at
		FROM evaluation_followups f JOIN users u ON u.id = f.actor_id WHERE `+w.sql()+` ORDER BY f.record_id, f.id`,
		w.args, func(rows *sql.Rows) error {
			var f evaluation.FollowUp
			var at2 int64
			if err := rows.Scan(&f.ID, &f.RecordID, &f.Kind, &f.Note, &f.ActorID, &f.ActorName, &f.ActedOn, &at2); err != nil {
				return err
			}
			f.At = ms(at2)
			recs[at[f.RecordID]].FollowUps = append(recs[at[f.RecordID]].FollowUps, f)
			return nil
		})
}

// EvaluationRecord loads one record with its findings, follow-ups and
// actions.
func (db *DB) EvaluationRecord(ctx context.Context, id int64) (evaluation.Record, error) {
	recs, err := db.records(ctx, db.r, evalRecordSelect+` WHERE r.id = $1`, []any{id}, true)
	if err != nil {
		return evaluation.Record{}, err
	}
	if len(recs) == 0 {
		return evaluation.Record{}, apperr.ErrNotFound
	}
	r := recs[0]
	err = evalRows(ctx, db.r, `SELECT a.id, a.record_id, a.kind, a.status, a.note, COALESCE(a.actor_id, 0),
		COALESCE(u.name, ''), a.acted_on, a.at FROM evaluation_actions a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.record_id = $1 ORDER BY a.id`, []any{id}, func(rows *sql.Rows) error {
		var a evaluation.Action
		var at int64
		if err := rows.Scan(&a.ID, &a.RecordID, &a.Kind, &a.Status, &a.Note, &a.ActorID, &a.ActorName, &a.ActedOn,
			&at); err != nil {
			return err
		}
		a.At = ms(at)
		r.Actions = append(r.Actions, a)
		return nil
	})
	return r, err
}

// EvaluationRecords loads the records of an activity with findings and
// follow-ups, in id order.
func (db *DB) EvaluationRecords(ctx context.Context, activityID int64) ([]evaluation.Record, error) {
	return db.records(ctx, db.r, evalRecordSelect+` WHERE r.activity_id = $1 ORDER BY r.id`, []any{activityID}, true)
}

// CaseEvaluationRecords loads every record of a case, newest first.
func (db *DB) CaseEvaluationRecords(ctx context.Context, caseID int64) ([]evaluation.Record, error) {
	return db.records(ctx, db.r, evalRecordSelect+` WHERE r.case_id = $1 ORDER BY r.id DESC`, []any{caseID}, true)
}

// ListEvaluationRecords returns one page of records in scope, newest
// drawn first, with their findings.
func (db *DB) ListEvaluationRecords(ctx context.Context, s evaluation.RecordScope, f evaluation.RecordFilter) ([]evaluation.Record, string, error) {
	// The scope is a disjunction: the quality scope over the case, or the
	// activity's organising unit, or membership.
	var ors []string
	var args []any
	if !s.Quality.None() {
		q := &where{}
		qualityWhere(q, s.Quality, "r.unit_id", "r.department_id", "r.handler_id")
		ors = append(ors, "("+renumber(q.sql())+")")
		args = append(args, q.args...)
	}
	w := &where{}
	if s.OrganiserUnitID != 0 {
		ors = append(ors, "EXISTS (SELECT 1 FROM evaluation_activities a WHERE a.id = r.activity_id AND a.unit_id = $%d)")
		args = append(args, s.OrganiserUnitID)
	}
	if s.UserID != 0 {
		ors = append(ors, "r.evaluator_id = $%d",
			"EXISTS (SELECT 1 FROM evaluation_activities a WHERE a.id = r.activity_id AND a.leader_id = $%d)",
			"EXISTS (SELECT 1 FROM evaluation_members m WHERE m.activity_id = r.activity_id AND m.user_id = $%d"+
				" AND m.role = 'committee')")
		args = append(args, s.UserID, s.UserID, s.UserID)
	}
	if len(ors) == 0 {
		return nil, "", nil
	}
	w.add("("+strings.Join(ors, " OR ")+")", args...)
	if f.ActivityID != 0 {
		w.add("r.activity_id = $%d", f.ActivityID)
	}
	if f.EvaluatorID != 0 {
		w.add("r.evaluator_id = $%d", f.EvaluatorID)
	}
	if f.HandlerID != 0 {
		w.add("r.handler_id = $%d", f.HandlerID)
	}
	if f.Status != "" {
		w.add("r.status = $%d", f.Status)
	}
	if f.After != "" {
		day, id, err := decodeCursor(f.After)
		if err != nil {
			return nil, "", apperr.Invalid("next", "err.cursor_invalid")
		}
		w.add("(r.selected_on < $%d OR (r.selected_on = $%d AND r.id < $%d))", day, day, id)
	}
	w.args = append(w.args, f.Limit+1)
	rows, err := db.r.QueryContext(ctx, evalRecordSelect+` WHERE `+w.sql()+
		fmt.Sprintf(` ORDER BY r.selected_on DESC, r.id DESC LIMIT $%d`, len(w.args)), w.args...)
	if err != nil {
		return nil, "", err
	}
	out, next, err := keysetPage(rows, f.Limit, func(r *sql.Rows) (evaluation.Record, error) { return scanEvalRecord(r) },
		func(r evaluation.Record) (string, int64) { return r.SelectedOn, r.ID })
	if err != nil {
		return nil, "", err
	}
	return out, next, db.recordDetails(ctx, db.r, out, false)
}

// renumber turns the $n placeholders of a condition built on its own back
// into %d verbs, so it can be added to another builder in order.
func renumber(cond string) string {
	var b strings.Builder
	for i := 0; i < len(cond); i++ {
		if cond[i] == '$' && i+1 < len(cond) && cond[i+1] >= '0' && cond[i+1] <= '9' {
			b.WriteString("$%d")
			for i+1 < len(cond) && cond[i+1] >= '0' && cond[i+1] <= '9' {
				i++
			}
			continue
		}
		b.WriteByte(cond[i])
	}
	return b.String()
}

const sqlInsertRecordItem = `INSERT INTO evaluation_record_items (record_id, item_code, option_code, class, deduction,
	aspect, title, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// EvaluationAct applies one step on a record: its state guarded by the
// version read, its findings replaced or their objection and decision
// fields set, a follow-up, the action row and the audit entry, in one
// transaction.
func (db *DB) EvaluationAct(ctx context.Context, ch evaluation.RecordChange, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		r, s := ch.Record, ch.Next
		res, err := tx.ExecContext(ctx, `UPDATE evaluation_records SET status = $1, suggested_grade = $2,
			proposed_grade = $3, proposed_reasons = $4, proposed_on = $5, deduction = $6, response_due = $7,
			response = $8, response_reason = $9, responded_on = $10, decided_by = $11, decision_reason = $12,
			decided_on = $13, final_grade = $14, final_on = $15, closed_on = $16, version = version + 1
			WHERE id = $17 AND version = $18`,
			s.Status, s.SuggestedGrade, s.ProposedGrade, s.ProposedReasons, s.ProposedOn, s.Deduction, s.ResponseDue,
			s.Response, s.ResponseReason, s.RespondedOn, nullID(s.DecidedBy), s.DecisionReason, s.DecidedOn,
			s.FinalGrade, s.FinalOn, s.ClosedOn, r.ID, r.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrConflict
		}
		if ch.ReplaceFindings {
			if _, err := tx.ExecContext(ctx, `DELETE FROM evaluation_record_items WHERE record_id = $1`, r.ID); err != nil {
				return err
			}
			for _, f := range ch.Findings {
				if _, err := tx.ExecContext(ctx, sqlInsertRecordItem, r.ID, f.ItemCode, f.Option, f.Class, f.Deduction,
					f.Aspect, f.Title, f.Note); err != nil {
					return err
				}
			}
		}
		for _, f := range ch.Items {
			if _, err := tx.ExecContext(ctx, `UPDATE evaluation_record_items SET objected = $1, objection = $2,
				overturned = $3, decision_note = $4 WHERE record_id = $5 AND item_code = $6`,
				f.Objected, f.Objection, f.Overturned, f.DecisionNote, r.ID, f.ItemCode); err != nil {
				return err
			}
		}
		if fu := ch.FollowUp; fu != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_followups (record_id, kind, note, actor_id, acted_on,
				at) VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, fu.Kind, fu.Note, fu.ActorID, fu.ActedOn, now); err != nil {
				return err
			}
		}
		act := ch.Action
		if _, err := tx.ExecContext(ctx, sqlInsertEvalAction, r.ID, r.ActivityID, act.Kind, act.Status, act.Note,
			nullID(act.ActorID), act.ActedOn, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// OverdueEvaluationResponses lists proposed records whose response period
// ended before today, oldest due first.
func (db *DB) OverdueEvaluationResponses(ctx context.Context, today string, limit int) ([]evaluation.Record, error) {
	return db.records(ctx, db.r, evalRecordSelect+` WHERE r.status = $1 AND r.response_due < $2
		ORDER BY r.response_due, r.id LIMIT $3`, []any{evaluation.StatusProposed, today, limit}, true)
}
