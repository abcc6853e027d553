package casefile

import (
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

// Deadlines derives the clocks of a loaded case as of today. A case that
// was refused or still waits for material has none.
func (s *Service) Deadlines(d Detail) ([]Deadline, error) {
	if d.Case.Status == StatusRefused || d.Case.Status == StatusAwaitingSupplement {
		return nil, nil
	}
	dc, err := FactsOf(d.Case, d.Parties, d.Events).engineCase()
	if err != nil {
		return nil, err
	}
	clocks, _ := s.Calculate(dc, s.today())
	return clocks, nil
}

// Calculate runs the engine on a case described by hand (the deadline
// calculator), with the calendar, rules and warning settings of the case
// pages. Problems name the events the engine could not apply.
func (s *Service) Calculate(dc deadline.Case, today deadline.Date) ([]Deadline, []deadline.Problem) {
	k := s.Clocker()
	res := k.Engine.Derive(dc, today)
	th := k.Warnings.For(dc.Category)
	out := make([]Deadline, 0, len(res.Clocks))
	for _, c := range res.Clocks {
		out = append(out, Deadline{Clock: c, Colour: c.Colour(today, th), DaysLeft: c.DaysLeft(today)})
	}
	return out, res.Problems
}
