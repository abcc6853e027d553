package casefile

import (
	"context"
	"fmt"
	"slices"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/deadline"
)

// BoardStore is what the monitoring board needs from persistence: stored
// clocks filtered by scope in SQL, and the batch write of a full
// recomputation.
type BoardStore interface {
	Board(ctx context.Context, s access.Scope, f BoardFilter, today string) ([]BoardRow, string, error)
	ClockCounts(ctx context.Context, s access.Scope, f BoardFilter, today string) (ColourCounts, error)
	OpenClockCases(ctx context.Context, afterID int64, limit int) ([]Case, error)
	ClockFacts(ctx context.Context, c Case) (ClockFacts, error)
	ReplaceClocks(ctx context.Context, batch []CaseClocks, a audit.Record) (int, error)
}

// BoardFilter narrows the monitoring board (流程监控台). Zero values mean
// "any".
type BoardFilter struct {
	DepartmentID int64
	HandlerID    int64
	Category     string
	Kind         string
	Colour       string // red, orange, yellow, none
	Limit        int
	After        string
	// YellowHorizon and OrangeHorizon are set by the board, not the
	// caller: the latest due date a yellow (orange) clock can have, today
	// plus the largest threshold, so each colour is a bounded index range.
	YellowHorizon string
	OrangeHorizon string
	// CountAll asks the colour counts for the total too, which costs a
	// scan of every watched clock in scope (the board page wants it; the
	// home page does not).
	CountAll bool
}

// BoardRow is one running clock on the board.
type BoardRow struct {
	ClockID        int64
	CaseID         int64
	Kind           string
	Seq            int
	Start          string
	Due            string
	YellowOn       string
	OrangeOn       string
	InCustody      bool
	BeyondCalendar bool
	CaseName       string
	StageNo        string
	Category       string
	Status         string
	HandlerID      int64
	HandlerName    string
	DepartmentID   int64
	DepartmentName string
}

// Colour is the row's warning colour on today, by the same range tests
// the board's SQL filter uses.
func (b BoardRow) Colour(today string) deadline.Colour {
	switch {
	case b.Due < today:
		return deadline.ColourRed
	case b.OrangeOn <= today:
		return deadline.ColourOrange
	case b.YellowOn <= today:
		return deadline.ColourYellow
	}
	return deadline.ColourNone
}

// DaysLeft is the number of days from today to the due date (negative
// when overdue).
func (b BoardRow) DaysLeft(today string) int {
	t, err1 := deadline.ParseDate(today)
	d, err2 := deadline.ParseDate(b.Due)
	if err1 != nil || err2 != nil {
		return 0
	}
	return d.Sub(t)
}

// ColourCounts counts watched clocks per colour. None and Total are set
// only when HasTotal.
type ColourCounts struct {
	Red, Orange, Yellow, None, Total int
	HasTotal                         bool
}

// CaseClocks are the recomputed clocks of one case, with the case as read
// (its version guards against a concurrent event).
type CaseClocks struct {
	Case   Case
	Clocks []ClockRow
}

// Board is the monitoring board over stored clocks.
type Board struct {
	store BoardStore
	cases *Service
}

// NewBoard wires the board to the case service, whose engine, settings
// and clock it shares.
func NewBoard(st BoardStore, cases *Service) *Board { return &Board{store: st, cases: cases} }

// CanSeeBoard: the board shows case names, so it is for the roles that see
// cases; upper supervisors see their subtree.
func CanSeeBoard(p access.Principal) bool { return !access.CaseScope(p).None() }

func (f *BoardFilter) normalise(kinds []string) error {
	if f.Colour != "" && !slices.Contains([]string{"red", "orange", "yellow", "none"}, f.Colour) {
		return apperr.Invalid("colour", "err.unknown_value")
	}
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		return apperr.Invalid("kind", "err.unknown_value")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return nil
}

// horizons sets the latest due dates a yellow and an orange clock can
// have today: today plus the largest threshold in force.
func (b *Board) horizons(f *BoardFilter) {
	w := b.cases.Clocker().Warnings
	yellow, orange := w.Default.Yellow, w.Default.Orange
	for _, th := range w.Categories {
		yellow, orange = max(yellow, th.Yellow), max(orange, th.Orange)
	}
	today := b.cases.today()
	f.YellowHorizon, f.OrangeHorizon = today.AddDays(yellow).String(), today.AddDays(orange).String()
}

// List returns one page of the board. Listing shows case names, so it is
// audited like the case list.
func (b *Board) List(ctx context.Context, r Request, f BoardFilter) ([]BoardRow, string, error) {
	sc := access.CaseScope(r.P)
	if sc.None() {
		return nil, "", apperr.ErrForbidden
	}
	if err := f.normalise(b.cases.Clocker().Engine.Rules().Kinds()); err != nil {
		return nil, "", err
	}
	b.horizons(&f)
	rows, next, err := b.store.Board(ctx, sc, f, b.cases.Today())
	if err != nil {
		return nil, "", err
	}
	rec := r.record("board.list", "clock", 0, fmt.Sprintf("rows=%d colour=%s category=%s dept=%d handler=%d",
		len(rows), f.Colour, f.Category, f.DepartmentID, f.HandlerID))
	rec.ObjectID = ""
	if err := b.cases.store.AppendAudit(ctx, rec); err != nil {
		return nil, "", err
	}
	return rows, next, nil
}

// Counts counts the principal's watched clocks per colour: a case-handling
// person's own cases, a case manager's, head's or chief's unit, an upper
// supervisor's subtree. Counts name nobody and are not audited.
func (b *Board) Counts(ctx context.Context, p access.Principal) (ColourCounts, error) {
	sc := access.CaseScope(p)
	if sc.None() {
		return ColourCounts{}, nil
	}
	var f BoardFilter
	if OwnClocksOnly(p) {
		f.HandlerID = p.UserID
	}
	b.horizons(&f)
	return b.store.ClockCounts(ctx, sc, f, b.cases.Today())
}

// OwnClocksOnly reports whether p's home page counts only the clocks of
// the cases p handles (prosecutors, assistants), rather than the unit's.
func OwnClocksOnly(p access.Principal) bool {
	return !p.HasAny(access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor)
}

// CountsFor counts the clocks of the board under f (its colour ignored),
// for the colour chips above the board.
func (b *Board) CountsFor(ctx context.Context, p access.Principal, f BoardFilter) (ColourCounts, error) {
	sc := access.CaseScope(p)
	if sc.None() {
		return ColourCounts{}, apperr.ErrForbidden
	}
	if err := f.normalise(b.cases.Clocker().Engine.Rules().Kinds()); err != nil {
		return ColourCounts{}, err
	}
	f.Colour, f.CountAll = "", true
	b.horizons(&f)
	return b.store.ClockCounts(ctx, sc, f, b.cases.Today())
}

// Recompute derives every open clock again (after a calendar import or a
// change of warning settings, and daily so that suspended clocks' due
// dates follow the days that pass), in batches of one transaction each.
func (b *Board) Recompute(ctx context.Context, a audit.Actor) (int, error) {
	k := b.cases.Clocker()
	today := b.cases.today()
	total := 0
	var after int64
	for {
		cases, err := b.store.OpenClockCases(ctx, after, 500)
		if err != nil || len(cases) == 0 {
			return total, err
		}
		batch := make([]CaseClocks, 0, len(cases))
		for _, c := range cases {
			facts, err := b.store.ClockFacts(ctx, c)
			if err != nil {
				return total, err
			}
			rows, _, err := k.Rows(facts, today)
			if err != nil {
				return total, err
			}
			batch = append(batch, CaseClocks{Case: c, Clocks: rows})
		}
		n, err := b.store.ReplaceClocks(ctx, batch, audit.Record{Actor: a, Action: "clock.recompute",
			ObjectType: "case", Result: audit.ResultOK, Detail: fmt.Sprintf("from=%d", cases[0].ID)})
		if err != nil {
			return total, err
		}
		total += n
		after = cases[len(cases)-1].ID
	}
}
