package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// Concurrent rotations among equal-weight members never differ by more
// than one case: the pool row is held for the whole assignment.
func TestConcurrentRotationIsFair(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := apptest.New(t, db, nil)
		ctx := context.Background()
		req := f.Request(t, "a_case_manager")
		const n = 40
		ids := make([]int64, n)
		for i := range ids {
			var err error
			if ids[i], err = f.App.Cases.Register(ctx, req, apptest.Intake(i)); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range ids {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = f.App.Assigner.Rotate(ctx, req, ids[i])
			}(i)
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("rotate %d: %v", i, err)
			}
		}
		loads, err := f.App.Pools.Workload(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, l := range loads {
			counts[l.Name] += l.Open
		}
		lo, hi, total := n, 0, 0
		for _, name := range []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"} {
			c := counts[f.User(t, name).Name]
			lo, hi, total = min(lo, c), max(hi, c), total+c
		}
		if total != n || hi-lo > 1 {
			t.Fatalf("unfair rotation: %v (total %d)", counts, total)
		}
	})
}

// Registered absence skips a member without compensation; a change of the
// member's handling unit gives one case of priority.
func TestAbsenceAndCompensation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := apptest.New(t, db, nil)
		ctx := context.Background()
		req := f.Request(t, "a_case_manager")
		p2 := f.User(t, "a_prosecutor2")
		p3 := f.User(t, "a_prosecutor3")
		if err := f.App.Pools.PutMember(ctx, req, f.Pool, casefile.MemberChange{UserID: p2.ID, M: 1, N: 1, Absent: true}); err != nil {
			t.Fatal(err)
		}
		if err := f.App.Pools.PutMember(ctx, req, f.Pool, casefile.MemberChange{UserID: p3.ID, M: 1, N: 1, HandlingUnitChanged: true}); err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := 0; i < 4; i++ {
			id, err := f.App.Cases.Register(ctx, req, apptest.Intake(i))
			if err != nil {
				t.Fatal(err)
			}
			a, err := f.App.Assigner.Rotate(ctx, req, id)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, a.HandlerName)
			if a.Explanation == "" {
				t.Fatal("no explanation")
			}
		}
		p1 := f.User(t, "a_prosecutor").Name
		want := []string{p3.Name, p1, p3.Name, p1} // compensation first, then p2 skipped each round
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("order = %v, want %v", got, want)
			}
		}
	})
}
