package aid_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// The demo pairing has a year of activity with three trainings, and its
// fund never goes negative; seeding again writes nothing.
func TestDemo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		units := aid.DemoUnits{Aiding: []int64{e.f.UnitB.ID}, Aided: []int64{e.f.UnitA.ID}}
		res, err := e.svc.Demo(ctx, units)
		if err != nil {
			t.Fatal(err)
		}
		before := e.counts(t)
		if again, err := e.svc.Demo(ctx, units); err != nil || again.PairingID != res.PairingID || again.Activities != 0 {
			t.Errorf("second demo: %+v %v", again, err)
		}
		e.unchanged(t, "second demo", before)
		cm := e.req(t, "a_case_manager")
		_, as, err := e.svc.Activities(ctx, cm, res.PairingID)
		if err != nil {
			t.Fatal(err)
		}
		trainings := 0
		for _, a := range as {
			if a.Kind == aid.KindTraining {
				trainings++
			}
		}
		if len(as) != res.Activities || trainings != 3 {
			t.Errorf("activities %d, trainings %d", len(as), trainings)
		}
		_, es, tot, err := e.svc.Ledger(ctx, cm, res.PairingID)
		if err != nil || len(es) != res.Entries || tot.BalanceFen != 70_000_000-1_286_000-350_000-2_418_050-15_800_000-862_500 {
			t.Errorf("ledger %d entries, totals %+v, %v", len(es), tot, err)
		}
		for _, en := range es {
			if en.BalanceFen < 0 {
				t.Errorf("negative balance after %+v", en)
			}
		}
	})
}
