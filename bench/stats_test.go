package bench

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/testdb"
)

// BenchmarkIndicators computes the whole indicator catalogue over the
// synthetic data of a scale (ANGUAN_BENCH_STATS_SCALE: province, the
// default, is 300,000 cases in about a hundred units of 新疆; nation is
// 4,000,000 in about three thousand units; ANGUAN_BENCH_STATS_CASES
// overrides the count), with their persons and events, seed 1: for one
// unit-year (疏勒县院's chief), for the province (新疆's upper supervisor:
// every unit under it) and for the nation (the SPP's), from the daily
// cache and from scratch. The reference is a bare single-table scan of the
// same year's cases on the same engine.
func BenchmarkIndicators(b *testing.B) {
	scale := os.Getenv("ANGUAN_BENCH_STATS_SCALE")
	if scale == "" {
		scale = seed.ScaleProvince
	}
	def, ok := seed.ScaleCases(scale)
	if !ok {
		b.Fatalf("ANGUAN_BENCH_STATS_SCALE=%q: want one of %v", scale, seed.ScaleNames())
	}
	n := envInt("ANGUAN_BENCH_STATS_CASES", def)
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db, _ := e.Open(b)
			f := apptest.New(b, db, nil)
			t0 := time.Now()
			if _, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Now: apptest.Now,
				Hash: f.App.Accounts.Policy().Hash}, seed.Options{Cases: n, Seed: 1, Scale: scale}); err != nil {
				b.Fatal(err)
			}
			if _, err := seed.StatsShares(ctx, db); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d cases (%s) in %s", e.Name, n, scale, time.Since(t0).Round(time.Second))
			t0 = time.Now()
			if _, err := f.App.Stats.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "cache-build-s")
			b.Logf("%s: indicator cache built in %s", e.Name, time.Since(t0).Round(time.Second))
			// The trailing twelve months: a scale's whole intake (the seed
			// spreads it over exactly that window).
			now := apptest.Now()
			year := now.AddDate(0, 0, -364).Format(time.DateOnly) + "…" + now.Format(time.DateOnly)
			period, err := stats.ParsePeriod(stats.PeriodCustom, "", now.AddDate(0, 0, -364).Format(time.DateOnly),
				now.Format(time.DateOnly))
			if err != nil {
				b.Fatal(err)
			}
			chief, err := db.UserByName(ctx, "shule_chief")
			if err != nil {
				b.Fatal(err)
			}
			units, err := f.App.Org.Units(ctx)
			if err != nil {
				b.Fatal(err)
			}
			// Every unit under an upper supervisor's unit (the demo's tree,
			// not the fixture's units).
			tree := func(username string) (stats.Request, stats.Query, int) {
				u, err := db.UserByName(ctx, username)
				if err != nil {
					b.Fatal(err)
				}
				var ids []int64
				for _, x := range units {
					if strings.HasPrefix(x.Path, u.UnitPath) {
						ids = append(ids, x.ID)
					}
				}
				return stats.Request{P: u.Principal(), Client: "bench"}, stats.Query{UnitIDs: ids, Period: period}, len(ids)
			}
			unitReq := stats.Request{P: chief.Principal(), Client: "bench"}
			unitQ := stats.Query{UnitIDs: []int64{chief.UnitID}, Period: period}
			provReq, provQ, provUnits := tree("xinjiang_upper")
			natReq, _, natUnits := tree("spp_upper")
			// Every unit of the nation, one row each, is over the API's
			// MaxUnits; the nation is measured as its total.
			provTotal := stats.Query{UnitIDs: []int64{provReq.P.UnitID}, WithSubordinates: true, Period: period}
			natTotal := stats.Query{UnitIDs: []int64{natReq.P.UnitID}, WithSubordinates: true, Period: period}
			var yearCases int
			if err := db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE received_on >= $1 AND received_on <= $2`,
				period.From, period.To).Scan(&yearCases); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: year %s has %d cases; province %d units, nation %d units", e.Name, year, yearCases, provUnits, natUnits)
			for _, sc := range []struct {
				name string
				run  func() error
			}{
				{"unit_year_cached", func() error { _, err := f.App.Stats.Values(ctx, unitReq, unitQ); return err }},
				{"unit_year_scratch", func() error { _, err := f.App.Stats.Scratch(ctx, unitReq, unitQ); return err }},
				{"province_year_cached", func() error { _, err := f.App.Stats.Values(ctx, provReq, provQ); return err }},
				{"province_year_scratch", func() error { _, err := f.App.Stats.Scratch(ctx, provReq, provQ); return err }},
				// The province and the nation as one total each (the
				// upper supervisor's unit with every unit below it).
				{"province_total_cached", func() error { _, err := f.App.Stats.Values(ctx, provReq, provTotal); return err }},
				{"nation_total_cached", func() error { _, err := f.App.Stats.Values(ctx, natReq, natTotal); return err }},
				{"nation_total_scratch", func() error { _, err := f.App.Stats.Scratch(ctx, natReq, natTotal); return err }},
				// The reference: one pass over the year's rows of the
				// cases table, reading the columns most indicators read.
				{"bare_scan_year", func() error {
					var k, closed, plea int
					return db.Reader().QueryRowContext(ctx, `SELECT count(*),
						SUM(CASE WHEN closed_on <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN plea THEN 1 ELSE 0 END)
						FROM cases WHERE received_on >= $1 AND received_on <= $2`,
						period.From, period.To).Scan(&k, &closed, &plea)
				}},
			} {
				if (sc.name == "nation_total_scratch" || sc.name == "province_year_scratch") && scale == seed.ScaleNation {
					// Recomputing millions of cases from the records takes
					// minutes a call (the province's 300,000 take 64 s on
					// PostgreSQL); it checks the cache, it never serves.
					b.Logf("%s: %s skipped at the nation scale", e.Name, sc.name)
					continue
				}
				b.Run(sc.name, func(b *testing.B) {
					var lat latencies
					for b.Loop() {
						// Each call reads the daily cache, as the first
						// view after a refresh does, not the memo.
						f.App.Stats.ForgetMemo()
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
