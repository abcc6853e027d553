package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// columns reads table → column list from an engine's catalogue.
func columns(t *testing.T, engine, dsn string) map[string][]string {
	t.Helper()
	var db *sql.DB
	var err error
	var q string
	if engine == "sqlite" {
		db, err = sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
		q = `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'case_fts%'`
	} else {
		db, err = sql.Open("pgx", dsn)
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		out[tbl] = append(out[tbl], col)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

func TestSchemaIsTheSameOnBothEngines(t *testing.T) {
	engines := testdb.Engines(t)
	if len(engines) < 2 {
		t.Skip("PostgreSQL not configured (ANGUAN_TEST_POSTGRES)")
	}
	var got []map[string][]string
	for _, e := range engines {
		_, dsn := e.Open(t)
		got = append(got, columns(t, e.Name, dsn))
	}
	a, b := fmt.Sprint(got[0]), fmt.Sprint(got[1])
	if a != b {
		t.Errorf("schemas differ:\nsqlite:   %s\npostgres: %s", a, b)
	}
	if len(got[0]) < 15 {
		t.Errorf("only %d tables", len(got[0]))
	}
}

// Placeholders are bound by number, not position, on both engines.
func TestNumberedPlaceholders(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		var s string
		if err := db.QueryRowForTest(context.Background(), `SELECT $2 || $1 || $2`, "b", "a").Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s != "aba" {
			t.Errorf("got %q, want aba", s)
		}
	})
}

var stageSeq = regexp.MustCompile(`(\d{6})号$`)

func TestConcurrentIntakeNumbersAreConsecutive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := apptest.New(t, db, nil)
		ctx := context.Background()
		req := f.Request(t, "a_case_manager")
		const n = 50
		var wg sync.WaitGroup
		ids := make([]int64, n)
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ids[i], errs[i] = f.App.Cases.Register(ctx, req, apptest.Intake(i))
			}(i)
		}
		wg.Wait()
		seen := map[string]bool{}
		var seqs []int
		for i, err := range errs {
			if err != nil {
				t.Fatalf("intake %d: %v", i, err)
			}
			c, err := db.Case(ctx, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			if seen[c.StageNo] || seen[c.UniformNo] {
				t.Fatalf("duplicate number %s / %s", c.StageNo, c.UniformNo)
			}
			seen[c.StageNo], seen[c.UniformNo] = true, true
			m := stageSeq.FindStringSubmatch(c.StageNo)
			if m == nil || !strings.HasPrefix(c.StageNo, "甲检起诉受[2026]99010000") {
				t.Fatalf("stage number %q has the wrong shape", c.StageNo)
			}
			s, _ := strconv.Atoi(m[1])
			seqs = append(seqs, s)
		}
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("sequences not consecutive from 1: %v", seqs)
			}
		}
	})
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

var _ = casefile.StatusClosed
