package monitor

import (
	"context"
	"fmt"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/deadline"
)

// scanBatch is how many cases one store round trip loads; each batch's new
// findings commit in one transaction.
const scanBatch = 200

// closedLookbackDays is how long a closed case stays in the scan. Two
// rules look at closed cases: the case card at closing, and investigative
// custody, which runs 2 months after an arrest review closes (CPL 156).
// 100 days covers the custody period with its 7-day warning and leaves a
// month for scans that did not run.
const closedLookbackDays = 100

// SnapshotQuery selects the next batch of cases to scan: cases after
// AfterID in id order, open, or closed on or after ClosedSince. Sealed
// records (CPL 286) are left out: their findings could be shown to nobody
// but the handler.
type SnapshotQuery struct {
	AfterID     int64
	Limit       int
	ClosedSince string
}

// ScanRun is one finished scan, as the patrol log lists it.
type ScanRun struct {
	ID         int64
	Day        string // the legal date scanned for
	StartedAt  time.Time
	FinishedAt time.Time
	Cases      int // cases checked
	Hits       int // problems seen (new or already on file)
	Created    int // new findings
}

// Scan is the daily patrol (日巡查) by the system: it checks every case in
// the scan window against the active rules as of today, in batches, and
// records a finding for each problem not already on file. A rerun on the
// same day, or on any later day, finds the same problems and creates
// nothing new.
func (s *Service) Scan(ctx context.Context, today string) (ScanRun, error) {
	day, err := deadline.ParseDate(today)
	if err != nil {
		return ScanRun{}, apperr.Invalid("today", "err.date_invalid")
	}
	run := ScanRun{Day: today, StartedAt: s.now()}
	engine := s.engine()
	q := SnapshotQuery{Limit: scanBatch, ClosedSince: day.AddDays(-closedLookbackDays).String()}
	for {
		snaps, err := s.store.MonitorSnapshots(ctx, q)
		if err != nil {
			return run, err
		}
		if len(snaps) == 0 {
			break
		}
		var news []NewFinding
		for _, snap := range snaps {
			snap.Today = today
			// A case recorded before clocks were stored has none: derive
			// them, so a missing row never hides an overdue period.
			if len(snap.Clocks) == 0 {
				snap.Clocks = DeriveClocks(engine, snap)
			}
			for _, f := range Evaluate(s.rules, snap) {
				rec := record(systemActor(), "monitor.finding_create", 0,
					fmt.Sprintf("case=%d rule=%s key=%s", f.Case.ID, f.RuleID, f.DedupKey))
				news = append(news, NewFinding{Finding: f, Audit: rec})
			}
			q.AfterID = snap.Case.ID
		}
		run.Cases += len(snaps)
		run.Hits += len(news)
		if len(news) > 0 {
			ids, err := s.store.CreateMonitorFindings(ctx, news)
			if err != nil {
				return run, err
			}
			for _, id := range ids {
				if id != 0 {
					run.Created++
				}
			}
		}
		if len(snaps) < q.Limit {
			break
		}
	}
	run.FinishedAt = s.now()
	rec := record(systemActor(), "monitor.scan", 0,
		fmt.Sprintf("day=%s cases=%d hits=%d created=%d", today, run.Cases, run.Hits, run.Created))
	rec.ObjectType = "monitor_scan"
	if err := s.store.RecordMonitorScan(ctx, run, rec); err != nil {
		return run, err
	}
	return run, nil
}
