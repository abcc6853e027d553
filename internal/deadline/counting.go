package deadline

import "time"

// AddMonths adds n months to d by the month rules of CPL 105 as the SPC
// interpretation spells them out: a month runs from a day to the same day
// of the next month; if the start day is the last day of its month the
// period ends on the last day of the later month; if the same day does not
// exist in the later month, the period ends on that month's last day.
// Hence 31 Jan + 1 month = 28 Feb (29 Feb in 2024) and 30 Apr + 1 month =
// 31 May.
func AddMonths(d Date, n int) (Date, MonthRule) {
	mi := int(d.M) - 1 + n
	y := d.Y + floorDiv(mi, 12)
	m := time.Month(floorMod(mi, 12) + 1)
	last := daysIn(y, m)
	switch {
	case d.IsLastOfMonth():
		rule := MonthEndToEnd
		if d.D == last {
			// 31 Jan → 31 Mar: same day and end of month alike; the
			// plain rule explains it.
			rule = MonthSameDay
		}
		return Date{Y: y, M: m, D: last}, rule
	case d.D > last:
		return Date{Y: y, M: m, D: last}, MonthClamped
	}
	return Date{Y: y, M: m, D: d.D}, MonthSameDay
}

// CountInput is everything that fixes one due date.
type CountInput struct {
	// Start is the start day; it is not counted (CPL 105).
	Start Date
	// Base is the statutory period.
	Base Period
	// Extensions are added after the base period, in order.
	Extensions []Extension
	// Suspensions move the due date by their length (CPL 149). Open ones
	// count up to AsOf.
	Suspensions []Suspension
	// Custody applies the custody exception of CPL 105: a due date on a
	// non-working day stays where it is.
	Custody bool
	// CustodyRelevant says the rule is custody-sensitive, so an explanation
	// of a shift says "not in custody".
	CustodyRelevant bool
	// AsOf is the date an open suspension is counted to.
	AsOf Date
}

// CountResult is a due date with the steps that produced it.
type CountResult struct {
	BaseDue        Date
	Due            Date
	Suspensions    []Suspension // with Days filled in
	BeyondCalendar bool
	Steps          []Step
}

// Count computes a due date: the base period from the start day, then the
// extensions, then the suspensions, then the shift past days off (unless
// in custody). The shift comes last because CPL 105 looks at the last day of
// the whole period, not of each part.
//
// Hour periods (e.g. 24 hours to pass a detainee's legal-aid application on,
// 法律援助法 39) are kept on civil dates: the hours are rounded up to whole
// days, and the result is not shifted, because an hour period runs through
// days off. The due date is thus the calendar day on which the last hour
// falls at the latest; the exact hour needs the time of receipt, which the
// events here do not carry.
func (c *Calendar) Count(in CountInput) CountResult {
	var r CountResult
	due, rule, beyond := c.addPeriod(in.Start, in.Base)
	r.BaseDue = due
	r.Steps = append(r.Steps, Step{Op: StepPeriod, Period: in.Base, Month: rule, Date: due})
	for _, e := range in.Extensions {
		var b bool
		due, rule, b = c.addPeriod(due, e.Period)
		beyond = beyond || b
		r.Steps = append(r.Steps, Step{Op: StepExtend, From: e.Date, Period: e.Period, Month: rule, Date: due})
	}
	for _, s := range in.Suspensions {
		to := s.To
		if s.Open {
			to = in.AsOf
		}
		s.Days = max(0, to.Sub(s.From))
		if to.IsZero() {
			s.Days = 0
		}
		due = due.AddDays(s.Days)
		r.Suspensions = append(r.Suspensions, s)
		op := StepSuspend
		if s.Open {
			op = StepSuspendOpen
		}
		r.Steps = append(r.Steps, Step{Op: op, From: s.From, To: s.To, Days: s.Days, Reason: s.Reason, Date: due})
	}
	if in.Base.Unit != UnitHours {
		beyond = beyond || !c.Covers(due.Y)
		if !c.IsWorkingDay(due) {
			last, holiday := c.offRun(due)
			if in.Custody {
				r.Steps = append(r.Steps, Step{Op: StepCustodyKeep, Date: due, Holiday: holiday})
			} else {
				next, b := c.nextWorkingDay(due)
				beyond = beyond || b
				r.Steps = append(r.Steps, Step{Op: StepShift, From: due, To: last, Holiday: holiday,
					NotInCustody: in.CustodyRelevant, Date: next})
				due = next
			}
		}
	}
	if beyond {
		r.Steps = append(r.Steps, Step{Op: StepNoCalendar})
	}
	r.Due = due
	r.BeyondCalendar = beyond
	return r
}

// addPeriod adds p to d and reports the month rule used and whether a
// working-day count consulted a year without holiday data.
func (c *Calendar) addPeriod(d Date, p Period) (Date, MonthRule, bool) {
	switch p.Unit {
	case UnitMonths:
		out, rule := AddMonths(d, p.N)
		return out, rule, false
	case UnitWorkingDays:
		out, beyond := c.AddWorkingDays(d, p.N)
		return out, MonthSameDay, beyond
	case UnitHours:
		return d.AddDays((p.N + 23) / 24), MonthSameDay, false
	}
	return d.AddDays(p.N), MonthSameDay, false
}
