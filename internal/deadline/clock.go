package deadline

// State is where a clock stands relative to "today" (the date passed to
// Derive).
type State string

// States of a clock.
const (
	// StateRunning: open, not yet due.
	StateRunning State = "running"
	// StateSuspended: open, time not counting (e.g. psychiatric
	// assessment, CPL 149).
	StateSuspended State = "suspended"
	// StateMet: the deciding event came on or before the due date; for a
	// waiting period (公告期) the period ran out.
	StateMet State = "met"
	// StateMissed: the deciding event came after the due date.
	StateMissed State = "missed"
	// StateOverdue: still open after the due date.
	StateOverdue State = "overdue"
	// StateStopped: ended without a decision, superseded by another clock
	// (a return for supplementary investigation, a change of jurisdiction)
	// or by the closing of the case before the due date.
	StateStopped State = "stopped"
)

// States lists every state, for vocabularies and tests.
func States() []State {
	return []State{StateRunning, StateSuspended, StateMet, StateMissed, StateOverdue, StateStopped}
}

// Open reports whether a clock in this state still awaits its deciding
// event.
func (s State) Open() bool {
	return s == StateRunning || s == StateSuspended || s == StateOverdue
}

// Extension is one approved lengthening of a period (e.g. CPL 172: 15 days
// for a major or complex case, once).
type Extension struct {
	Date   Date   `json:"date"`
	Period Period `json:"period"`
	Basis  string `json:"basis"`
}

// Suspension is an interval that does not count (CPL 149: psychiatric
// assessment; administrative supervision: retrieving files, appraisal,
// evaluation, audit). It lasts To − From days: the assessment itself is
// counted like any period, its first day not included (CPL 105), so no day
// is counted both as handling time and as suspended time.
type Suspension struct {
	From   Date   `json:"from"`
	To     Date   `json:"to,omitzero"`
	Open   bool   `json:"open,omitempty"`
	Reason string `json:"reason"`
	// Days is the length counted, for an open suspension up to the date
	// the clock was computed for.
	Days int `json:"days"`
}

// Clock is one statutory period running in one case: derived from the
// case's events, never edited by hand.
type Clock struct {
	// Kind is the stable code of the rule ("prosecution_review").
	Kind string `json:"kind"`
	// NameKey is the i18n key of the kind's Chinese name.
	NameKey string `json:"-"`
	// Category is the case category the clock was derived for.
	Category string `json:"category"`
	// Seq numbers the clocks of the same kind in the case from 1.
	Seq int `json:"seq"`
	// LegalBasis cites the article that sets the period.
	LegalBasis string `json:"basis"`
	// Cause is the event code that started the clock.
	Cause string `json:"cause"`
	// Start is the start day (not counted, CPL 105).
	Start Date `json:"start"`
	// Base is the statutory period before extensions.
	Base Period `json:"base"`
	// BaseDue is Start + Base, before extensions, suspensions and shifts.
	BaseDue     Date         `json:"base_due"`
	Extensions  []Extension  `json:"extensions,omitempty"`
	Suspensions []Suspension `json:"suspensions,omitempty"`
	// Restarts counts how many times this kind restarted from zero before
	// this clock (resubmission after a return, change of jurisdiction).
	Restarts int `json:"restarts"`
	// InCustody reports that the custody exception of CPL 105 applies: the
	// person is in custody and the rule is custody-sensitive, so a due date
	// on a non-working day is not shifted.
	InCustody bool `json:"in_custody"`
	// Waiting marks a waiting period (公告期) that ends by itself.
	Waiting bool `json:"waiting,omitempty"`
	// Due is the due date (期满日).
	Due Date `json:"due"`
	// BeyondCalendar reports that a day of a year without loaded holiday
	// data was consulted: weekends only, the due date may be early.
	BeyondCalendar bool `json:"beyond_calendar,omitempty"`
	// State is the state relative to the "today" given to Derive.
	State State `json:"state"`
	// End and EndEvent record the event that ended the clock, if any.
	End      Date   `json:"end,omitzero"`
	EndEvent string `json:"end_event,omitempty"`
	// LateDays is how many days after Due the deciding event came (missed).
	LateDays int `json:"late_days,omitempty"`
	// Steps is the structured explanation, rendered by Explain.
	Steps []Step `json:"-"`
}

// DaysLeft returns Due − today: 0 on the due date, negative when overdue.
func (c Clock) DaysLeft(today Date) int { return c.Due.Sub(today) }

// StepOp says what a step of an explanation did.
type StepOp string

// Step operations, in the order they appear in an explanation.
const (
	// StepStart: the event that starts the clock (Date, Label).
	StepStart StepOp = "start"
	// StepPeriod: the statutory period added (Period, Month, Date = result).
	StepPeriod StepOp = "period"
	// StepExtend: an extension (From = its date, Period, Date = result).
	StepExtend StepOp = "extend"
	// StepSuspend: a closed suspension (From, To, Days, Reason, Date = result).
	StepSuspend StepOp = "suspend"
	// StepSuspendOpen: a suspension still running (From, Reason, Days so far,
	// Date = provisional result).
	StepSuspendOpen StepOp = "suspend_open"
	// StepShift: due date on days off moved to the next working day
	// (From–To the days off, Holiday, NotInCustody, Date = result).
	StepShift StepOp = "shift"
	// StepCustodyKeep: due date on a day off kept because the person is in
	// custody (Date, Holiday; CPL 105).
	StepCustodyKeep StepOp = "custody_keep"
	// StepNoCalendar: a year without holiday data was consulted.
	StepNoCalendar StepOp = "no_calendar"
	// StepEnd: the event that ended the clock (Date, Label, State, Days late).
	StepEnd StepOp = "end"
)

// MonthRule records which month rule of CPL 105 and the SPC interpretation
// fixed the end of a month period.
type MonthRule uint8

// Month rules.
const (
	// MonthSameDay: from a day to the same day of the later month.
	MonthSameDay MonthRule = iota
	// MonthEndToEnd: the start day is the last of its month, so the period
	// ends on the last day of the later month (30 Apr + 1 month = 31 May).
	MonthEndToEnd
	// MonthClamped: the same day does not exist in the later month, so the
	// period ends on that month's last day (30 Jan + 1 month = 28 Feb).
	MonthClamped
)

// Step is one step of a clock's explanation, structured so that it can be
// rendered in any language and checked by tests; see the StepOp constants
// for which fields each operation uses.
type Step struct {
	Op           StepOp
	Date         Date
	From, To     Date
	Period       Period
	Month        MonthRule
	Days         int
	Reason       string
	Label        string
	Holiday      bool
	NotInCustody bool
	State        State
}
