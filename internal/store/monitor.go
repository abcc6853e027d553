package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/monitor"
)

// The database implements the monitoring service's store.
var _ monitor.Store = (*DB)(nil)

// monitorCaseColumns and monitorCaseJoins read monitor.CaseFacts of case c;
// custody is that of any party (the deadline engine reads it).
const monitorCaseColumns = `c.id, c.unit_id, u.path, u.name, c.category, g.criminal, c.name, COALESCE(c.stage_no, ''),
	COALESCE(c.uniform_no, ''), c.status, c.fast_track,
	EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND p.custody = TRUE), c.sealed, c.charges,
	COALESCE(c.department_id, 0), COALESCE(cd.name, ''), COALESCE(c.handler_id, 0), COALESCE(ch.name, ''), c.decision,
	c.received_on, c.closed_on`

const monitorCaseJoins = ` JOIN units u ON u.id = c.unit_id JOIN categories g ON g.code = c.category
	LEFT JOIN departments cd ON cd.id = c.department_id LEFT JOIN users ch ON ch.id = c.handler_id`

func monitorCaseDest(c *monitor.CaseFacts, charges *string) []any {
	return []any{&c.ID, &c.UnitID, &c.UnitPath, &c.UnitName, &c.Category, &c.Criminal, &c.Name, &c.StageNo, &c.UniformNo,
		&c.Status, &c.FastTrack, &c.InCustody, &c.Sealed, charges, &c.DepartmentID, &c.DepartmentName, &c.HandlerID,
		&c.HandlerName, &c.Decision, &c.ReceivedOn, &c.ClosedOn}
}

func monitorCharges(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "、")
}

// MonitorCase loads the facts of one case (no access check: the service
// does that).
func (db *DB) MonitorCase(ctx context.Context, caseID int64) (monitor.CaseFacts, error) {
	var c monitor.CaseFacts
	var charges string
	err := db.r.QueryRowContext(ctx, `SELECT `+monitorCaseColumns+` FROM cases c`+monitorCaseJoins+` WHERE c.id = $1`, caseID).
		Scan(monitorCaseDest(&c, &charges)...)
	c.Charges = monitorCharges(charges)
	return c, notFound(err)
}

// monitorFindingSelect reads a finding with its case as it stands now and its
// notice, if any (the notice columns are zero without one).
const monitorFindingSelect = `SELECT f.id, f.unit_id, f.rule_id, COALESCE(f.dedup_key, ''), f.area, f.severity, f.detail_key,
	f.detail_args, f.description, COALESCE(f.department_id, 0), COALESCE(fd.name, ''), COALESCE(f.handler_id, 0),
	COALESCE(fh.name, ''), f.step, f.status, f.reported, f.escalated, f.transferred, f.detected_on, f.closed_on,
	COALESCE(f.created_by, 0), f.created_at, f.version,
	COALESCE(n.id, 0), COALESCE(n.year, 0), COALESCE(n.seq, 0), COALESCE(n.number, ''), COALESCE(n.department_id, 0),
	COALESCE(nd.name, ''), COALESCE(n.requested_action, ''), COALESCE(n.issued_on, ''), COALESCE(n.reply_due, ''),
	COALESCE(n.reply_basis, ''), COALESCE(n.issued_by, 0), COALESCE(n.replied_on, ''), COALESCE(n.reply_text, ''),
	COALESCE(n.replied_by, 0), COALESCE(n.reply_days, 0), COALESCE(n.created_at, 0), ` + monitorCaseColumns + `
	FROM monitor_findings f JOIN cases c ON c.id = f.case_id` + monitorCaseJoins + `
	LEFT JOIN departments fd ON fd.id = f.department_id LEFT JOIN users fh ON fh.id = f.handler_id
	LEFT JOIN monitor_notices n ON n.finding_id = f.id LEFT JOIN departments nd ON nd.id = n.department_id`

func scanMonitorFinding(sc interface{ Scan(...any) error }) (monitor.Finding, error) {
	var f monitor.Finding
	var n monitor.Notice
	var args, charges string
	var created, noticeCreated int64
	dest := []any{&f.ID, &f.UnitID, &f.RuleID, &f.DedupKey, &f.Area, &f.Severity, &f.DetailKey, &args, &f.Description,
		&f.DepartmentID, &f.DepartmentName, &f.HandlerID, &f.HandlerName, &f.Step, &f.Status, &f.Reported,
		&f.Escalated, &f.Transferred, &f.DetectedOn, &f.ClosedOn, &f.CreatedBy, &created, &f.Version,
		&n.ID, &n.Year, &n.Seq, &n.Number, &n.DepartmentID, &n.DepartmentName, &n.RequestedAction, &n.IssuedOn,
		&n.ReplyDue, &n.ReplyBasis, &n.IssuedBy, &n.RepliedOn, &n.ReplyText, &n.RepliedBy, &n.ReplyDays, &noticeCreated}
	dest = append(dest, monitorCaseDest(&f.Case, &charges)...)
	if err := sc.Scan(dest...); err != nil {
		return f, err
	}
	f.Case.Charges = monitorCharges(charges)
	f.CreatedAt = ms(created)
	if err := json.Unmarshal([]byte(args), &f.Args); err != nil {
		return f, fmt.Errorf("store: finding %d detail: %w", f.ID, err)
	}
	if n.ID != 0 {
		n.FindingID, n.UnitID, n.CreatedAt = f.ID, f.UnitID, ms(noticeCreated)
		f.Notice = &n
	}
	return f, nil
}

// MonitorFinding loads one finding (no access check: the service does that).
func (db *DB) MonitorFinding(ctx context.Context, id int64) (monitor.Finding, error) {
	f, err := scanMonitorFinding(db.r.QueryRowContext(ctx, monitorFindingSelect+` WHERE f.id = $1`, id))
	return f, notFound(err)
}

const sqlInsertMonitorFinding = `INSERT INTO monitor_findings (unit_id, case_id, rule_id, dedup_key, area, severity, detail_key,
		detail_args, description, department_id, handler_id, step, status, detected_on, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (dedup_key) DO NOTHING RETURNING id`

const sqlInsertMonitorAction = `INSERT INTO monitor_actions (finding_id, unit_id, kind, step, status, note, actor_id, acted_on, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// CreateMonitorFindings inserts findings, each with its "detect" action
// and its audit entry, in one transaction. A finding whose dedup key is on
// file already (open or closed) is skipped: its id is 0.
func (db *DB) CreateMonitorFindings(ctx context.Context, fs []monitor.NewFinding) ([]int64, error) {
	ids := make([]int64, len(fs))
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		for i, nf := range fs {
			f := nf.Finding
			args, err := json.Marshal(f.Args)
			if err != nil {
				return err
			}
			if f.Args == nil {
				args = []byte("[]")
			}
			var id int64
			err = tx.QueryRowContext(ctx, sqlInsertMonitorFinding, f.UnitID, f.Case.ID, f.RuleID, nullString(f.DedupKey), f.Area,
				f.Severity, f.DetailKey, string(args), f.Description, nullID(f.DepartmentID), nullID(f.HandlerID), f.Step,
				f.Status, f.DetectedOn, nullID(f.CreatedBy), now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // on file already: the key is unique for ever
			}
			if err != nil {
				return fmt.Errorf("store: insert finding: %w", err)
			}
			if _, err := tx.ExecContext(ctx, sqlInsertMonitorAction, id, f.UnitID, monitor.ActDetect, f.Step, f.Status, "",
				nullID(f.CreatedBy), f.DetectedOn, now); err != nil {
				return err
			}
			a := nf.Audit
			a.ObjectID = itoa(id)
			if err := db.appendAudit(ctx, tx, a); err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// MonitorAct applies one action: the finding's new state guarded by the
// version read (a concurrent action gives apperr.ErrConflict), the notice
// numbered from the gapless sequence of its unit and year, or the reply,
// the action row and the audit entry, in one transaction. It returns the
// notice issued, if any.
func (db *DB) MonitorAct(ctx context.Context, ch monitor.Change, a audit.Record) (monitor.Notice, error) {
	var out monitor.Notice
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		s, f := ch.Next, ch.Finding
		res, err := tx.ExecContext(ctx, `UPDATE monitor_findings SET step = $1, status = $2, reported = $3, escalated = $4,
			transferred = $5, closed_on = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			s.Step, s.Status, s.Reported, s.Escalated, s.Transferred, s.ClosedOn, f.ID, f.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrConflict
		}
		if ch.Notice != nil {
			if out, err = db.issueMonitorNotice(ctx, tx, *ch.Notice, now); err != nil {
				return err
			}
			a.Detail += " number=" + out.Number + " reply_due=" + out.ReplyDue
		}
		if r := ch.Reply; r != nil {
			res, err := tx.ExecContext(ctx, `UPDATE monitor_notices SET replied_on = $1, reply_text = $2, replied_by = $3,
				reply_days = $4 WHERE finding_id = $5 AND replied_on = ''`, r.On, r.Text, r.By, r.Days, f.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.ErrConflict
			}
		}
		act := ch.Action
		if _, err := tx.ExecContext(ctx, sqlInsertMonitorAction, f.ID, f.UnitID, act.Kind, act.Step, act.Status, act.Note,
			nullID(act.ActorID), act.ActedOn, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
	return out, err
}

// issueMonitorNotice numbers and inserts a notice inside tx. The number comes
// from number_sequences like case numbers: no gap, no duplicate, also
// under concurrent issue on either engine.
func (db *DB) issueMonitorNotice(ctx context.Context, tx *sql.Tx, n monitor.Notice, now int64) (monitor.Notice, error) {
	var short string
	if err := tx.QueryRowContext(ctx, `SELECT short_name FROM units WHERE id = $1`, n.UnitID).Scan(&short); err != nil {
		return n, notFound(err)
	}
	seq, err := db.nextNumber(ctx, tx, n.UnitID, monitor.NoticeScope, n.Year)
	if err != nil {
		return n, err
	}
	n.Seq, n.Number, n.CreatedAt = seq, monitor.NoticeNumber(short, n.Year, seq), ms(now)
	err = tx.QueryRowContext(ctx, `INSERT INTO monitor_notices (finding_id, unit_id, year, seq, number, department_id,
		requested_action, issued_on, reply_due, reply_basis, issued_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		n.FindingID, n.UnitID, n.Year, n.Seq, n.Number, n.DepartmentID, n.RequestedAction, n.IssuedOn, n.ReplyDue,
		n.ReplyBasis, n.IssuedBy, now).Scan(&n.ID)
	if err != nil {
		return n, fmt.Errorf("store: insert notice: %w", err)
	}
	return n, nil
}
