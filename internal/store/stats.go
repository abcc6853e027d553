package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/stats"
)

// The measures of the indicator catalogue, as fixed, reviewed queries:
// each yields one row per counted thing (a case, a suspect of a case, an
// event, a card) with the unit, the legal day that places it in a period,
// the record it belongs to (case or card id), its weight n and, for the
// keyed measure "events", its key. Aggregates and drill-downs wrap these
// queries; nothing here ever comes from data.
//
// Decision dates are the "decided" event's date (作出决定之日): a case is
// decided once (casefile.Transition), so the join yields one row per case.
// Persons are the suspect parties (犯罪嫌疑人) of the case; a decision
// covers every suspect of the case.
type statsMeasure struct {
	src string // "case" or "card": which table the record id names
	sql string
}

const (
	srcCase = "case"
	srcCard = "card"
)

// Building blocks.
const (
	mAccepted = `SELECT c.unit_id, c.received_on AS day, c.id AS rec, 1 AS n, '' AS k FROM cases c
		WHERE c.intake_outcome = 'accept' AND c.category = `
	mDecidedPersons = `SELECT c.unit_id, d.occurred_on AS day, c.id AS rec, 1 AS n, '' AS k FROM cases c
		JOIN case_events d ON d.case_id = c.id AND d.code = 'decided'
		JOIN parties p ON p.case_id = c.id AND p.role = 'suspect' WHERE `
	// Prosecution reviews decided to prosecute or not (移送其他机关 is
	// neither).
	decidedPR = `c.category = 'prosecution_review' AND d.outcome IN ('prosecute', 'np_statutory', 'np_discretionary', 'np_insufficient', 'np_conditional')`
	npPR      = `c.category = 'prosecution_review' AND d.outcome IN ('np_statutory', 'np_discretionary', 'np_insufficient', 'np_conditional')`
	criminal  = `c.category IN ('arrest_review', 'prosecution_review')`
	mEvents   = `SELECT c.unit_id, e.occurred_on AS day, c.id AS rec, 1 AS n, '' AS k FROM case_events e
		JOIN cases c ON c.id = e.case_id WHERE `
	mCards = `SELECT k.unit_id, k.%s AS day, k.id AS rec, 1 AS n, '' AS k FROM case_cards k WHERE k.%[1]s <> '' AND `
)

var statsMeasures = map[string]statsMeasure{
	"ar_received": {srcCase, mAccepted + `'arrest_review'`},
	"pr_received": {srcCase, mAccepted + `'prosecution_review'`},
	// 案件比 counts a case once across arrest and prosecution review: a
	// prosecution review whose suspect comes in under arrest had its arrest
	// review counted already. (Two stages never share a unified number in
	// cases, which is unique, so the suspect's measure is the link.)
	"pr_received_arrested": {srcCase, mAccepted + `'prosecution_review'
		AND EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND p.role = 'suspect' AND p.measure = 'arrest')`},
	"ar_concluded_p":   {srcCase, mDecidedPersons + `c.category = 'arrest_review'`},
	"ar_rejected_p":    {srcCase, mDecidedPersons + `c.category = 'arrest_review' AND d.outcome IN ('reject_arrest', 'reject_arrest_insufficient')`},
	"pr_concluded":     {srcCase, `SELECT c.unit_id, d.occurred_on AS day, c.id AS rec, 1 AS n, '' AS k FROM cases c JOIN case_events d ON d.case_id = c.id AND d.code = 'decided' WHERE c.category = 'prosecution_review'`},
	"pr_decided_p":     {srcCase, mDecidedPersons + decidedPR},
	"pr_prosecuted_p":  {srcCase, mDecidedPersons + `c.category = 'prosecution_review' AND d.outcome = 'prosecute'`},
	"pr_np_p":          {srcCase, mDecidedPersons + npPR},
	"pr_arrested_p":    {srcCase, mDecidedPersons + decidedPR + ` AND p.measure = 'arrest'`},
	"pr_np_arrested_p": {srcCase, mDecidedPersons + npPR + ` AND p.measure = 'arrest'`},
	"pr_plea_p":        {srcCase, mDecidedPersons + decidedPR + ` AND c.plea = TRUE`},
	"crim_received_p": {srcCase, `SELECT c.unit_id, c.received_on AS day, c.id AS rec, 1 AS n, '' AS k FROM cases c
		JOIN parties p ON p.case_id = c.id AND p.role = 'suspect' WHERE c.intake_outcome = 'accept' AND ` + criminal},
	"crim_concluded_p": {srcCase, mDecidedPersons + criminal},
	"pr_returns":       {srcCase, mEvents + `c.category = 'prosecution_review' AND e.code = 'returned'`},
	"pr_extensions":    {srcCase, mEvents + `c.category = 'prosecution_review' AND e.code = 'extended'`},
	// Every non-routine event of a criminal case, keyed by category and
	// code, so that the catalogue's procedure list can change without
	// invalidating the cache.
	stats.MeasureEvents: {srcCase, `SELECT c.unit_id, e.occurred_on AS day, c.id AS rec, 1 AS n, c.category || ':' || e.code AS k
		FROM case_events e JOIN cases c ON c.id = e.case_id WHERE ` + criminal + `
		AND e.code NOT IN ('received', 'assigned', 'rights_notified', 'decided', 'closed')`},
	"card_sentencing":       {srcCard, fmt.Sprintf(mCards, "decided_on") + `k.sentencing <> ''`},
	"card_sentencing_fixed": {srcCard, fmt.Sprintf(mCards, "decided_on") + `k.sentencing = '确定刑'`},
	"card_adoption_known":   {srcCard, fmt.Sprintf(mCards, "decided_on") + `k.sentencing_adopted <> ''`},
	"card_adopted":          {srcCard, fmt.Sprintf(mCards, "decided_on") + `k.sentencing_adopted = '采纳'`},
	"card_checked":          {srcCard, fmt.Sprintf(mCards, "received_on") + `1 = 1`},
	"card_clean": {srcCard, fmt.Sprintf(mCards, "received_on") +
		`NOT EXISTS (SELECT 1 FROM dq_problems q WHERE q.card_id = k.id AND q.status = 'open')`},
}

// statsMeasureOrder is the measures in a fixed order (stable SQL, stable
// tests).
func statsMeasureOrder() []string { return stats.BaseMeasures() }

// StatsMeasureIDs lists the base measures this store computes.
func (db *DB) StatsMeasureIDs() []string {
	out := make([]string, 0, len(statsMeasures))
	for _, id := range statsMeasureOrder() {
		if _, ok := statsMeasures[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// cacheKey is the SQL of a measure's cache key over m.k (ids are fixed
// identifiers from the code, safe to inline).
func cacheKey(id string) string {
	return `CASE WHEN m.k = '' THEN '` + id + `' ELSE '` + id + `:' || m.k END`
}

// unitCond adds the unit selection over col to w.
func unitCond(w *where, col string, sel stats.UnitSel) {
	if sel.Subtree {
		w.add(col+" IN (SELECT s.id FROM units s JOIN units r ON s.path LIKE r.path || '%%' WHERE r.id = $%d)", sel.UnitID)
		return
	}
	w.add(col+" = $%d", sel.UnitID)
}

// StatsUnits lists every unit.
func (db *DB) StatsUnits(ctx context.Context) ([]stats.UnitInfo, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), name, path FROM units ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stats.UnitInfo
	for rows.Next() {
		var u stats.UnitInfo
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Name, &u.Path); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// StatsCachedSums sums the cache over the period by key.
func (db *DB) StatsCachedSums(ctx context.Context, sel stats.UnitSel, p stats.Period) (map[string]int64, error) {
	var w where
	unitCond(&w, "unit_id", sel)
	w.add("day >= $%d", p.From)
	w.add("day <= $%d", p.To)
	rows, err := db.r.QueryContext(ctx, `SELECT measure, CAST(SUM(value) AS BIGINT) FROM stats_daily WHERE `+w.sql()+
		` GROUP BY measure`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// StatsCachedMonthly sums the cache per month and key.
func (db *DB) StatsCachedMonthly(ctx context.Context, sel stats.UnitSel, p stats.Period) (map[string]map[string]int64, error) {
	var w where
	unitCond(&w, "unit_id", sel)
	w.add("day >= $%d", p.From)
	w.add("day <= $%d", p.To)
	rows, err := db.r.QueryContext(ctx, `SELECT SUBSTR(day, 1, 7), measure, CAST(SUM(value) AS BIGINT) FROM stats_daily
		WHERE `+w.sql()+` GROUP BY SUBSTR(day, 1, 7), measure`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var month, k string
		var n int64
		if err := rows.Scan(&month, &k, &n); err != nil {
			return nil, err
		}
		if out[month] == nil {
			out[month] = map[string]int64{}
		}
		out[month][k] = n
	}
	return out, rows.Err()
}

// StatsScratchSums runs every measure query over the period, as Verify's
// reference and for the engine comparison.
func (db *DB) StatsScratchSums(ctx context.Context, sel stats.UnitSel, p stats.Period) (map[string]int64, error) {
	out := map[string]int64{}
	for _, id := range statsMeasureOrder() {
		var w where
		unitCond(&w, "m.unit_id", sel)
		w.add("m.day >= $%d", p.From)
		w.add("m.day <= $%d", p.To)
		q := `SELECT ` + cacheKey(id) + `, CAST(SUM(m.n) AS BIGINT) FROM (` + statsMeasures[id].sql + `) m WHERE ` +
			w.sql() + ` GROUP BY m.k`
		rows, err := db.r.QueryContext(ctx, q, w.args...)
		if err != nil {
			return nil, fmt.Errorf("store: measure %s: %w", id, err)
		}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if n != 0 {
				out[k] = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StatsSharesTo lists the units sharing their aggregates with viewer.
func (db *DB) StatsSharesTo(ctx context.Context, viewer int64) ([]int64, error) {
	return queryIDs(ctx, db.r, `SELECT owner_unit_id FROM stats_shares WHERE viewer_unit_id = $1 ORDER BY owner_unit_id`, viewer)
}

// StatsSetShare adds or removes a sharing with its audit entry.
func (db *DB) StatsSetShare(ctx context.Context, owner, viewer int64, share bool, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if share {
			_, err = tx.ExecContext(ctx, `INSERT INTO stats_shares (owner_unit_id, viewer_unit_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (owner_unit_id, viewer_unit_id) DO NOTHING`, owner, viewer, db.ms())
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM stats_shares WHERE owner_unit_id = $1 AND viewer_unit_id = $2`, owner, viewer)
		}
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}
