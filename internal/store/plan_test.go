package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// bigTables are the tables that grow with the case load: a hot query must
// reach them through an index.
var bigTables = []string{"cases", "case_clocks", "dq_problems", "case_cards", "monitor_findings", "parties", "case_events"}

// fullScan finds a full table scan of a big table in a plan line: SQLite
// "SCAN cases" (or its alias) without an index; PostgreSQL "Seq Scan on
// cases", which with sequential scans priced out means no index serves.
func fullScan(engine store.Engine, line string, aliases map[string]string) (string, bool) {
	if engine == store.Postgres {
		m := regexp.MustCompile(`Seq Scan on (\w+)`).FindStringSubmatch(line)
		if m == nil {
			return "", false
		}
		for _, t := range bigTables {
			if m[1] == t {
				return t, true
			}
		}
		return "", false
	}
	m := regexp.MustCompile(`^SCAN (\w+)(.*)$`).FindStringSubmatch(strings.TrimSpace(line))
	if m == nil || strings.Contains(m[2], "USING") {
		return "", false
	}
	name := m[1]
	if t, ok := aliases[name]; ok {
		name = t
	}
	for _, t := range bigTables {
		if name == t {
			return t, true
		}
	}
	return "", false
}

// TestHotQueriesUseIndexes plans the hot read paths (case list, search,
// count and detail; the board; the data-quality problem list; the
// monitoring finding list) on both engines and fails on a full scan of a
// table that grows with the case load, or when a handler's own list does
// not reach the partial handler index that serves it.
func TestHotQueriesUseIndexes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := apptest.New(t, db, nil)
		for i := range 20 {
			if _, err := f.App.Cases.Register(ctx, f.Request(t, "a_case_manager"), apptest.Intake(i+1)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		// The detector itself: a filter on an unindexed column must be
		// reported, or the checks below could never fail.
		plan, err := db.PlanForTest(ctx, `SELECT c.id FROM cases c WHERE c.transfer_doc_no = $1`, "x")
		if err != nil {
			t.Fatal(err)
		}
		caught := false
		for _, line := range plan {
			if _, bad := fullScan(db.Engine(), line, map[string]string{"c": "cases"}); bad {
				caught = true
			}
		}
		if !caught {
			t.Fatalf("an unindexed filter was not reported as a full scan:\n  %s", strings.Join(plan, "\n  "))
		}
		cm := f.Users["a_case_manager"]
		qs, err := db.HotQueriesForTest(cm.UnitID, cm.ID, f.Upper.Path, "2026-03-16")
		if err != nil {
			t.Fatal(err)
		}
		aliases := map[string]string{"c": "cases", "k": "case_clocks", "p": "dq_problems", "f": "monitor_findings",
			"s": "case_cards"}
		for _, q := range qs {
			if strings.HasPrefix(q.Name, "data problems") {
				aliases["k"] = "case_cards"
			} else {
				aliases["k"] = "case_clocks"
			}
			plan, err := db.PlanForTest(ctx, q.SQL, q.Args...)
			if err != nil {
				t.Fatalf("%s: %v", q.Name, err)
			}
			for _, line := range plan {
				if table, bad := fullScan(db.Engine(), line, aliases); bad {
					t.Errorf("%s: full scan of %s:\n  %s", q.Name, table, strings.Join(plan, "\n  "))
					break
				}
			}
			if q.Index != "" && !strings.Contains(strings.Join(plan, "\n"), q.Index) {
				t.Errorf("%s: the plan does not use %s:\n  %s", q.Name, q.Index, strings.Join(plan, "\n  "))
			}
		}
	})
}
