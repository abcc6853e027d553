package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/audit"
)

// statsOverlapMs is how far before the last refresh changes are looked for
// again: a transaction that stamped its rows before the last refresh but
// committed after it is still seen. Recomputing a day twice is harmless.
const statsOverlapMs = 5 * 60 * 1000

// statsChunk bounds the ids or days in one IN list.
const statsChunk = 400

type statsState struct {
	caseID, eventID, cardID, problemID, refreshedAt int64
}

// StatsRefreshedAt is the instant of the last refresh (0 when never).
func (db *DB) StatsRefreshedAt(ctx context.Context) (int64, error) {
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT refreshed_at FROM stats_state WHERE id = 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return at, err
}

// StatsRefresh brings stats_daily up to date in one transaction: the first
// time by computing every measure over everything; after that by finding
// the cases (new, updated or with new events) and cards (new, updated or
// with a problem opened, fixed or waived) changed since the watermark,
// and recomputing every measure on the unit-days they placed records on
// before and after the change. One audit entry per refresh that wrote.
func (db *DB) StatsRefresh(ctx context.Context, a audit.Record) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		// Two instances (or a page filling an empty cache while the job
		// runs) refresh one after the other; SQLite's single writer
		// already serialises.
		if db.engine == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(727275)`); err != nil {
				return err
			}
		}
		var st statsState
		err := tx.QueryRowContext(ctx, `SELECT case_id, event_id, card_id, problem_id, refreshed_at FROM stats_state WHERE id = 1`).
			Scan(&st.caseID, &st.eventID, &st.cardID, &st.problemID, &st.refreshedAt)
		full := errors.Is(err, sql.ErrNoRows)
		if err != nil && !full {
			return err
		}
		var next statsState
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM cases), (SELECT COALESCE(MAX(id), 0) FROM case_events),
			(SELECT COALESCE(MAX(id), 0) FROM case_cards), (SELECT COALESCE(MAX(id), 0) FROM dq_problems)`).
			Scan(&next.caseID, &next.eventID, &next.cardID, &next.problemID); err != nil {
			return err
		}
		next.refreshedAt = db.ms()
		if full {
			if n, err = db.statsRebuild(ctx, tx); err != nil {
				return err
			}
			a.Detail = fmt.Sprintf("full rebuild: %d unit-days", n)
		} else {
			since := st.refreshedAt - statsOverlapMs
			cases, err := queryIDs(ctx, tx, `SELECT id FROM cases WHERE id > $1 OR updated_at >= $2
				UNION SELECT case_id FROM case_events WHERE id > $3 OR created_at >= $2`, st.caseID, since, st.eventID)
			if err != nil {
				return err
			}
			cards, err := queryIDs(ctx, tx, `SELECT id FROM case_cards WHERE id > $1 OR updated_at >= $2
				UNION SELECT card_id FROM dq_problems WHERE id > $3 OR detected_at >= $2 OR fixed_at >= $2 OR waived_at >= $2`,
				st.cardID, since, st.problemID)
			if err != nil {
				return err
			}
			if len(cases) == 0 && len(cards) == 0 {
				return nil // nothing to write, nothing to audit
			}
			dirty := map[int64]map[string]bool{}
			if err := db.statsRemark(ctx, tx, srcCase, cases, dirty); err != nil {
				return err
			}
			if err := db.statsRemark(ctx, tx, srcCard, cards, dirty); err != nil {
				return err
			}
			if n, err = db.statsRecompute(ctx, tx, dirty); err != nil {
				return err
			}
			a.Detail = fmt.Sprintf("incremental: %d cases, %d cards changed; %d unit-days", len(cases), len(cards), n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM stats_state WHERE id = 1`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stats_state (id, case_id, event_id, card_id, problem_id, refreshed_at)
			VALUES (1, $1, $2, $3, $4, $5)`, next.caseID, next.eventID, next.cardID, next.problemID, next.refreshedAt); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
	return n, err
}

// queryIDs reads a single column of ids.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// statsDaysAgg is the engine's string aggregate of x.day.
func (db *DB) statsDaysAgg() string {
	if db.engine == Postgres {
		return `string_agg(x.day, ',')`
	}
	return `group_concat(x.day, ',')`
}

// statsMarkSQL yields (rec, unit_id, days) for the records of src: the
// days a record can place anything on. A case: its receipt and every event
// (decisions and procedures are events); a card: its receipt and decision.
func (db *DB) statsMarkSQL(src, cond string) string {
	if src == srcCard {
		return `SELECT k.id, k.unit_id, k.received_on || ',' || k.decided_on FROM case_cards k` + cond
	}
	return `SELECT x.rec, x.unit_id, ` + db.statsDaysAgg() + ` FROM (
		SELECT c.id AS rec, c.unit_id, c.received_on AS day FROM cases c` + cond + `
		UNION SELECT c.id, c.unit_id, e.occurred_on FROM case_events e JOIN cases c ON c.id = e.case_id` + cond + `
	) x GROUP BY x.rec, x.unit_id`
}

// statsRebuild recomputes the whole cache and the marks.
func (db *DB) statsRebuild(ctx context.Context, tx *sql.Tx) (int, error) {
	for _, q := range []string{`DELETE FROM stats_daily`, `DELETE FROM stats_marks`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	for _, id := range statsMeasureOrder() {
		q := `INSERT INTO stats_daily (unit_id, day, measure, value) SELECT m.unit_id, m.day, ` + cacheKey(id) +
			`, SUM(m.n) FROM (` + statsMeasures[id].sql + `) m WHERE m.day <> '' GROUP BY m.unit_id, m.day, m.k HAVING SUM(m.n) <> 0`
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("store: rebuild %s: %w", id, err)
		}
	}
	for _, src := range []string{srcCase, srcCard} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stats_marks (src, rec_id, unit_id, days) SELECT '`+src+`', r.* FROM (`+
			db.statsMarkSQL(src, "")+`) r`); err != nil {
			return 0, fmt.Errorf("store: rebuild marks: %w", err)
		}
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT DISTINCT unit_id, day FROM stats_daily) d`).Scan(&n)
	return n, err
}

func splitDays(s string) []string {
	var out []string
	for d := range strings.SplitSeq(s, ",") {
		if d != "" {
			out = append(out, d)
		}
	}
	return out
}

func placeholders(start, n int) string {
	refs := make([]string, n)
	for i := range refs {
		refs[i] = fmt.Sprintf("$%d", start+i)
	}
	return strings.Join(refs, ", ")
}

// statsRemark adds to dirty the unit-days the records placed things on at
// the last refresh (their marks) and place things on now, and replaces
// their marks.
func (db *DB) statsRemark(ctx context.Context, tx *sql.Tx, src string, ids []int64, dirty map[int64]map[string]bool) error {
	mark := func(unit int64, days string) {
		if dirty[unit] == nil {
			dirty[unit] = map[string]bool{}
		}
		for _, d := range splitDays(days) {
			dirty[unit][d] = true
		}
	}
	for chunk := range slices.Chunk(ids, statsChunk) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, src)
		for _, id := range chunk {
			args = append(args, id)
		}
		in := placeholders(2, len(chunk))
		rows, err := tx.QueryContext(ctx, `SELECT unit_id, days FROM stats_marks WHERE src = $1 AND rec_id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var unit int64
			var days string
			if err := rows.Scan(&unit, &days); err != nil {
				rows.Close()
				return err
			}
			mark(unit, days)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM stats_marks WHERE src = $1 AND rec_id IN (`+in+`)`, args...); err != nil {
			return err
		}
		alias := "c"
		if src == srcCard {
			alias = "k"
		}
		cond := ` WHERE ` + alias + `.id IN (` + placeholders(1, len(chunk)) + `)`
		rows, err = tx.QueryContext(ctx, db.statsMarkSQL(src, cond), args[1:]...)
		if err != nil {
			return err
		}
		type markRow struct {
			rec, unit int64
			days      string
		}
		var fresh []markRow
		for rows.Next() {
			var m markRow
			if err := rows.Scan(&m.rec, &m.unit, &m.days); err != nil {
				rows.Close()
				return err
			}
			fresh = append(fresh, m)
			mark(m.unit, m.days)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for part := range slices.Chunk(fresh, 200) {
			vals := make([]string, len(part))
			margs := make([]any, 0, 4*len(part))
			for i, m := range part {
				vals[i] = fmt.Sprintf("($%d, $%d, $%d, $%d)", 4*i+1, 4*i+2, 4*i+3, 4*i+4)
				margs = append(margs, src, m.rec, m.unit, m.days)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO stats_marks (src, rec_id, unit_id, days) VALUES `+
				strings.Join(vals, ", "), margs...); err != nil {
				return err
			}
		}
	}
	return nil
}

// statsRecompute replaces the cache rows of the dirty unit-days by the
// measures computed over them.
func (db *DB) statsRecompute(ctx context.Context, tx *sql.Tx, dirty map[int64]map[string]bool) (int, error) {
	n := 0
	for unit, set := range dirty {
		days := make([]string, 0, len(set))
		for d := range set {
			days = append(days, d)
		}
		slices.Sort(days)
		n += len(days)
		for chunk := range slices.Chunk(days, statsChunk) {
			args := make([]any, 0, len(chunk)+1)
			args = append(args, unit)
			for _, d := range chunk {
				args = append(args, d)
			}
			in := placeholders(2, len(chunk))
			if _, err := tx.ExecContext(ctx, `DELETE FROM stats_daily WHERE unit_id = $1 AND day IN (`+in+`)`, args...); err != nil {
				return 0, err
			}
			for _, id := range statsMeasureOrder() {
				q := `INSERT INTO stats_daily (unit_id, day, measure, value) SELECT m.unit_id, m.day, ` + cacheKey(id) +
					`, SUM(m.n) FROM (` + statsMeasures[id].sql + `) m WHERE m.unit_id = $1 AND m.day IN (` + in +
					`) GROUP BY m.unit_id, m.day, m.k HAVING SUM(m.n) <> 0`
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return 0, fmt.Errorf("store: recompute %s: %w", id, err)
				}
			}
		}
	}
	return n, nil
}
