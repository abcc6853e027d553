package seed_test

import (
	"context"
	"slices"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDemoAidGoals: on first start the demo pairing's goals are saved and
// the progress page tells a story: 喀什市院 reached goal (1)'s first
// backbone in the last quarters, its talent echelon filled up over the
// year (疏勒县院 since December), both aided offices are compared with their two same-level peers.
func TestDemoAidGoals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := apptest.New(t, db, nil)
		app := f.App
		k := app.Cases.Clocker()
		if _, err := seed.Demo(ctx, seed.Deps{Org: app.Org, Store: db, T: app.T.T, Clocker: &k, Now: apptest.Now},
			seed.Options{Cases: 10, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		res, err := seed.Aid(ctx, seed.AidDeps{Units: db, Aid: app.Aid})
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.UserByName(ctx, "zhuzhou_aid")
		if err != nil {
			u, err = db.UserByName(ctx, "zhuzhou_cm")
		}
		if err != nil {
			t.Fatal(err)
		}
		r := aid.Request{P: u.Principal(), Client: "test"}
		_, g, err := app.Aid.Goals(ctx, r, res.PairingID)
		if err != nil || len(g.Saved) != 4 {
			t.Fatalf("demo goals saved %v: %v", g.Saved, err)
		}
		p, err := app.Aid.ProgressView(ctx, r, res.PairingID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Units) != 2 {
			t.Fatalf("units %d", len(p.Units))
		}
		for _, up := range p.Units {
			vals := map[string][]int{}
			for _, code := range aid.GoalCodes() {
				for _, m := range up.Points {
					vals[code] = append(vals[code], m.Value(code))
				}
			}
			if up.Current().Position.Peers != 2 {
				t.Errorf("%s: goal (2) peers %d, want 2", up.Unit.Name, up.Current().Position.Peers)
			}
			switch up.Unit.Name {
			case "喀什市人民检察院":
				if !slices.Equal(vals[aid.GoalStaff], []int{0, 0, 0, 1, 1}) {
					t.Errorf("喀什 goal (1) trend %v", vals[aid.GoalStaff])
				}
				if e := vals[aid.GoalEchelon]; e[0] >= e[len(e)-1] {
					t.Errorf("喀什 goal (4) trend does not move up: %v", e)
				}
			case "疏勒县人民检察院":
				if !slices.Equal(vals[aid.GoalStaff], []int{0, 0, 0, 0, 0}) {
					t.Errorf("疏勒 goal (1) trend %v", vals[aid.GoalStaff])
				}
				if e := vals[aid.GoalEchelon]; !slices.Equal(e, []int{1, 1, 1, 2, 2}) {
					t.Errorf("疏勒 goal (4) trend %v", e)
				}
			}
		}
		// Seeding again writes nothing more.
		if again, err := app.Aid.DemoGoals(ctx, res.PairingID, map[string]int64{}); err != nil || again.Saved {
			t.Errorf("second run %+v %v", again, err)
		}
	})
}
