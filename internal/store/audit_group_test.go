package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestAppendAuditGroupCommit appends from many goroutines at once (the
// group commit shares transactions between them), some with a context
// cancelled while they wait: every entry is committed exactly once, every
// caller hears success, and the chain verifies end to end.
func TestAppendAuditGroupCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const n = 300
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				c := ctx
				if i%10 == 0 { // a caller that gives up at once: its entry is still written
					cc, cancel := context.WithCancel(ctx)
					cancel()
					c = cc
				}
				errs[i] = db.AppendAudit(c, audit.Record{Actor: audit.System("group-test"), Action: "test.group",
					ObjectType: "test", ObjectID: fmt.Sprint(i), Result: audit.ResultOK})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("append %d: %v", i, err)
			}
		}
		after, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatalf("the chain does not verify after concurrent appends: %v", err)
		}
		if after-before != n {
			t.Errorf("entries written = %d, want %d", after-before, n)
		}
		var rows, distinct int
		if err := db.QueryRowForTest(ctx, `SELECT count(*), count(DISTINCT object_id) FROM audit_log WHERE action = 'test.group'`).
			Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != n || distinct != n {
			t.Errorf("audit rows %d, distinct objects %d; want %d of each", rows, distinct, n)
		}
	})
}
