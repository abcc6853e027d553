package aid_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// The demo's talent pipeline: 喀什 has one staff member able to run case
// management and a second one pending a mentor's confirmation; the
// aiding mentor confirms and goal (1) moves; seeding again writes nothing.
func TestDemoTalent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		res, err := e.svc.Demo(ctx, aid.DemoUnits{Aiding: []int64{e.f.UnitB.ID}, Aided: []int64{e.f.UnitA.ID}})
		if err != nil {
			t.Fatal(err)
		}
		users := map[string]int64{}
		for demo, fixture := range map[string]string{"zhuzhou_cm": "b_case_manager", "shifeng_cm": "b_prosecutor",
			"kashi_cm": "a_prosecutor", "kashi_cm2": "a_prosecutor2", "kashi_pros1": "a_prosecutor3"} {
			users[demo] = e.f.User(t, fixture).ID
		}
		tr, err := e.svc.DemoTalent(ctx, res.PairingID, users)
		if err != nil || tr.Proposals != 1 || tr.Mentorships != 1 || tr.Levels == 0 {
			t.Fatalf("demo talent %+v %v", tr, err)
		}
		before := e.talentCounts(t)
		if again, err := e.svc.DemoTalent(ctx, res.PairingID, users); err != nil || again != (aid.DemoTalentResult{}) {
			t.Errorf("second run %+v %v", again, err)
		}
		e.talentUnchanged(t, "second run", before)
		if got := e.goal(t, res.PairingID); got != 1 {
			t.Fatalf("demo goal (1) = %d, want 1", got)
		}
		tl, err := e.svc.Talent(ctx, e.req(t, "b_case_manager"), res.PairingID)
		if err != nil || len(tl.Proposals) != 1 {
			t.Fatalf("talent %v %d", err, len(tl.Proposals))
		}
		if _, err := e.svc.Decide(ctx, e.req(t, "b_case_manager"), tl.Proposals[0].ID, aid.DecisionConfirm, "同意"); err != nil {
			t.Fatal(err)
		}
		if got := e.goal(t, res.PairingID); got != 2 {
			t.Fatalf("goal (1) after confirmation = %d, want 2", got)
		}
	})
}
