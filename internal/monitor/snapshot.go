package monitor

import (
	"slices"
	"time"

	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// Snapshot is what a rule reads of one case as of one day: the case facts,
// its procedural events in recorded order, its statutory clocks as stored
// in case_clocks (or derived, see Service.Scan), the attempts the case
// service refused and wrote to the audit log, and today.
type Snapshot struct {
	Case     CaseFacts
	Events   []Event
	Clocks   []Clock
	Refusals []Refusal
	Today    string // YYYY-MM-DD
}

// CaseFacts are the facts of a case the rules, the lists and the notice
// read. DepartmentID and HandlerID are the current ones (0: none).
type CaseFacts struct {
	ID             int64
	UnitID         int64
	UnitPath       string
	UnitName       string
	Category       string
	Criminal       bool // the category is criminal (charges are required)
	Name           string
	StageNo        string
	UniformNo      string
	Status         string
	FastTrack      bool
	InCustody      bool // a party is in custody (在押)
	Sealed         bool
	Charges        []string
	DepartmentID   int64
	DepartmentName string
	HandlerID      int64
	HandlerName    string
	Decision       string
	ReceivedOn     string
	ClosedOn       string
}

// Event is one procedural event of the case.
type Event struct {
	Code       string
	OccurredOn string // YYYY-MM-DD
	Outcome    string
}

// Clock is a statutory clock of the case (table case_clocks). State is as
// of its computation; an open watched clock whose Due is before today is
// overdue whatever State says.
type Clock struct {
	Kind     string
	Seq      int
	State    string // running, suspended, met, missed, stopped (overdue when derived late)
	Open     bool
	Watched  bool // open, running, not a waiting period
	Start    string
	Due      string
	Ended    string
	LateDays int
	Basis    string
}

// Refusal is an event the case service refused and recorded in the audit
// log (action "case.event_refused"), e.g. a third return for supplementary
// investigation.
type Refusal struct {
	Event   string // the event code attempted
	Refusal string // the refusal key, e.g. "err.return_limit"
	At      time.Time
}

// first returns the date of the first event with code, or "".
func (s Snapshot) first(code string) string {
	for _, e := range s.Events {
		if e.Code == code {
			return e.OccurredOn
		}
	}
	return ""
}

// has reports whether an event with code was recorded.
func (s Snapshot) has(code string) bool {
	return slices.ContainsFunc(s.Events, func(e Event) bool { return e.Code == code })
}

// lastClock returns the clock of kind with the highest seq.
func (s Snapshot) lastClock(kind string) (Clock, bool) {
	var out Clock
	found := false
	for _, c := range s.Clocks {
		if c.Kind == kind && (!found || c.Seq > out.Seq) {
			out, found = c, true
		}
	}
	return out, found
}

// overdue reports whether an open clock is past its due date on today.
func (c Clock) overdue(today string) bool { return c.Open && c.Due != "" && c.Due < today }

// addDays adds n calendar days to an ISO date; a bad date gives "".
func addDays(date string, n int) string {
	d, err := deadline.ParseDate(date)
	if err != nil {
		return ""
	}
	return d.AddDays(n).String()
}

// daysBetween is to − from in days (0 when either is not a date).
func daysBetween(from, to string) int {
	a, err1 := deadline.ParseDate(from)
	b, err2 := deadline.ParseDate(to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return b.Sub(a)
}

// DeriveClocks computes the clocks of a case with the deadline engine as of
// today, in the shape of case_clocks. The scan uses it for a case that has
// no stored clocks yet (recorded before clocks were stored), so a missing
// row never hides an overdue period.
func DeriveClocks(e *deadline.Engine, s Snapshot) []Clock {
	today, err := deadline.ParseDate(s.Today)
	if err != nil {
		return nil
	}
	dc := deadline.Case{Category: s.Case.Category, FastTrack: s.Case.FastTrack, InCustody: s.Case.InCustody}
	for _, ev := range s.Events {
		if ev.Code == casefile.EventReceived && ev.Outcome != casefile.OutcomeAccept {
			continue // an intake waiting for material starts no clock
		}
		d, err := deadline.ParseDate(ev.OccurredOn)
		if err != nil {
			continue
		}
		dc.Events = append(dc.Events, deadline.Event{Code: ev.Code, Date: d, Outcome: ev.Outcome})
	}
	res := e.Derive(dc, today)
	out := make([]Clock, 0, len(res.Clocks))
	for _, c := range res.Clocks {
		k := Clock{Kind: c.Kind, Seq: c.Seq, State: string(c.State), Open: c.State.Open(), Start: c.Start.String(),
			Due: c.Due.String(), Ended: c.End.String(), LateDays: c.LateDays, Basis: c.LegalBasis}
		k.Watched = k.Open && c.State != deadline.StateSuspended && !c.Waiting
		out = append(out, k)
	}
	return out
}
