package seed_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDemoDataQuality seeds the demo with its case-card imports: every
// case-handling unit imports its national-system file, the first scan
// finds the injected errors, the anguan cases' own cards are clean, and
// each unit's accuracy is high but not perfect (a story to tell).
func TestDemoDataQuality(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := apptest.New(t, db, nil)
		app := f.App
		k := app.Cases.Clocker()
		if _, err := seed.Demo(ctx, seed.Deps{Org: app.Org, Store: db, T: app.T.T, Clocker: &k, Now: apptest.Now},
			seed.Options{Cases: 300, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		vocab, err := app.Data.Vocabulary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := seed.DataQuality(ctx, seed.DataDeps{Org: app.Org, Data: app.Data, Vocab: vocab, Seed: 1, Now: apptest.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 5*seed.DemoCardsPerUnit {
			t.Errorf("imported %d cards, want %d", res.Imported, 5*seed.DemoCardsPerUnit)
		}
		if res.Scan.Cards < res.Imported || res.Scan.Hits == 0 || res.Scan.Opened != 0 {
			t.Errorf("first full scan = %+v; want every card checked and nothing new after the imports' own scans", res.Scan)
		}
		cm, err := db.UserByName(ctx, "kashi_cm")
		if err != nil {
			t.Fatal(err)
		}
		req := dataquality.Request{P: cm.Principal(), Client: "test"}
		acc, err := app.Data.Accuracy(ctx, req, dataquality.ByUnit)
		if err != nil || len(acc) != 1 {
			t.Fatalf("accuracy = %+v, %v", acc, err)
		}
		if r := acc[0].Rate(); r < 80 || r >= 100 {
			t.Errorf("喀什市院 accuracy %.1f%%; want high but not perfect", r)
		}
		ps, _, err := app.Data.Problems(ctx, req, dataquality.ProblemFilter{Status: dataquality.StatusOpen, Limit: 500})
		if err != nil || len(ps) == 0 {
			t.Fatalf("open problems = %d, %v", len(ps), err)
		}
		for _, p := range ps {
			card, err := db.Card(ctx, p.CardID)
			if err != nil {
				t.Fatal(err)
			}
			if card.Source != "import" {
				t.Errorf("a problem on an anguan case's own card: %s %s", p.RuleID, p.StageNo)
			}
		}
	})
}
