package casefile

import (
	"errors"
	"slices"

	"github.com/anguan/anguan/internal/deadline"
)

// ClockRow is a statutory clock as it is stored for the board and the
// monitoring scan: derived from the case's events whenever one is
// recorded, never edited by hand. Dates are ISO strings. YellowOn and
// OrangeOn are the first days of each warning colour, so the colour on any
// day is a range test the database can answer from an index.
type ClockRow struct {
	Kind           string
	Seq            int
	State          string // as of the day of computation
	Open           bool   // running or suspended
	Watched        bool   // open, running and not a waiting period: has a colour
	Start          string
	Due            string
	YellowOn       string
	OrangeOn       string
	EndedOn        string
	LateDays       int
	Basis          string
	InCustody      bool
	BeyondCalendar bool
}

// Clocker derives the stored clocks of a case. It holds the engine and the
// warning settings of the office, so the service, the seed and a full
// recomputation after a calendar import all derive the same rows.
type Clocker struct {
	Engine   *deadline.Engine
	Warnings deadline.WarningSettings
}

// ClockFacts are the facts of a case the engine reads.
type ClockFacts struct {
	Category  string
	FastTrack bool
	Custody   bool
	Events    []Event
}

// FactsOf gathers the clock facts of a case. Custody is that of any party
// (CPL 105: a period of a person in custody is not extended over days off).
func FactsOf(c Case, parties []Party, events []Event) ClockFacts {
	return ClockFacts{Category: c.Category, FastTrack: c.FastTrack, Events: events,
		Custody: slices.ContainsFunc(parties, func(p Party) bool { return p.Custody })}
}

// engineCase maps the facts to the engine's input. An intake waiting for
// material starts no clock. The case events share the engine's codes.
func (f ClockFacts) engineCase() (deadline.Case, error) {
	dc := deadline.Case{Category: f.Category, FastTrack: f.FastTrack, InCustody: f.Custody}
	for _, e := range f.Events {
		if e.Code == EventReceived && e.Outcome != OutcomeAccept {
			continue
		}
		date, err := deadline.ParseDate(e.OccurredOn)
		if err != nil {
			return deadline.Case{}, err
		}
		dc.Events = append(dc.Events, deadline.Event{Code: e.Code, Date: date, Outcome: e.Outcome})
	}
	return dc, nil
}

// Rows derives the stored clocks as of today. Problems are events the
// engine could not apply; the case service refuses an event that causes
// one, so stored timelines have none.
func (k Clocker) Rows(f ClockFacts, today deadline.Date) ([]ClockRow, []deadline.Problem, error) {
	dc, err := f.engineCase()
	if err != nil {
		return nil, nil, err
	}
	res := k.Engine.Derive(dc, today)
	th := k.Warnings.For(f.Category)
	rows := make([]ClockRow, 0, len(res.Clocks))
	for _, c := range res.Clocks {
		r := ClockRow{Kind: c.Kind, Seq: c.Seq, State: string(c.State), Open: c.State.Open(),
			Start: c.Start.String(), Due: c.Due.String(),
			YellowOn: c.Due.AddDays(-th.Yellow).String(), OrangeOn: c.Due.AddDays(-th.Orange).String(),
			LateDays: c.LateDays, Basis: c.LegalBasis, InCustody: c.InCustody, BeyondCalendar: c.BeyondCalendar}
		r.Watched = r.Open && c.State != deadline.StateSuspended && !c.Waiting
		if !c.End.IsZero() {
			r.EndedOn = c.End.String()
		}
		rows = append(rows, r)
	}
	return rows, res.Problems, nil
}

// Contradicts reports whether an engine problem means the events cannot
// all be true: a suspension that ends before it starts or was never
// started, a resubmission without a return, a third return, an extension
// the law does not allow or that came after the period ran out, anything
// after closing. Other problems (an event that has no clock in this
// category) are harmless and leave the event valid.
func Contradicts(p deadline.Problem) bool {
	for _, e := range []error{deadline.ErrEndBeforeStart, deadline.ErrNotSuspended, deadline.ErrAlreadySuspended,
		deadline.ErrResubmitWithoutReturn, deadline.ErrTooManyReturns, deadline.ErrExtensionNotAllowed,
		deadline.ErrExtensionLimit, deadline.ErrExtensionLate, deadline.ErrSuspendAfterDue, deadline.ErrAfterClose} {
		if errors.Is(p.Err, e) {
			return true
		}
	}
	return false
}
