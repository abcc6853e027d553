package seed_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDemoAidTalent: on first start the Zhuzhou–Kashgar pairing tells the
// goal (1) story: 喀什市院 has 1 of 2, 疏勒县院 none, a proposal waits for
// a Zhuzhou mentor, and the mentor's confirmation brings 喀什市院 to 2.
func TestDemoAidTalent(t *testing.T) {
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
		if _, err := seed.Aid(ctx, seed.AidDeps{Units: db, Aid: app.Aid}); err != nil {
			t.Fatalf("second run: %v", err)
		}
		user := func(name string) aid.Request {
			u, err := db.UserByName(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return aid.Request{P: u.Principal(), Client: "test"}
		}
		counts := func() map[string]int {
			g, err := app.Aid.Goal(ctx, user("kashi_cm"), res.PairingID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, u := range g.Units {
				out[u.Unit.Name] = u.Count
			}
			return out
		}
		if c := counts(); c["喀什市人民检察院"] != 1 || c["疏勒县人民检察院"] != 0 {
			t.Fatalf("demo goal (1): %v", c)
		}
		tl, err := app.Aid.Talent(ctx, user("zhuzhou_cm"), res.PairingID)
		if err != nil {
			t.Fatal(err)
		}
		var pending []aid.Proposal
		for _, p := range tl.Proposals {
			if p.Status == aid.ProposalPending {
				pending = append(pending, p)
			}
		}
		if len(pending) != 1 || len(tl.Mentorships) != 2 || len(tl.Evidence) < 5 {
			t.Fatalf("demo talent: %d pending, %d mentorships, %d evidence", len(pending), len(tl.Mentorships), len(tl.Evidence))
		}
		// The knowledge base answers a search on first start.
		if _, qs, err := app.Aid.Questions(ctx, user("shule_cm"), res.PairingID, "退查"); err != nil || len(qs) != 1 {
			t.Fatalf("knowledge base search: %d %v", len(qs), err)
		}
		if _, err := app.Aid.Decide(ctx, user("zhuzhou_cm"), pending[0].ID, aid.DecisionConfirm, "同意"); err != nil {
			t.Fatal(err)
		}
		if c := counts(); c["喀什市人民检察院"] != 2 {
			t.Fatalf("after the mentor's confirmation: %v", c)
		}
	})
}
