package seed_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDemoMonitoring: on the demo data the board shows clocks of every
// colour, the first scan finds problems, the demo walks findings through
// the graded response, and — after the fake clock moves past the reply
// due date — an unanswered notice escalates automatically and goes on to
// the chief and to discipline inspection.
func TestDemoMonitoring(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		now := apptest.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		f := apptest.New(t, db, clock)
		app := f.App
		k := app.Cases.Clocker()
		if _, err := seed.Demo(ctx, seed.Deps{Org: app.Org, Store: db, T: app.T.T, Clocker: &k, Now: clock},
			seed.Options{Cases: seed.DefaultCases, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		upper, err := db.UserByName(ctx, "spp_upper")
		if err != nil {
			t.Fatal(err)
		}
		cc, err := app.Board.CountsFor(ctx, upper.Principal(), casefile.BoardFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if cc.Red == 0 || cc.Orange == 0 || cc.Yellow == 0 || cc.None == 0 {
			t.Errorf("demo board lacks a colour: %+v", cc)
		}
		t.Logf("demo board: %+v", cc)

		res, err := seed.Monitoring(ctx, seed.MonitorDeps{Org: app.Org, Monitor: app.Monitor})
		if err != nil {
			t.Fatal(err)
		}
		if res.Findings == 0 || res.Prompted != 1 || res.Replied != 1 || res.Closed != 1 || res.Noticed != 3 || res.Reported != 1 {
			t.Fatalf("monitoring demo: %+v", res)
		}
		cm, err := db.UserByName(ctx, "kashi_cm")
		if err != nil {
			t.Fatal(err)
		}
		req := monitor.Request{P: cm.Principal(), Client: "test"}
		waiting, _, err := app.Monitor.List(ctx, req, monitor.Filter{Status: monitor.StatusAwaitingReply, Limit: 50})
		if err != nil || len(waiting) != 2 {
			t.Fatalf("awaiting reply: %d %v", len(waiting), err)
		}
		var target monitor.Finding
		for _, w := range waiting {
			if !w.Reported {
				target = w
			}
		}
		if target.ID == 0 || target.Notice == nil {
			t.Fatalf("no unanswered, unreported notice among %+v", waiting)
		}
		if n, err := app.Monitor.EscalateOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("escalated %d before the due date (%v)", n, err)
		}
		// Past the reply due date (10 days, 5 for civil supervision).
		mu.Lock()
		now = now.AddDate(0, 0, 20)
		mu.Unlock()
		if n, err := app.Monitor.EscalateOverdue(ctx); err != nil || n != 2 {
			t.Fatalf("escalated %d, want both unanswered notices (%v)", n, err)
		}
		if err := app.Monitor.ReportChief(ctx, req, target.ID, "逾期未回复，书面报告检察长"); err != nil {
			t.Fatal(err)
		}
		if err := app.Monitor.TransferDiscipline(ctx, req, target.ID, "移送检务督察部门"); err != nil {
			t.Fatal(err)
		}
		if err := app.Monitor.Close(ctx, req, target.ID, false, "逾期未整改"); err != nil {
			t.Fatal(err)
		}
		d, err := app.Monitor.Get(ctx, req, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []monitor.ActionKind
		for _, a := range d.Actions {
			kinds = append(kinds, a.Kind)
		}
		want := []monitor.ActionKind{monitor.ActDetect, monitor.ActNotice, monitor.ActEscalate, monitor.ActReportChief,
			monitor.ActTransfer, monitor.ActCloseNotRectified}
		if !slices.Equal(kinds, want) {
			t.Errorf("history %v, want %v", kinds, want)
		}
		// The demo's other path: prompt, and notice → reply → rectified.
		closed, _, err := app.Monitor.List(ctx, req, monitor.Filter{Status: monitor.StatusRectified, Limit: 50})
		if err != nil || len(closed) != 1 {
			t.Fatalf("rectified: %d %v", len(closed), err)
		}
		// One finished evaluation activity per unit that handles cases
		// (喀什分院, 喀什市, 疏勒, 株洲, 石峰), so the quality statistics
		// show something on first start.
		ev, err := seed.Evaluation(ctx, seed.EvaluationDeps{Org: app.Org, Evaluation: app.Evaluation, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Activities != 5 || ev.Records == 0 || ev.Objections == 0 || len(ev.Skipped) != 0 {
			t.Errorf("evaluation demo: %+v", ev)
		}
		t.Logf("evaluation demo: %+v", ev)
		if n, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit chain after %d entries: %v", n, err)
		}
	})
}
