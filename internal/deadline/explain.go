package deadline

import (
	"slices"
	"strings"
)

// Message keys. Every text of an explanation is a key of the i18n
// catalogue (internal/i18n/zh-CN/deadline.json) filled with fmt verbs, so
// the same steps can be shown in Uyghur or English later.
const (
	keySep             = "deadline.sep"
	keyDateMD          = "deadline.date.md"
	keyDateYMD         = "deadline.date.ymd"
	keyRangeSameMonth  = "deadline.range.same_month"
	keyRangeSameMonthY = "deadline.range.same_month_ymd"
	keyRange           = "deadline.range"
	keyStepStart       = "deadline.step.start"
	keyStepPeriod      = "deadline.step.period"
	keyStepMonthEnd    = "deadline.step.period_month_end"
	keyStepMonthClamp  = "deadline.step.period_month_clamp"
	keyStepHours       = "deadline.step.period_hours"
	keyStepExtend      = "deadline.step.extend"
	keyStepSuspend     = "deadline.step.suspend"
	keyStepSuspendOpen = "deadline.step.suspend_open"
	keyStepShift       = "deadline.step.shift"
	keyStepShiftFree   = "deadline.step.shift_not_custody"
	keyStepCustodyKeep = "deadline.step.custody_keep"
	keyStepNoCalendar  = "deadline.step.no_calendar"
	keyStepMet         = "deadline.step.met"
	keyStepMissed      = "deadline.step.missed"
	keyStepStopped     = "deadline.step.stopped"
	keyDayHoliday      = "deadline.day.holiday"
	keyDayWeekend      = "deadline.day.weekend"
	keyProblemAt       = "deadline.problem.at"
	keyProblemAtEvent  = "deadline.problem.at_event"
	keyProblemUnknown  = "deadline.problem.unknown"
	keyUnitDays        = "deadline.unit.days"
	keyUnitMonths      = "deadline.unit.months"
	keyUnitWorkingDays = "deadline.unit.working_days"
	keyUnitHours       = "deadline.unit.hours"
)

func eventLabelKey(code string) string { return "deadline.event." + code }
func reasonKey(r string) string        { return "deadline.reason." + r }

// StateKey is the i18n key of a state's name.
func StateKey(s State) string { return "deadline.state." + string(s) }

// CategoryKey is the i18n key of a case category's name.
func CategoryKey(c string) string { return "deadline.category." + c }

// EventKey is the i18n key of an event code's Chinese label.
func EventKey(code string) string { return eventLabelKey(code) }

// Name renders the clock kind's Chinese name.
func (c Clock) Name(t func(key string, args ...any) string) string { return t(c.NameKey) }

// Explain renders the clock's steps as one line, e.g.
// "3月4日受理；1个月 → 4月4日；未羁押，4月4日至6日为法定节假日 → 顺延至4月7日".
// t is the catalogue's T (i18n.Catalog.T).
func (c Clock) Explain(t func(key string, args ...any) string) string {
	lines := c.Lines(t)
	var b strings.Builder
	for i, l := range lines {
		// The calendar note is a parenthesis on what precedes it.
		if i > 0 && c.Steps[i].Op != StepNoCalendar {
			b.WriteString(t(keySep))
		}
		b.WriteString(l)
	}
	return b.String()
}

// Lines renders each step on its own, for a list on a page or the
// "explanation" array of `anguan deadline calc`.
func (c Clock) Lines(t func(key string, args ...any) string) []string {
	r := renderer{t: t, year: c.Start.Y}
	out := make([]string, len(c.Steps))
	for i, s := range c.Steps {
		out[i] = r.step(s)
	}
	return out
}

type renderer struct {
	t    func(key string, args ...any) string
	year int // dates in this year are shown without it
}

func (r renderer) date(d Date) string {
	if d.Y == r.year {
		return r.t(keyDateMD, int(d.M), d.D)
	}
	return r.t(keyDateYMD, d.Y, int(d.M), d.D)
}

func (r renderer) span(from, to Date) string {
	switch {
	case from == to:
		return r.date(from)
	case from.Y == to.Y && from.M == to.M && from.Y == r.year:
		return r.t(keyRangeSameMonth, int(from.M), from.D, to.D)
	case from.Y == to.Y && from.M == to.M:
		return r.t(keyRangeSameMonthY, from.Y, int(from.M), from.D, to.D)
	}
	return r.t(keyRange, r.date(from), r.date(to))
}

func (r renderer) period(p Period) string {
	switch p.Unit {
	case UnitMonths:
		return r.t(keyUnitMonths, p.N)
	case UnitWorkingDays:
		return r.t(keyUnitWorkingDays, p.N)
	case UnitHours:
		return r.t(keyUnitHours, p.N)
	}
	return r.t(keyUnitDays, p.N)
}

func (r renderer) dayKind(holiday bool) string {
	if holiday {
		return r.t(keyDayHoliday)
	}
	return r.t(keyDayWeekend)
}

func (r renderer) step(s Step) string {
	t := r.t
	switch s.Op {
	case StepStart:
		return t(keyStepStart, r.date(s.Date), t(s.Label))
	case StepPeriod:
		key := keyStepPeriod
		switch {
		case s.Period.Unit == UnitHours:
			key = keyStepHours
		case s.Month == MonthEndToEnd:
			key = keyStepMonthEnd
		case s.Month == MonthClamped:
			key = keyStepMonthClamp
		}
		return t(key, r.period(s.Period), r.date(s.Date))
	case StepExtend:
		return t(keyStepExtend, r.date(s.From), r.period(s.Period), r.date(s.Date))
	case StepSuspend:
		return t(keyStepSuspend, r.span(s.From, s.To), t(reasonKey(s.Reason)), s.Days, r.date(s.Date))
	case StepSuspendOpen:
		return t(keyStepSuspendOpen, r.date(s.From), t(reasonKey(s.Reason)), s.Days, r.date(s.Date))
	case StepShift:
		key := keyStepShift
		if s.NotInCustody {
			key = keyStepShiftFree
		}
		return t(key, r.span(s.From, s.To), r.dayKind(s.Holiday), r.date(s.Date))
	case StepCustodyKeep:
		return t(keyStepCustodyKeep, r.date(s.Date), r.dayKind(s.Holiday))
	case StepNoCalendar:
		return t(keyStepNoCalendar)
	case StepEnd:
		switch s.State {
		case StateMissed:
			return t(keyStepMissed, r.date(s.Date), t(s.Label), s.Days)
		case StateStopped:
			return t(keyStepStopped, r.date(s.Date), t(s.Label))
		}
		return t(keyStepMet, r.date(s.Date), t(s.Label))
	}
	return string(s.Op)
}

// MessageKeys lists every i18n key this package may render with rules:
// explanation steps, units, event and reason labels, kind, state, category
// and colour names, and problem messages. The tests check each against the
// real catalogue.
func MessageKeys(rules *RuleSet) []string {
	keys := []string{
		keySep, keyDateMD, keyDateYMD, keyRangeSameMonth, keyRangeSameMonthY, keyRange, keyStepStart, keyStepPeriod,
		keyStepMonthEnd, keyStepMonthClamp, keyStepHours, keyStepExtend, keyStepSuspend,
		keyStepSuspendOpen, keyStepShift, keyStepShiftFree, keyStepCustodyKeep, keyStepNoCalendar,
		keyStepMet, keyStepMissed, keyStepStopped, keyDayHoliday, keyDayWeekend, keyProblemAt, keyProblemAtEvent,
		keyProblemUnknown, keyUnitDays, keyUnitMonths, keyUnitWorkingDays, keyUnitHours,
	}
	for _, e := range EventCodes() {
		keys = append(keys, eventLabelKey(e))
	}
	for _, r := range Reasons() {
		keys = append(keys, reasonKey(r))
	}
	for _, s := range States() {
		keys = append(keys, StateKey(s))
	}
	for _, c := range Categories() {
		keys = append(keys, CategoryKey(c))
	}
	for _, c := range Colours() {
		keys = append(keys, ColourKey(c))
	}
	for _, e := range allErrors() {
		keys = append(keys, e.Key())
	}
	for _, r := range rules.Rules() {
		keys = append(keys, r.NameKey)
		if r.ReceivedLabel != "" {
			keys = append(keys, r.ReceivedLabel)
		}
		for _, tr := range r.Triggers {
			if tr.Label != "" {
				keys = append(keys, tr.Label)
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
