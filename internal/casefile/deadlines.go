package casefile

import (
	"slices"

	"github.com/anguan/anguan/internal/deadline"
)

// Deadline is one statutory clock of a case (法定期限) as its page shows
// it: derived from the recorded events by the deadline engine, never
// entered by hand, with its warning colour as of today.
type Deadline struct {
	Clock    deadline.Clock
	Colour   deadline.Colour
	DaysLeft int
}

// deadlineCase maps a case and its timeline to the engine's input. Custody
// is that of any party (CPL 105: a period of a person in custody is not
// extended over days off). The case events share the engine's codes.
func deadlineCase(d Detail) (deadline.Case, error) {
	dc := deadline.Case{Category: d.Case.Category, FastTrack: d.Case.FastTrack,
		InCustody: slices.ContainsFunc(d.Parties, func(p Party) bool { return p.Custody })}
	for _, e := range d.Events {
		if e.Code == EventReceived && e.Outcome != OutcomeAccept {
			continue // an intake waiting for material starts no clock
		}
		date, err := deadline.ParseDate(e.OccurredOn)
		if err != nil {
			return deadline.Case{}, err
		}
		dc.Events = append(dc.Events, deadline.Event{Code: e.Code, Date: date, Outcome: e.Outcome})
	}
	return dc, nil
}

// Deadlines derives the clocks of a loaded case as of today. A case that
// was refused or still waits for material has none.
func (s *Service) Deadlines(d Detail) ([]Deadline, error) {
	if d.Case.Status == StatusRefused || d.Case.Status == StatusAwaitingSupplement {
		return nil, nil
	}
	dc, err := deadlineCase(d)
	if err != nil {
		return nil, err
	}
	clocks, _ := s.Calculate(dc, deadline.Today(s.now()))
	return clocks, nil
}

// Calculate runs the engine on a case described by hand (the deadline
// calculator), with the calendar, rules and warning settings of the case
// pages. Problems name the events the engine could not apply.
func (s *Service) Calculate(dc deadline.Case, today deadline.Date) ([]Deadline, []deadline.Problem) {
	res := s.deadlines.Derive(dc, today)
	th := s.warnings.For(dc.Category)
	out := make([]Deadline, 0, len(res.Clocks))
	for _, c := range res.Clocks {
		out = append(out, Deadline{Clock: c, Colour: c.Colour(today, th), DaysLeft: c.DaysLeft(today)})
	}
	return out, res.Problems
}
