package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/monitor"
)

// MonitorSnapshots loads the next batch of cases the scan checks, with
// their events, stored clocks and refused attempts, in four queries for
// the whole batch. The window: cases not refused nor waiting for intake
// material, and not sealed (CPL 286); closed ones only if closed on or
// after q.ClosedSince (or with no closing date, which is itself a problem).
func (db *DB) MonitorSnapshots(ctx context.Context, q monitor.SnapshotQuery) ([]monitor.Snapshot, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+monitorCaseColumns+` FROM cases c`+monitorCaseJoins+`
		WHERE c.id > $1 AND c.sealed = FALSE
		AND (c.status NOT IN ('refused', 'awaiting_supplement', 'closed')
			OR (c.status = 'closed' AND (c.closed_on >= $2 OR c.closed_on = '')))
		ORDER BY c.id LIMIT $3`, q.AfterID, q.ClosedSince, q.Limit)
	if err != nil {
		return nil, err
	}
	var out []monitor.Snapshot
	at := map[int64]int{}
	for rows.Next() {
		var s monitor.Snapshot
		var charges string
		if err := rows.Scan(monitorCaseDest(&s.Case, &charges)...); err != nil {
			rows.Close()
			return nil, err
		}
		s.Case.Charges = monitorCharges(charges)
		at[s.Case.ID] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, len(out))
	textIDs := make([]any, len(out))
	for i, s := range out {
		ids[i], textIDs[i] = s.Case.ID, itoa(s.Case.ID)
	}
	in := monitorParams(1, len(ids))
	err = db.monitorRows(ctx, `SELECT case_id, code, occurred_on, outcome FROM case_events WHERE case_id IN (`+in+`)
		ORDER BY case_id, id`, ids, func(rows *sql.Rows) error {
		var id int64
		var e monitor.Event
		if err := rows.Scan(&id, &e.Code, &e.OccurredOn, &e.Outcome); err != nil {
			return err
		}
		out[at[id]].Events = append(out[at[id]].Events, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.monitorRows(ctx, `SELECT case_id, kind, seq, state, open, watched, start_on, due_on, ended_on, late_days, basis
		FROM case_clocks WHERE case_id IN (`+in+`) ORDER BY case_id, kind, seq`, ids, func(rows *sql.Rows) error {
		var id int64
		var k monitor.Clock
		if err := rows.Scan(&id, &k.Kind, &k.Seq, &k.State, &k.Open, &k.Watched, &k.Start, &k.Due, &k.Ended,
			&k.LateDays, &k.Basis); err != nil {
			return err
		}
		out[at[id]].Clocks = append(out[at[id]].Clocks, k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Refused attempts are audit entries of the case service ("event=…
	// refusal=…" in the detail); object_id is the case id as text.
	args := append([]any{"case.event_refused"}, textIDs...)
	err = db.monitorRows(ctx, `SELECT object_id, detail, at FROM audit_log WHERE action = $1 AND object_type = 'case'
		AND object_id IN (`+monitorParams(2, len(textIDs))+`) ORDER BY seq`, args, func(rows *sql.Rows) error {
		var idText, detail string
		var atMs int64
		if err := rows.Scan(&idText, &detail, &atMs); err != nil {
			return err
		}
		id, _ := strconv.ParseInt(idText, 10, 64)
		i, ok := at[id]
		if !ok {
			return nil
		}
		r := monitor.Refusal{At: ms(atMs)}
		for _, kv := range strings.Fields(detail) {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "event":
				r.Event = v
			case "refusal":
				r.Refusal = v
			}
		}
		out[i].Refusals = append(out[i].Refusals, r)
		return nil
	})
	return out, err
}

// monitorParams returns "$from, …, $(from+n-1)".
func monitorParams(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// monitorRows runs a read query and calls fn for each row.
func (db *DB) monitorRows(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.r.QueryContext(ctx, q, args...)
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

// OverdueMonitorNotices lists findings whose notice was due before today,
// is unanswered and was not escalated, by due date.
func (db *DB) OverdueMonitorNotices(ctx context.Context, today string, limit int) ([]monitor.Finding, error) {
	return db.monitorFindings(ctx, monitorFindingSelect+` WHERE n.replied_on = '' AND n.reply_due < $1 AND f.escalated = FALSE
		AND f.status = 'awaiting_reply' ORDER BY n.reply_due, f.id LIMIT $2`, today, limit)
}

// monitorFindings runs a monitorFindingSelect query.
func (db *DB) monitorFindings(ctx context.Context, q string, args ...any) ([]monitor.Finding, error) {
	var out []monitor.Finding
	err := db.monitorRows(ctx, q, args, func(rows *sql.Rows) error {
		f, err := scanMonitorFinding(rows)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// RecordMonitorScan stores a finished scan with its audit entry.
func (db *DB) RecordMonitorScan(ctx context.Context, run monitor.ScanRun, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_scans (day, started_at, finished_at, cases, hits, created)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, run.Day, run.StartedAt.UnixMilli(), run.FinishedAt.UnixMilli(),
			run.Cases, run.Hits, run.Created).Scan(&id); err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
}
