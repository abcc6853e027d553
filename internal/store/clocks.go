package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
)

// ClockFacts loads the events of a case and whether a party is in custody.
func (db *DB) ClockFacts(ctx context.Context, c casefile.Case) (casefile.ClockFacts, error) {
	evs, err := events(ctx, db.r, c.ID)
	if err != nil {
		return casefile.ClockFacts{}, err
	}
	var custody bool
	if err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM parties WHERE case_id = $1 AND custody = TRUE)`,
		c.ID).Scan(&custody); err != nil {
		return casefile.ClockFacts{}, err
	}
	return casefile.ClockFacts{Category: c.Category, FastTrack: c.FastTrack, Custody: custody, Events: evs}, nil
}

const (
	clockColumns = `(case_id, unit_id, category, sealed, handler_id, department_id, case_name, stage_no, status, kind,
	seq, state, open, watched, start_on, due_on, yellow_on, orange_on, ended_on, late_days, basis, in_custody,
	beyond_calendar, computed_at)`
	clockWidth = 24
)

// clockValues is one case_clocks row: the clock and the case facts the
// board filters on and shows. c must be the case as the transaction leaves
// it (its new status, its numbers).
func clockValues(c casefile.Case, now int64, k casefile.ClockRow) []any {
	return []any{c.ID, c.UnitID, c.Category, c.Sealed, nullID(c.HandlerID), nullID(c.DepartmentID), c.Name, c.StageNo,
		c.Status, k.Kind, k.Seq,
		k.State, k.Open, k.Watched, k.Start, k.Due, k.YellowOn, k.OrangeOn, k.EndedOn, k.LateDays, k.Basis, k.InCustody,
		k.BeyondCalendar, now}
}

// replaceClocks stores the freshly derived clocks of a case in place of
// the old ones, inside the transaction that changed the case.
// Replacing a case's clocks runs in every write of a case: the delete and
// the inserts of up to maxPreparedClocks rows are prepared once.
const (
	sqlDeleteClocks   = `DELETE FROM case_clocks WHERE case_id = $1`
	maxPreparedClocks = 4
)

func clocksInsert(n int) string {
	return rowsInsert(`INSERT INTO case_clocks `+clockColumns+` VALUES `, clockWidth, n)
}

func (db *DB) replaceClocks(ctx context.Context, tx *sql.Tx, c casefile.Case, clocks []casefile.ClockRow) error {
	if _, err := db.txExec(ctx, tx, sqlDeleteClocks, c.ID); err != nil {
		return err
	}
	if len(clocks) <= maxPreparedClocks {
		return db.execChain(ctx, tx, clocksStmt(c, db.ms(), clocks))
	}
	now := db.ms()
	rows := make([][]any, len(clocks))
	for i, k := range clocks {
		rows[i] = clockValues(c, now, k)
	}
	return insertRows(ctx, tx, `INSERT INTO case_clocks `+clockColumns, clockWidth, rows)
}

// clocksStmt inserts the clocks of one case in one statement (a case has
// a handful; up to maxPreparedClocks the statement is prepared, see warm).
func clocksStmt(c casefile.Case, now int64, clocks []casefile.ClockRow) stmt {
	if len(clocks) == 0 {
		return stmt{}
	}
	args := make([]any, 0, clockWidth*len(clocks))
	for _, k := range clocks {
		args = append(args, clockValues(c, now, k)...)
	}
	return stmt{clocksInsert(len(clocks)), args}
}

// OpenClockCases returns, in id order after afterID, up to limit cases
// that have an open clock: the work of a full recomputation.
func (db *DB) OpenClockCases(ctx context.Context, afterID int64, limit int) ([]casefile.Case, error) {
	rows, err := db.r.QueryContext(ctx, caseSelect+` WHERE c.id > $1 AND EXISTS
		(SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.open = TRUE) ORDER BY c.id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReplaceClocks stores recomputed clocks of several cases in one
// transaction with one audit record. A case changed since it was read
// (its version moved) is skipped: the event that changed it stored
// clocks of its own.
func (db *DB) ReplaceClocks(ctx context.Context, batch []casefile.CaseClocks, a audit.Record) (int, error) {
	n := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, cc := range batch {
			res, err := tx.ExecContext(ctx, `UPDATE cases SET version = version WHERE id = $1 AND version = $2`,
				cc.Case.ID, cc.Case.Version)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			if err := db.replaceClocks(ctx, tx, cc.Case, cc.Clocks); err != nil {
				return err
			}
			n++
		}
		a.Detail = fmt.Sprintf("%s cases=%d", a.Detail, n)
		return db.appendAudit(ctx, tx, a)
	})
	return n, err
}

// boardWhere is the scope and filter of the board, on case_clocks alone
// (the case facts it needs are copied in). Sealed juvenile records (CPL
// 286) appear only to their handler, as in the case list.
func boardWhere(s access.Scope, f casefile.BoardFilter, today string) (string, []any) {
	var w where
	add := w.add
	add("k.watched = TRUE")
	if s.UnitID != 0 {
		add("k.unit_id = $%d", s.UnitID)
	} else {
		add("k.unit_id IN (SELECT id FROM units WHERE path LIKE $%d)", s.UnitPathPrefix+"%")
	}
	add("(k.sealed = FALSE OR k.handler_id = $%d)", s.UserID)
	if f.DepartmentID != 0 {
		add("k.department_id = $%d", f.DepartmentID)
	}
	if f.HandlerID != 0 {
		add("k.handler_id = $%d", f.HandlerID)
	}
	if f.Category != "" {
		add("k.category = $%d", f.Category)
	}
	if f.Kind != "" {
		add("k.kind = $%d", f.Kind)
	}
	switch f.Colour {
	case "red":
		add("k.due_on < $%d", today)
	case "orange":
		add("k.due_on >= $%d AND k.orange_on <= $%d", today, today)
		if f.OrangeHorizon != "" {
			add("k.due_on <= $%d", f.OrangeHorizon)
		}
	case "yellow":
		// due_on > today follows from orange_on > today, and due_on is at
		// most the horizon; stated, they bound the index range.
		add("k.due_on > $%d AND k.orange_on > $%d AND k.yellow_on <= $%d", today, today, today)
		if f.YellowHorizon != "" {
			add("k.due_on <= $%d", f.YellowHorizon)
		}
	case "none":
		add("k.due_on > $%d AND k.yellow_on > $%d", today, today)
	}
	return w.sql(), w.args
}

// Board returns one page of watched clocks in due order (the most urgent
// first) and the cursor of the next page.
func (db *DB) Board(ctx context.Context, s access.Scope, f casefile.BoardFilter, today string) ([]casefile.BoardRow, string, error) {
	q, args, err := boardQuery(s, f, today)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	return keysetPage(rows, f.Limit, func(r *sql.Rows) (casefile.BoardRow, error) {
		var b casefile.BoardRow
		err := r.Scan(&b.ClockID, &b.CaseID, &b.Kind, &b.Seq, &b.Start, &b.Due, &b.YellowOn, &b.OrangeOn,
			&b.InCustody, &b.BeyondCalendar, &b.CaseName, &b.StageNo, &b.Category, &b.Status, &b.HandlerID,
			&b.HandlerName, &b.DepartmentID, &b.DepartmentName)
		return b, err
	}, func(b casefile.BoardRow) (string, int64) { return b.Due, b.ClockID })
}

// boardQuery is the SQL of Board (also planned by the plan test).
func boardQuery(s access.Scope, f casefile.BoardFilter, today string) (string, []any, error) {
	where, args := boardWhere(s, f, today)
	if f.After != "" {
		due, id, err := decodeCursor(f.After)
		if err != nil {
			return "", nil, apperr.Invalid("next", "err.cursor_invalid")
		}
		args = append(args, due, due, id)
		n := len(args)
		where += fmt.Sprintf(" AND (k.due_on > $%d OR (k.due_on = $%d AND k.id > $%d))", n-2, n-1, n)
	}
	args = append(args, f.Limit+1)
	return `SELECT k.id, k.case_id, k.kind, k.seq, k.start_on, k.due_on, k.yellow_on, k.orange_on, k.in_custody,
		k.beyond_calendar, k.case_name, k.stage_no, k.category, k.status, COALESCE(k.handler_id, 0),
		COALESCE(h.name, ''), COALESCE(k.department_id, 0), COALESCE(d.name, '')
		FROM case_clocks k LEFT JOIN users h ON h.id = k.handler_id LEFT JOIN departments d ON d.id = k.department_id
		WHERE ` + where + fmt.Sprintf(` ORDER BY k.due_on, k.id LIMIT $%d`, len(args)), args, nil
}

// ClockCounts counts the watched clocks of a scope per colour on today.
// Each warning colour is a bounded range of the board index (red: due
// before today; orange and yellow: due within the horizons the board
// sets), so the counts cost what the urgent clocks number, not what the
// unit holds. The total (and so "none") is one scan of the unit's range,
// made only when asked for.
func (db *DB) ClockCounts(ctx context.Context, s access.Scope, f casefile.BoardFilter, today string) (casefile.ColourCounts, error) {
	var cc casefile.ColourCounts
	count := func(colour string, dst *int) error {
		f.Colour = colour
		where, args := boardWhere(s, f, today)
		return db.r.QueryRowContext(ctx, `SELECT count(*) FROM case_clocks k WHERE `+where, args...).Scan(dst)
	}
	for _, c := range []struct {
		colour string
		dst    *int
	}{{"red", &cc.Red}, {"orange", &cc.Orange}, {"yellow", &cc.Yellow}} {
		if err := count(c.colour, c.dst); err != nil {
			return cc, err
		}
	}
	if !f.CountAll {
		return cc, nil
	}
	if err := count("", &cc.Total); err != nil {
		return cc, err
	}
	cc.HasTotal, cc.None = true, cc.Total-cc.Red-cc.Orange-cc.Yellow
	return cc, nil
}
