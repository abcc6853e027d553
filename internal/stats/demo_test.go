package stats_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDemoCacheAndEngines seeds the demo (a few hundred cases over the
// eight demo units) on every engine: the incrementally kept cache equals
// the computation from scratch for every unit and several periods, and
// SQLite and PostgreSQL give the same values for every indicator.
func TestDemoCacheAndEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	results := map[string]map[string]stats.Value{}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := newWorldOrg(db)
		if _, err := seed.Demo(ctx, seed.Deps{Org: o, Store: db, Now: now}, seed.Options{Cases: 300, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := seed.StatsShares(ctx, db); err != nil {
			t.Fatal(err)
		}
		// Cards of anguan's own cases, so the card measures are not empty.
		if _, err := db.SyncCaseCards(ctx); err != nil {
			t.Fatal(err)
		}
		svc, err := stats.NewService(db, now)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Refresh(ctx); err != nil || n == 0 {
			t.Fatalf("refresh = %d, %v", n, err)
		}
		periods := []stats.Period{{From: "2000-01-01", To: "2100-12-31"}}
		for _, k := range [][2]string{{"year", "2025"}, {"year", "2026"}, {"quarter", "2026-Q1"}, {"month", "2026-02"}, {"month", "2026-03"}} {
			p, err := stats.ParsePeriod(k[0], k[1], "", "")
			if err != nil {
				t.Fatal(err)
			}
			periods = append(periods, p)
		}
		for _, p := range periods[1:] {
			diffs, err := svc.Verify(ctx, nil, p)
			if err != nil || len(diffs) != 0 {
				t.Fatalf("verify %s: %+v, %v", p.Label(), diffs, err)
			}
		}
		// The whole range is beyond a custom period; check it unit by unit
		// through the store directly.
		units, err := db.StatsUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			c, err := db.StatsCachedSums(ctx, stats.UnitSel{UnitID: u.ID, Subtree: true}, periods[0])
			if err != nil {
				t.Fatal(err)
			}
			s, err := db.StatsScratchSums(ctx, stats.UnitSel{UnitID: u.ID, Subtree: true}, periods[0])
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(c) != fmt.Sprint(s) {
				t.Errorf("%s: cache %v, scratch %v", u.Name, c, s)
			}
		}
		// The numbers the case manager of 喀什市院 sees: its own, and the
		// paired units' that share with it.
		cm, err := db.UserByName(ctx, "kashi_cm")
		if err != nil {
			t.Fatal(err)
		}
		r := stats.Request{P: cm.Principal(), Client: "test"}
		peers, err := svc.Peers(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(peers) != 5 {
			t.Errorf("喀什市院 sees %d units' aggregates, want itself and the 4 paired units", len(peers))
		}
		var ids []int64
		for _, p := range peers {
			ids = append(ids, p.ID)
		}
		got := map[string]stats.Value{}
		nonzero := 0
		for _, p := range periods[1:] {
			uvs, err := svc.Values(ctx, r, stats.Query{UnitIDs: ids, Period: p})
			if err != nil {
				t.Fatal(err)
			}
			for _, uv := range uvs {
				for _, v := range uv.Values {
					got[fmt.Sprintf("%s|%s|%s", uv.UnitName, p.Label(), v.Indicator)] = v
					if v.Defined && v.Num > 0 {
						nonzero++
					}
				}
			}
		}
		if nonzero < 50 {
			t.Errorf("only %d non-zero values over the demo", nonzero)
		}
		results[t.Name()] = got
	})
	var first map[string]stats.Value
	var firstName string
	for name, got := range results {
		if first == nil {
			first, firstName = got, name
			continue
		}
		if len(got) != len(first) {
			t.Fatalf("%s has %d values, %s %d", name, len(got), firstName, len(first))
		}
		for k, v := range first {
			if got[k] != v {
				t.Errorf("%s: %s %+v, %s %+v", k, firstName, v, name, got[k])
			}
		}
	}
}
