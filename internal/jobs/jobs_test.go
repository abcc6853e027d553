package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/jobs"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestOneInstanceRunsEachPeriod: several instances (runners with their
// own connections) racing for the same job run it once per period; a
// failed run is recorded and released; after the period it runs again.
func TestOneInstanceRunsEachPeriod(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			_, dsn := e.Open(t) // migrated
			var mu sync.Mutex
			now := time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC)
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			var runs atomic.Int32
			fail := atomic.Bool{}
			job := jobs.Job{Name: "test.scan", Every: 5 * time.Minute, Run: func(context.Context) (string, error) {
				runs.Add(1)
				time.Sleep(20 * time.Millisecond) // hold the claim while the others try
				if fail.Load() {
					return "", errors.New("boom")
				}
				return "ok", nil
			}}
			ctx := context.Background()
			var dbs []*store.DB
			var runners []*jobs.Runner
			for i := range 4 {
				db, err := store.Open(ctx, dsn, store.Options{Now: clock})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
				runners = append(runners, jobs.NewRunner(db, "instance-"+string(rune('a'+i)), slog.New(slog.NewTextHandler(io.Discard, nil)), job))
			}
			round := func() int {
				var wg sync.WaitGroup
				for _, r := range runners {
					wg.Go(func() {
						if _, err := r.RunDue(ctx); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				return int(runs.Swap(0))
			}
			if n := round(); n != 1 {
				t.Fatalf("first round: %d runs, want 1", n)
			}
			if n := round(); n != 0 {
				t.Fatalf("same period: %d runs, want 0", n)
			}
			mu.Lock()
			now = now.Add(5 * time.Minute)
			mu.Unlock()
			fail.Store(true)
			if n := round(); n != 1 {
				t.Fatalf("next period: %d runs, want 1", n)
			}
			js, err := dbs[0].Jobs(ctx)
			if err != nil || len(js) != 1 || js[0].LastResult != "error: boom" || !js[0].LeaseUntil.IsZero() {
				t.Fatalf("jobs table after a failed run: %+v %v", js, err)
			}
		})
	}
}
