package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/testdb"
)

// BenchmarkIndicators computes the whole indicator catalogue over a
// province-year of synthetic cases (ANGUAN_BENCH_STATS_CASES, default
// 300,000, with their persons and events, seed 1): for one unit-year
// (疏勒县院's chief) and for every unit at once (the SPP upper supervisor),
// from the daily cache and from scratch; the reference is a bare
// single-table count over the same year's cases on the same engine.
func BenchmarkIndicators(b *testing.B) {
	n := envInt("ANGUAN_BENCH_STATS_CASES", 300_000)
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db, _ := e.Open(b)
			f := apptest.New(b, db, nil)
			t0 := time.Now()
			if _, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Now: apptest.Now},
				seed.Options{Cases: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			if _, err := seed.StatsShares(ctx, db); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d cases in %s", e.Name, n, time.Since(t0).Round(time.Second))
			t0 = time.Now()
			if _, err := f.App.Stats.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "cache-build-s")
			year := apptest.Now().Format("2006")
			period, err := stats.ParsePeriod("year", year, "", "")
			if err != nil {
				b.Fatal(err)
			}
			chief, err := db.UserByName(ctx, "shule_chief")
			if err != nil {
				b.Fatal(err)
			}
			upper, err := db.UserByName(ctx, "spp_upper")
			if err != nil {
				b.Fatal(err)
			}
			units, err := f.App.Org.Units(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var all []int64
			for _, u := range units {
				if strings.HasPrefix(u.Path, upper.UnitPath) { // the demo's tree, not the fixture's units
					all = append(all, u.ID)
				}
			}
			unitReq := stats.Request{P: chief.Principal(), Client: "bench"}
			allReq := stats.Request{P: upper.Principal(), Client: "bench"}
			unitQ := stats.Query{UnitIDs: []int64{chief.UnitID}, Period: period}
			allQ := stats.Query{UnitIDs: all, Period: period}
			for _, sc := range []struct {
				name string
				run  func() error
			}{
				{"unit_year_cached", func() error { _, err := f.App.Stats.Values(ctx, unitReq, unitQ); return err }},
				{"unit_year_scratch", func() error { _, err := f.App.Stats.Scratch(ctx, unitReq, unitQ); return err }},
				{"all_units_year_cached", func() error { _, err := f.App.Stats.Values(ctx, allReq, allQ); return err }},
				{"all_units_year_scratch", func() error { _, err := f.App.Stats.Scratch(ctx, allReq, allQ); return err }},
				{"bare_count_year", func() error {
					var k int
					return db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE received_on >= $1 AND received_on <= $2`,
						period.From, period.To).Scan(&k)
				}},
			} {
				b.Run(sc.name, func(b *testing.B) {
					var lat latencies
					for b.Loop() {
						t0 := time.Now()
						if err := sc.run(); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
					}
					lat.report(b)
				})
			}
		})
	}
}
