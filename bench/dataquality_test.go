package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/testdb"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchCards makes n synthetic national-system cards spread over the
// fixture's two county units, one in ten with an injected error.
func benchCards(f *apptest.Fixture, n int, today time.Time) []casecard.Card {
	half := n / 2
	a := seed.SyntheticCards(1, seed.CardUnit{ID: f.UnitA.ID, Code: f.UnitA.Code, Short: f.UnitA.ShortName,
		Department: "刑事检察部", Handlers: []string{"测prosecutor", "测检察官二", "测检察官三"}}, half, today, 0.1)
	b := seed.SyntheticCards(2, seed.CardUnit{ID: f.UnitB.ID, Code: f.UnitB.Code, Short: f.UnitB.ShortName,
		Department: "刑事检察部", Handlers: []string{"测prosecutor", "测检察官二"}}, n-half, today, 0.1)
	for i := range a {
		a[i].UnitID = f.UnitA.ID
	}
	for i := range b {
		b[i].UnitID = f.UnitB.ID
	}
	return append(a, b...)
}

// BenchmarkCardImport imports one XLSX file of ANGUAN_BENCH_IMPORT_ROWS
// (default 100,000) national-system cards into an empty unit, every rule
// run on every card, through the same path as `anguan import cards`
// (parse, validate, look up existing and related cards, scan, write in
// one transaction). The reference is parsing and validating the same file
// alone.
func BenchmarkCardImport(b *testing.B) {
	rows := envInt("ANGUAN_BENCH_IMPORT_ROWS", 100_000)
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db, _ := e.Open(b)
			f := apptest.New(b, db, nil)
			if _, err := f.App.Data.InstallRules(ctx); err != nil {
				b.Fatal(err)
			}
			vocab, err := f.App.Data.Vocabulary(ctx)
			if err != nil {
				b.Fatal(err)
			}
			cards := seed.SyntheticCards(3, seed.CardUnit{ID: f.UnitA.ID, Code: f.UnitA.Code, Short: f.UnitA.ShortName,
				Department: "刑事检察部", Handlers: []string{"测prosecutor", "测检察官二"}}, rows, apptest.Now(), 0.1)
			var buf bytes.Buffer
			if err := casecard.WriteXLSX(&buf, cards, vocab); err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(b.TempDir(), "cards.xlsx")
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(buf.Len())/(1<<20), "file-MiB")
			actor := audit.ActorOf(f.Request(b, "a_case_manager").P, "bench", "")
			var parse, total time.Duration
			for i := 0; b.Loop(); i++ {
				data, err := os.ReadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				if _, err := casecard.Parse("cards.xlsx", data, vocab); err != nil {
					b.Fatal(err)
				}
				parse += time.Since(t0)
				t0 = time.Now()
				_, res, err := f.App.Data.ImportFile(ctx, actor, f.UnitA.ID, "cards.xlsx", data, false)
				if err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
				if i == 0 && res.New != rows {
					b.Fatalf("imported %d new cards, want %d", res.New, rows)
				}
			}
			n := float64(b.N)
			b.ReportMetric(total.Seconds()/n, "import-s")
			b.ReportMetric(parse.Seconds()/n, "parse-only-s")
			b.ReportMetric(float64(rows)*n/total.Seconds(), "rows/s")
		})
	}
}

// BenchmarkNightlyScan runs the nightly scan over ANGUAN_BENCH_CARDS
// (default 1,000,000) cards with the shipped rule library: the first scan
// (which opens a problem for every hit) and a steady-state scan (nothing
// changed since: reads and evaluations only), reported as rule
// evaluations per second. The reference is the bare read of the same
// cards with the scan's query on the same engine.
func BenchmarkNightlyScan(b *testing.B) {
	n := envInt("ANGUAN_BENCH_CARDS", 1_000_000)
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db, _ := e.Open(b)
			f := apptest.New(b, db, nil)
			if _, err := f.App.Data.InstallRules(ctx); err != nil {
				b.Fatal(err)
			}
			if err := db.SeedCards(ctx, benchCards(f, n, apptest.Now()), 20_000,
				audit.Record{Actor: audit.System("bench"), Action: "bench.seed_cards", ObjectType: "case_card",
					Result: audit.ResultOK}); err != nil {
				b.Fatal(err)
			}
			if err := db.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			first, err := f.App.Data.ScanAll(ctx)
			if err != nil {
				b.Fatal(err)
			}
			firstDur := time.Since(t0)
			if first.Cards != n || first.Opened == 0 {
				b.Fatalf("first scan = %+v", first)
			}
			var bare, steady time.Duration
			var evals int64
			for b.Loop() {
				t0 := time.Now()
				read, err := db.ReadAllCards(ctx)
				if err != nil || read != n {
					b.Fatalf("bare read = %d, %v", read, err)
				}
				bare += time.Since(t0)
				t0 = time.Now()
				rec, err := f.App.Data.ScanAll(ctx)
				if err != nil {
					b.Fatal(err)
				}
				steady += time.Since(t0)
				evals += rec.Evaluations
				if rec.Opened+rec.Fixed != 0 {
					b.Fatalf("steady scan changed problems: %+v", rec)
				}
			}
			runs := float64(b.N)
			b.ReportMetric(float64(first.Evaluations)/firstDur.Seconds(), "first-evals/s")
			b.ReportMetric(firstDur.Seconds(), "first-s")
			b.ReportMetric(float64(first.Opened), "problems")
			b.ReportMetric(float64(evals)/steady.Seconds(), "evals/s")
			b.ReportMetric(steady.Seconds()/runs, "scan-s")
			b.ReportMetric(bare.Seconds()/runs, "bare-read-s")
			b.ReportMetric(float64(first.Evaluations)/float64(n), "rules/card")
		})
	}
}
