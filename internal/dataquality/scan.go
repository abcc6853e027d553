package dataquality

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
)

// Scan kinds.
const (
	ScanNightly = "nightly" // every card, by the job runner
	ScanUnit    = "unit"    // a case manager's "scan now" of one unit
	ScanCard    = "card"    // one card after its case or the card changed
	ScanImport  = "import"  // the cards of one import
)

// ProblemHit is a rule hit as the store keeps it.
type ProblemHit struct {
	RuleID   string
	Version  int
	Kind     string
	Severity string
	Item     string
	DueOn    string
}

// CardResult is the complete scan result of one card: every rule that hits
// it now. Reconciling it opens the new hits and closes as fixed every
// earlier problem of the card that no longer hits.
type CardResult struct {
	CardID     int64
	UnitID     int64
	HandlerID  int64
	Handler    string
	Department string
	Hits       []ProblemHit
}

// Applied counts what reconciling results changed.
type Applied struct {
	Opened int
	Fixed  int
}

// ScanRecord is one scan as the scan log keeps it.
type ScanRecord struct {
	ID          int64
	Kind        string
	UnitID      int64
	StartedAt   int64 // unix ms
	FinishedAt  int64
	Cards       int
	Rules       int
	Evaluations int64
	Hits        int
	Opened      int
	Fixed       int
	// RuntimeErrors counts expressions that failed on a card (not hits).
	RuntimeErrors int
}

// ScanStore reads cards for scans and reconciles results.
type ScanStore interface {
	// EachCardGroup calls fn with the cards of each unified case number
	// (a card without one is a group of its own), every card of the
	// database or, when unitID is set, the groups holding a card of that
	// unit. fn must not keep the slice.
	EachCardGroup(ctx context.Context, unitID int64, fn func(group []casecard.Card) error) error
	// ApplyHits reconciles the problems of the cards in results, and when
	// anything changes appends a (copy of) a in the same transaction.
	ApplyHits(ctx context.Context, results []CardResult, today string, a audit.Record) (Applied, error)
	// ActiveProblemRules maps each card (of unitID, or every card for 0)
	// to the rules of its unfixed problems: the snapshot a scan compares
	// its results with, so that cards whose problems stay the same cost
	// no write and no further read.
	ActiveProblemRules(ctx context.Context, unitID int64) (map[int64][]string, error)
	RecordScan(ctx context.Context, rec ScanRecord, a audit.Record) (int64, error)
	LastScans(ctx context.Context, unitID int64, limit int) ([]ScanRecord, error)
}

// scanner evaluates cards against one library on one day; the fix dates
// of each FixDays are counted once.
type scanner struct {
	s     *Service
	lib   *Library
	today string
	mu    sync.Mutex
	due   map[int]string
}

func (s *Service) newScanner() *scanner {
	return &scanner{s: s, lib: s.Library(), today: s.Today(), due: map[int]string{}}
}

func (sc *scanner) dueOn(days int) string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	d, ok := sc.due[days]
	if !ok {
		d = sc.s.dueOn(sc.today, days)
		sc.due[days] = d
	}
	return d
}

// result checks card c with the other cards of its group as related.
// buf is reused between calls.
func (sc *scanner) result(c casecard.Card, group []casecard.Card, env *Env, buf []Hit) (CardResult, []Hit, int, int) {
	env.Card, env.Today = c, sc.today
	env.Related = env.Related[:0]
	for _, o := range group {
		if o.StageNo != c.StageNo {
			env.Related = append(env.Related, o)
		}
	}
	buf, evals := sc.lib.CheckInto(buf[:0], env)
	res := CardResult{CardID: c.ID, UnitID: c.UnitID, HandlerID: c.HandlerID, Handler: c.Handler, Department: c.Department}
	errs := 0
	for _, h := range buf {
		if h.Err != nil {
			errs++
			continue
		}
		r, _ := sc.lib.Rule(h.RuleID)
		res.Hits = append(res.Hits, ProblemHit{RuleID: h.RuleID, Version: h.Version, Kind: h.Kind,
			Severity: h.Severity, Item: h.Item, DueOn: sc.dueOn(r.FixDays)})
	}
	return res, buf, evals, errs
}

// ScanAll scans every card (the nightly job): it first projects the cards
// of cases changed since their card was written, then evaluates each
// group of related cards on all processors and reconciles the problems in
// batches.
func (s *Service) ScanAll(ctx context.Context) (ScanRecord, error) {
	if _, err := s.store.SyncCaseCards(ctx); err != nil {
		return ScanRecord{}, fmt.Errorf("dataquality: sync case cards: %w", err)
	}
	return s.scan(ctx, ScanNightly, 0, systemActor())
}

// ScanUnitNow scans the cards of the caller's unit on demand.
func (s *Service) ScanUnitNow(ctx context.Context, r Request, unitID int64) (ScanRecord, error) {
	if !access.CanImportCards(r.P, unitID) {
		return ScanRecord{}, apperr.ErrForbidden
	}
	if _, err := s.store.SyncCaseCards(ctx); err != nil {
		return ScanRecord{}, err
	}
	return s.scan(ctx, ScanUnit, unitID, audit.ActorOf(r.P, r.Client, r.RequestID))
}

// scanBatch is how many card results are reconciled per transaction.
const scanBatch = 2000

func (s *Service) scan(ctx context.Context, kind string, unitID int64, actor audit.Actor) (ScanRecord, error) {
	sc := s.newScanner()
	rec := ScanRecord{Kind: kind, UnitID: unitID, StartedAt: s.now().UnixMilli(), Rules: sc.lib.Len()}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	groups := make(chan []casecard.Card, 256)
	batches := make(chan []CardResult, 4)
	type tally struct {
		cards, hits, errs int
		evals             int64
	}
	tallies := make(chan tally, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var t tally
			env := &Env{}
			var buf []Hit
			batch := make([]CardResult, 0, scanBatch)
			for g := range groups {
				for _, c := range g {
					if unitID != 0 && c.UnitID != unitID {
						continue // a related card of another unit: context only
					}
					var res CardResult
					var evals, errs int
					res, buf, evals, errs = sc.result(c, g, env, buf)
					t.cards++
					t.evals += int64(evals)
					t.hits += len(res.Hits)
					t.errs += errs
					batch = append(batch, res)
					if len(batch) == scanBatch {
						select {
						case batches <- batch:
						case <-ctx.Done():
							return
						}
						batch = make([]CardResult, 0, scanBatch)
					}
				}
			}
			if len(batch) > 0 {
				select {
				case batches <- batch:
				case <-ctx.Done():
				}
			}
			tallies <- t
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		err := s.store.EachCardGroup(ctx, unitID, func(g []casecard.Card) error {
			cp := make([]casecard.Card, len(g))
			copy(cp, g)
			select {
			case groups <- cp:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(groups)
		readErr <- err
	}()
	go func() { wg.Wait(); close(batches) }()

	snapshot, err := s.store.ActiveProblemRules(ctx, unitID)
	if err != nil {
		cancel()
		for range batches { // let the workers and the reader finish
		}
		<-readErr
		return rec, fmt.Errorf("dataquality: read problems: %w", err)
	}
	var applyErr error
	a := newRecord(actor, "dq.scan_batch", objScan, 0, "kind="+kind)
	for b := range batches {
		if applyErr != nil {
			continue // drain so the workers can finish
		}
		b = changed(b, snapshot)
		if len(b) == 0 {
			continue
		}
		n, err := s.store.ApplyHits(ctx, b, sc.today, a)
		if err != nil {
			applyErr = err
			cancel()
			continue
		}
		rec.Opened += n.Opened
		rec.Fixed += n.Fixed
	}
	if err := <-readErr; err != nil && !errors.Is(err, context.Canceled) {
		return rec, fmt.Errorf("dataquality: read cards: %w", err)
	}
	if applyErr != nil {
		return rec, fmt.Errorf("dataquality: apply hits: %w", applyErr)
	}
	close(tallies)
	for t := range tallies {
		rec.Cards += t.cards
		rec.Hits += t.hits
		rec.Evaluations += t.evals
		rec.RuntimeErrors += t.errs
	}
	rec.FinishedAt = s.now().UnixMilli()
	id, err := s.store.RecordScan(ctx, rec, newRecord(actor, "dq.scan", objScan, 0,
		fmt.Sprintf("kind=%s unit=%d cards=%d evaluations=%d hits=%d opened=%d fixed=%d",
			kind, unitID, rec.Cards, rec.Evaluations, rec.Hits, rec.Opened, rec.Fixed)))
	rec.ID = id
	return rec, err
}

// TxCheck is the check of one case's card as the store applies it inside
// the transaction that rewrote the card: the result, the day of the
// finding, and the audit entry written when problems open or close.
type TxCheck struct {
	Result CardResult
	Today  string
	Audit  audit.Record
}

// CheckCaseCard checks the card of a case as the transaction that just
// rewrote it sees it; group is every card of its unified case number, the
// card included. The store runs it in every write of a case (wired by
// store.SetCardCheck), so each save is checked at once and the card's
// problem list commits with the card; the nightly scan checks every card
// again.
func (s *Service) CheckCaseCard(c casecard.Card, group []casecard.Card) TxCheck {
	sc := s.newScanner()
	res, _, _, _ := sc.result(c, group, &Env{}, nil)
	return TxCheck{Result: res, Today: sc.today,
		Audit: newRecord(systemActor(), "dq.scan_card", objCard, c.ID, "case="+itoa(c.CaseID))}
}

// related reads the cards sharing c's unified case number, c excluded.
func (s *Service) related(ctx context.Context, c casecard.Card) ([]casecard.Card, error) {
	if c.UniformNo == "" {
		return []casecard.Card{c}, nil
	}
	group, err := s.store.CardsByUniform(ctx, []string{c.UniformNo})
	if err != nil {
		return nil, err
	}
	found := false
	for i := range group {
		if group[i].StageNo == c.StageNo {
			group[i], found = c, true
		}
	}
	if !found {
		group = append(group, c)
	}
	return group, nil
}

// resultOf scans one card with its related cards as stored.
func (s *Service) resultOf(ctx context.Context, c casecard.Card) (CardResult, error) {
	group, err := s.related(ctx, c)
	if err != nil {
		return CardResult{}, err
	}
	res, _, _, _ := s.newScanner().result(c, group, &Env{}, nil)
	return res, nil
}

// LastScans lists the latest scans of a unit (0: the nightly scans).
func (s *Service) LastScans(ctx context.Context, r Request, unitID int64) ([]ScanRecord, error) {
	if !access.CanReadDataReports(r.P) && !access.CanImportCards(r.P, unitID) {
		return nil, apperr.ErrForbidden
	}
	return s.store.LastScans(ctx, unitID, 10)
}

// changed keeps the results whose rules differ from the snapshot of
// unfixed problems; the store re-reads those inside its transaction.
func changed(results []CardResult, snapshot map[int64][]string) []CardResult {
	out := results[:0]
	for _, r := range results {
		have := snapshot[r.CardID]
		same := len(have) == len(r.Hits)
		for _, h := range r.Hits {
			if !same {
				break
			}
			same = slices.Contains(have, h.RuleID)
		}
		if !same {
			out = append(out, r)
		}
	}
	return out
}
