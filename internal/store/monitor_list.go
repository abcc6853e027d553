package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/monitor"
)

// monitorScope is the scope of a finding list in SQL: the unit (or the
// subtree of an upper supervisor), narrowed to a handler for prosecutors.
func monitorScope(s access.FindingScope, unitCol string) *where { return scopeWhere(s, unitCol, "c") }

// scopeWhere turns a FindingScope into conditions over unitCol and the
// handler_id and sealed columns of the table aliased alias (a case or a
// case card).
func scopeWhere(s access.FindingScope, unitCol, alias string) *where {
	w := &where{}
	if s.UnitID != 0 {
		w.add(unitCol+" = $%d", s.UnitID)
	} else {
		w.add(unitCol+" IN (SELECT id FROM units WHERE path LIKE $%d)", s.UnitPathPrefix+"%")
	}
	if s.HandlerID != 0 {
		w.add(alias+".handler_id = $%d", s.HandlerID)
	}
	// Sealed juvenile records (CPL 286) appear only to their handler.
	w.add("("+alias+".sealed = FALSE OR "+alias+".handler_id = $%d)", s.UserID)
	return w
}

// ListMonitorFindings returns one page of findings in scope, newest first,
// and the cursor of the next page ("" at the end).
func (db *DB) ListMonitorFindings(ctx context.Context, s access.FindingScope, f monitor.Filter) ([]monitor.Finding, string, error) {
	q, args, err := findingsQuery(s, f)
	if err != nil {
		return nil, "", err
	}
	out, err := db.monitorFindings(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeIDCursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// findingsQuery is the SQL of ListMonitorFindings (also planned by the
// plan test).
func findingsQuery(s access.FindingScope, f monitor.Filter) (string, []any, error) {
	w := monitorScope(s, "f.unit_id")
	if f.Status != "" {
		w.add("f.status = $%d", f.Status)
	}
	if f.OpenOnly {
		w.add("f.status IN ($%d, $%d, $%d)", monitor.StatusOpen, monitor.StatusAwaitingReply, monitor.StatusReplied)
	}
	if f.Area != "" {
		w.add("f.area = $%d", f.Area)
	}
	if f.Severity != "" {
		w.add("f.severity = $%d", f.Severity)
	}
	if f.DepartmentID != 0 {
		w.add("f.department_id = $%d", f.DepartmentID)
	}
	if f.HandlerID != 0 {
		w.add("f.handler_id = $%d", f.HandlerID)
	}
	if f.RuleID != "" {
		w.add("f.rule_id = $%d", f.RuleID)
	}
	if f.From != "" {
		w.add("f.detected_on >= $%d", f.From)
	}
	if f.To != "" {
		w.add("f.detected_on <= $%d", f.To)
	}
	if err := w.afterID("f.id", f.After); err != nil {
		return "", nil, err
	}
	w.args = append(w.args, f.Limit+1)
	return monitorFindingSelect + ` WHERE ` + w.sql() + fmt.Sprintf(` ORDER BY f.id DESC LIMIT $%d`, len(w.args)), w.args, nil
}

const monitorActionSelect = `SELECT a.id, a.finding_id, a.kind, a.step, a.status, a.note, COALESCE(a.actor_id, 0),
	COALESCE(u.name, ''), a.acted_on, a.at`

func scanMonitorAction(rows *sql.Rows, more ...any) (monitor.Action, error) {
	var a monitor.Action
	var at int64
	dest := append([]any{&a.ID, &a.FindingID, &a.Kind, &a.Step, &a.Status, &a.Note, &a.ActorID, &a.ActorName,
		&a.ActedOn, &at}, more...)
	err := rows.Scan(dest...)
	a.At = ms(at)
	return a, err
}

// MonitorFindingDetail loads a finding with its actions and appends the
// audit entry of the read in the same transaction.
func (db *DB) MonitorFindingDetail(ctx context.Context, id int64, a audit.Record) (monitor.Detail, error) {
	var d monitor.Detail
	err := db.write(ctx, func(tx *sql.Tx) error {
		f, err := scanMonitorFinding(tx.QueryRowContext(ctx, monitorFindingSelect+` WHERE f.id = $1`, id))
		if err != nil {
			return notFound(err)
		}
		d.Finding = f
		rows, err := tx.QueryContext(ctx, monitorActionSelect+` FROM monitor_actions a
			LEFT JOIN users u ON u.id = a.actor_id WHERE a.finding_id = $1 ORDER BY a.id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			act, err := scanMonitorAction(rows)
			if err != nil {
				rows.Close()
				return err
			}
			d.Actions = append(d.Actions, act)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
	return d, err
}

// CountMonitorFindings counts open findings in scope by status, and the
// notices among them past their reply date.
func (db *DB) CountMonitorFindings(ctx context.Context, s access.FindingScope, today string) (monitor.Counts, error) {
	var out monitor.Counts
	w := monitorScope(s, "f.unit_id")
	w.add("f.status IN ($%d, $%d, $%d)", monitor.StatusOpen, monitor.StatusAwaitingReply, monitor.StatusReplied)
	err := db.monitorRows(ctx, `SELECT f.status, count(*) FROM monitor_findings f JOIN cases c ON c.id = f.case_id
		WHERE `+w.sql()+` GROUP BY f.status`, w.args, func(rows *sql.Rows) error {
		var st monitor.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		switch st {
		case monitor.StatusOpen:
			out.Open = n
		case monitor.StatusAwaitingReply:
			out.AwaitingReply = n
		case monitor.StatusReplied:
			out.Replied = n
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	w = monitorScope(s, "f.unit_id")
	w.add("f.status = $%d", monitor.StatusAwaitingReply)
	w.add("n.reply_due < $%d", today)
	err = db.r.QueryRowContext(ctx, `SELECT count(*) FROM monitor_findings f JOIN cases c ON c.id = f.case_id
		JOIN monitor_notices n ON n.finding_id = f.id WHERE `+w.sql()+` AND n.replied_on = ''`, w.args...).
		Scan(&out.ReplyOverdue)
	return out, err
}
