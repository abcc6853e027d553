package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/monitor"
)

// AddPatrolNote stores a case manager's patrol note with its audit entry.
func (db *DB) AddPatrolNote(ctx context.Context, n monitor.PatrolNote, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_patrol_notes (unit_id, day, note, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, n.UnitID, n.Day, n.Note, n.AuthorID, db.ms()).Scan(&id); err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// PatrolDay loads the patrol log of a day: every scan (a scan covers all
// units and shows only counts), and in scope the findings made, the
// actions taken and the notes written that day.
func (db *DB) PatrolDay(ctx context.Context, s access.FindingScope, day string) (monitor.PatrolLog, error) {
	out := monitor.PatrolLog{Day: day}
	err := db.monitorRows(ctx, `SELECT id, day, started_at, finished_at, cases, hits, created FROM monitor_scans
		WHERE day = $1 ORDER BY id`, []any{day}, func(rows *sql.Rows) error {
		var r monitor.ScanRun
		var started, finished int64
		if err := rows.Scan(&r.ID, &r.Day, &started, &finished, &r.Cases, &r.Hits, &r.Created); err != nil {
			return err
		}
		r.StartedAt, r.FinishedAt = ms(started), ms(finished)
		out.Scans = append(out.Scans, r)
		return nil
	})
	if err != nil {
		return out, err
	}
	w := monitorScope(s, "f.unit_id")
	w.add("f.detected_on = $%d", day)
	if out.Findings, err = db.monitorFindings(ctx, monitorFindingSelect+` WHERE `+w.sql()+` ORDER BY f.id`,
		w.args...); err != nil {
		return out, err
	}
	w = monitorScope(s, "a.unit_id")
	w.add("a.acted_on = $%d", day)
	err = db.monitorRows(ctx, monitorActionSelect+`, f.case_id, c.name, f.area, f.rule_id FROM monitor_actions a
		JOIN monitor_findings f ON f.id = a.finding_id JOIN cases c ON c.id = f.case_id
		LEFT JOIN users u ON u.id = a.actor_id WHERE `+w.sql()+` ORDER BY a.id`, w.args, func(rows *sql.Rows) error {
		var l monitor.LoggedAction
		var err error
		l.Action, err = scanMonitorAction(rows, &l.CaseID, &l.CaseName, &l.Area, &l.RuleID)
		if err != nil {
			return err
		}
		out.Actions = append(out.Actions, l)
		return nil
	})
	if err != nil {
		return out, err
	}
	// Notes belong to a unit, not to a case: only the unit part of the
	// scope applies.
	w = monitorUnitScope(s, "n.unit_id")
	w.add("n.day = $%d", day)
	err = db.monitorRows(ctx, `SELECT n.id, n.unit_id, n.day, n.note, n.author_id, u.name, n.created_at
		FROM monitor_patrol_notes n JOIN users u ON u.id = n.author_id WHERE `+w.sql()+` ORDER BY n.id`, w.args,
		func(rows *sql.Rows) error {
			var p monitor.PatrolNote
			var at int64
			if err := rows.Scan(&p.ID, &p.UnitID, &p.Day, &p.Note, &p.AuthorID, &p.AuthorName, &at); err != nil {
				return err
			}
			p.At = ms(at)
			out.Notes = append(out.Notes, p)
			return nil
		})
	return out, err
}

func monitorUnitScope(s access.FindingScope, unitCol string) *where {
	w := &where{}
	if s.UnitID != 0 {
		w.add(unitCol+" = $%d", s.UnitID)
	} else {
		w.add(unitCol+" IN (SELECT id FROM units WHERE path LIKE $%d)", s.UnitPathPrefix+"%")
	}
	return w
}

// detectedIn is the scope plus a range of detection dates.
func detectedIn(s access.FindingScope, r monitor.DateRange) *where {
	w := monitorScope(s, "f.unit_id")
	w.add("f.detected_on >= $%d", r.From)
	w.add("f.detected_on <= $%d", r.To)
	return w
}

// MonitorFindingsDetected lists the findings detected in r, oldest first.
func (db *DB) MonitorFindingsDetected(ctx context.Context, s access.FindingScope, r monitor.DateRange, limit int) ([]monitor.Finding, error) {
	w := detectedIn(s, r)
	w.args = append(w.args, limit)
	return db.monitorFindings(ctx, monitorFindingSelect+` WHERE `+w.sql()+
		fmt.Sprintf(` ORDER BY f.detected_on, f.id LIMIT $%d`, len(w.args)), w.args...)
}

// monitorGroups maps an attribute to the SQL giving its code and name. The
// ids are cast to text so every group scans alike.
var monitorGroups = map[monitor.GroupBy]struct{ code, name, join string }{
	monitor.ByArea:       {"f.area", "''", ""},
	monitor.BySeverity:   {"f.severity", "''", ""},
	monitor.ByStep:       {"f.step", "''", ""},
	monitor.ByStatus:     {"f.status", "''", ""},
	monitor.ByDepartment: {"COALESCE(CAST(f.department_id AS TEXT), '')", "COALESCE(d.name, '')", " LEFT JOIN departments d ON d.id = f.department_id"},
	monitor.ByHandler:    {"COALESCE(CAST(f.handler_id AS TEXT), '')", "COALESCE(d.name, '')", " LEFT JOIN users d ON d.id = f.handler_id"},
}

// GroupMonitorFindings counts the findings detected in r by one attribute,
// most first.
func (db *DB) GroupMonitorFindings(ctx context.Context, s access.FindingScope, r monitor.DateRange, by monitor.GroupBy) ([]monitor.CountRow, error) {
	g, ok := monitorGroups[by]
	if !ok {
		return nil, fmt.Errorf("store: unknown finding group %q", by)
	}
	w := detectedIn(s, r)
	var out []monitor.CountRow
	err := db.monitorRows(ctx, fmt.Sprintf(`SELECT %s, %s, count(*) FROM monitor_findings f JOIN cases c ON c.id = f.case_id%s
		WHERE %s GROUP BY 1, 2 ORDER BY 3 DESC, 1`, g.code, g.name, g.join, w.sql()), w.args, func(rows *sql.Rows) error {
		var row monitor.CountRow
		if err := rows.Scan(&row.Code, &row.Name, &row.Count); err != nil {
			return err
		}
		out = append(out, row)
		return nil
	})
	return out, err
}

// RecurringMonitorFindings lists the (rule, department) and (rule,
// handler) pairs with at least min findings detected in r. Findings made
// by hand have no rule and are left out: "the same problem" is the same
// rule.
func (db *DB) RecurringMonitorFindings(ctx context.Context, s access.FindingScope, r monitor.DateRange, min int) ([]monitor.Recurring, error) {
	w := detectedIn(s, r)
	w.args = append(w.args, min)
	minRef := len(w.args)
	// Both halves share the numbered arguments.
	half := func(by monitor.GroupBy, col, join string) string {
		return fmt.Sprintf(`SELECT f.rule_id, '%s', %s, COALESCE(d.name, ''), count(*), MIN(f.detected_on), MAX(f.detected_on)
			FROM monitor_findings f JOIN cases c ON c.id = f.case_id %s
			WHERE %s AND f.rule_id <> '' AND %s IS NOT NULL
			GROUP BY f.rule_id, %s, d.name HAVING count(*) >= $%d`, by, col, join, w.sql(), col, col, minRef)
	}
	q := half(monitor.ByDepartment, "f.department_id", "LEFT JOIN departments d ON d.id = f.department_id") +
		" UNION ALL " + half(monitor.ByHandler, "f.handler_id", "LEFT JOIN users d ON d.id = f.handler_id") +
		" ORDER BY 5 DESC, 1, 2, 3"
	var out []monitor.Recurring
	err := db.monitorRows(ctx, q, w.args, func(rows *sql.Rows) error {
		var rc monitor.Recurring
		if err := rows.Scan(&rc.RuleID, &rc.By, &rc.ID, &rc.Name, &rc.Count, &rc.First, &rc.Last); err != nil {
			return err
		}
		out = append(out, rc)
		return nil
	})
	return out, err
}

// MonitorReplyStats counts the notices issued in r, those replied, and
// the sum of their reply days.
func (db *DB) MonitorReplyStats(ctx context.Context, s access.FindingScope, r monitor.DateRange) (monitor.ReplyStats, error) {
	w := monitorScope(s, "f.unit_id")
	w.add("n.issued_on >= $%d", r.From)
	w.add("n.issued_on <= $%d", r.To)
	var out monitor.ReplyStats
	err := db.r.QueryRowContext(ctx, `SELECT count(*), count(n.reply_days), COALESCE(SUM(n.reply_days), 0)
		FROM monitor_notices n JOIN monitor_findings f ON f.id = n.finding_id JOIN cases c ON c.id = f.case_id
		WHERE `+w.sql(), w.args...).Scan(&out.Notices, &out.Replied, &out.ReplyDays)
	return out, err
}
