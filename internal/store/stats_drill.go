package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/stats"
)

// StatsDrill lists the records behind a signed sum of base measures: each
// record with what it adds to the number (persons, events, 1), those that
// add nothing left out (an arrested suspect's prosecution review in 案),
// within the caller's case scope — never another unit's records, and a
// sealed record only to its handler — newest first.
func (db *DB) StatsDrill(ctx context.Context, sc access.Scope, sel stats.UnitSel, p stats.Period, terms []stats.DrillTerm,
	limit int, after string) ([]stats.DrillRow, string, error) {
	if sc.None() || len(terms) == 0 {
		return nil, "", nil
	}
	src := ""
	var w where
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		m, ok := statsMeasures[t.Measure]
		if !ok {
			return nil, "", fmt.Errorf("store: no measure %q", t.Measure)
		}
		if src != "" && m.src != src {
			return nil, "", fmt.Errorf("store: measures of cases and of cards mixed in one drill-down")
		}
		src = m.src
		var tw where
		tw.args = w.args
		unitCond(&tw, "m.unit_id", sel)
		tw.add("m.day >= $%d", p.From)
		tw.add("m.day <= $%d", p.To)
		if len(t.Keys) > 0 {
			refs := make([]string, len(t.Keys))
			for i, k := range t.Keys {
				tw.args = append(tw.args, k)
				refs[i] = fmt.Sprintf("$%d", len(tw.args))
			}
			tw.conds = append(tw.conds, "m.k IN ("+strings.Join(refs, ", ")+")")
		}
		w.args = tw.args
		n := "m.n"
		if t.Sign < 0 {
			n = "-m.n"
		}
		parts = append(parts, `SELECT m.rec, `+n+` AS n FROM (`+m.sql+`) m WHERE `+tw.sql())
	}
	inner := `SELECT x.rec, CAST(SUM(x.n) AS BIGINT) AS cnt FROM (` + strings.Join(parts, " UNION ALL ") +
		`) x GROUP BY x.rec HAVING SUM(x.n) <> 0`
	alias := "c"
	if src == srcCard {
		alias = "k"
	}
	if sc.UnitID != 0 {
		w.add(alias+".unit_id = $%d", sc.UnitID)
	} else {
		w.add(alias+".unit_id IN (SELECT id FROM units WHERE path LIKE $%d)", sc.UnitPathPrefix+"%")
	}
	// Sealed juvenile records (CPL 286) appear only to their handler.
	w.add("("+alias+".sealed = FALSE OR "+alias+".handler_id = $%d)", sc.UserID)
	if err := w.afterID(alias+".id", after); err != nil {
		return nil, "", err
	}
	w.args = append(w.args, limit+1)
	tail := fmt.Sprintf(` WHERE %s ORDER BY %s.id DESC LIMIT $%d`, w.sql(), alias, len(w.args))
	var q string
	if src == srcCard {
		q = `SELECT COALESCE(k.case_id, 0), k.id, k.stage_no, k.name, COALESCE(g.name, k.category), k.received_on,
			k.closed_on, k.decision, 1, k.handler, n.name, t.cnt
			FROM (` + inner + `) t JOIN case_cards k ON k.id = t.rec JOIN units n ON n.id = k.unit_id
			LEFT JOIN categories g ON g.code = k.category` + tail
	} else {
		q = `SELECT c.id, 0, COALESCE(c.stage_no, ''), c.name, g.name, c.received_on, c.closed_on, c.decision,
			(SELECT COUNT(*) FROM parties p WHERE p.case_id = c.id AND p.role = 'suspect'), COALESCE(h.name, ''), n.name, t.cnt
			FROM (` + inner + `) t JOIN cases c ON c.id = t.rec JOIN categories g ON g.code = c.category
			JOIN units n ON n.id = c.unit_id LEFT JOIN users h ON h.id = c.handler_id` + tail
	}
	rows, err := db.r.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, "", err
	}
	return idPage(rows, limit, func(r rowScanner) (stats.DrillRow, error) {
		var d stats.DrillRow
		err := r.Scan(&d.CaseID, &d.CardID, &d.StageNo, &d.Name, &d.Category, &d.ReceivedOn, &d.ClosedOn, &d.Decision,
			&d.Persons, &d.HandlerName, &d.UnitName, &d.Count)
		return d, err
	}, func(d stats.DrillRow) int64 {
		if d.CardID != 0 {
			return d.CardID
		}
		return d.CaseID
	})
}
