package deadline

import (
	"errors"
	"slices"
	"sort"
)

// Engine derives clocks from a case's events with one calendar and one
// rule set. It holds no mutable state and is safe for concurrent use.
type Engine struct {
	cal   *Calendar
	rules *RuleSet
}

// NewEngine returns an engine. A nil calendar counts weekends only; nil
// rules mean DefaultRules.
func NewEngine(cal *Calendar, rules *RuleSet) *Engine {
	if rules == nil {
		rules = DefaultRules()
	}
	return &Engine{cal: cal, rules: rules}
}

// DefaultEngine returns an engine with the shipped calendar and rules.
func DefaultEngine() *Engine { return NewEngine(DefaultCalendar(), DefaultRules()) }

// Calendar returns the engine's calendar.
func (e *Engine) Calendar() *Calendar { return e.cal }

// Rules returns the engine's rule set.
func (e *Engine) Rules() *RuleSet { return e.rules }

// Result is what Derive found: the clocks in the order they started, and
// the events it could not apply.
type Result struct {
	Clocks   []Clock
	Problems []Problem
}

// Err joins the problems into one error (nil if none); errors.Is finds
// each problem's sentinel, e.g. ErrTooManyReturns.
func (r Result) Err() error {
	errs := make([]error, len(r.Problems))
	for i, p := range r.Problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// Derive computes every clock of a case from its events, with states
// relative to today. Events dated after today are not yet known and are
// ignored, so Derive answers "as of today"; a zero today judges nothing
// (open clocks are running). Derive never fails: an event it cannot apply
// is skipped and reported as a Problem, and the other clocks are still
// computed.
func (e *Engine) Derive(c Case, today Date) Result {
	d := &deriver{e: e, c: &c, today: today, counts: map[string]int{}}
	if !isCategory(c.Category) {
		d.standalone = e.rules.get(c.Category)
		if d.standalone == nil {
			d.res.Problems = append(d.res.Problems, Problem{Index: -1, Err: ErrUnknownCategory})
			return d.res
		}
	}
	for i, ev := range c.Events {
		if !ev.Date.Valid() {
			d.problem(i, ev, "", ErrMissingDate)
			continue
		}
		d.order = append(d.order, i)
	}
	sort.SliceStable(d.order, func(a, b int) bool {
		return c.Events[d.order[a]].Date.Before(c.Events[d.order[b]].Date)
	})
	for pos, i := range d.order {
		ev := c.Events[i]
		if !today.IsZero() && ev.Date.After(today) {
			break
		}
		d.pos = pos
		d.apply(i, ev)
	}
	d.finish()
	return d.res
}

// tracker is a clock being built.
type tracker struct {
	rule    *Rule
	variant *Variant
	clock   Clock
	open    bool
	extUsed int
	label   string
	end     *Step
}

type deriver struct {
	e          *Engine
	c          *Case
	today      Date
	standalone *Rule
	order      []int
	pos        int
	trackers   []*tracker
	counts     map[string]int
	assessing  bool
	closed     bool
	res        Result
}

type start struct {
	rule *Rule
	trig Trigger
}

func (d *deriver) problem(i int, ev Event, kind string, err error) {
	d.res.Problems = append(d.res.Problems, Problem{Index: i, Event: ev.Code, Date: ev.Date, Kind: kind, Err: err})
}

func (d *deriver) apply(i int, ev Event) {
	switch {
	case ev.Code == EventCustodyExtensionRequested:
		return // the police's request concerns custody, not a period of the office; it may follow closing
	case d.closed:
		d.problem(i, ev, "", ErrAfterClose)
		return
	case !knownEvent(ev.Code):
		d.problem(i, ev, "", ErrUnknownEvent)
		return
	case ev.Kind != "" && d.e.rules.get(ev.Kind) == nil:
		d.problem(i, ev, ev.Kind, ErrUnknownKind)
		return
	}
	switch ev.Code {
	case EventAssigned:
		return // assignment (分案) starts no period
	case EventExtended:
		d.extend(i, ev)
		return
	case EventAssessmentStarted:
		d.suspend(i, ev)
		return
	case EventAssessmentEnded:
		d.resume(i, ev)
		return
	case EventClosed:
		d.close(ev)
		return
	}
	starts := d.startsFor(ev)
	// Check every start before changing anything: a refused event (a
	// third return, a resubmission without return) must leave the clocks
	// as they were.
	for _, s := range starts {
		kind := s.rule.Kind
		switch {
		case s.trig.Once && d.counts[kind] > 0:
			d.problem(i, ev, kind, ErrAlreadyStarted)
			return
		case s.trig.Requires != "" && d.openOf(s.trig.Requires) == nil:
			d.problem(i, ev, kind, orDefault(s.trig.MissingErr, ErrNoOpenClock))
			return
		case s.rule.Limit > 0 && d.counts[kind] >= s.rule.Limit:
			d.problem(i, ev, kind, orDefault(s.rule.LimitErr, ErrLimitReached))
			return
		case s.rule.variantFor(d.c) == nil:
			d.problem(i, ev, kind, ErrNoVariant)
			return
		}
	}
	affected := false
	for _, t := range d.trackers {
		if !t.open || !targets(t, ev) {
			continue
		}
		switch {
		case slices.Contains(t.rule.MetBy, ev.Code):
			d.decide(i, t, ev)
			affected = true
		case slices.Contains(t.rule.StopBy, ev.Code):
			d.end(t, ev, StateStopped, 0)
			affected = true
		}
	}
	for _, s := range starts {
		d.start(s.rule, s.trig, ev)
		affected = true
	}
	if !affected {
		d.problem(i, ev, ev.Kind, ErrNoOpenClock)
	}
}

func orDefault(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

func targets(t *tracker, ev Event) bool { return ev.Kind == "" || ev.Kind == t.clock.Kind }

// startsFor lists the rules an event starts a clock of in this case.
func (d *deriver) startsFor(ev Event) []start {
	var out []start
	for k := range d.e.rules.rules {
		r := &d.e.rules.rules[k]
		if ev.Kind != "" && ev.Kind != r.Kind {
			continue
		}
		if r == d.standalone {
			if ev.Code == EventReceived {
				out = append(out, start{r, Trigger{Event: EventReceived, Once: true, Label: r.ReceivedLabel}})
			}
			continue
		}
		if !r.inCategory(d.c.Category) {
			continue
		}
		for _, t := range r.Triggers {
			if t.Event == ev.Code {
				out = append(out, start{r, t})
			}
		}
	}
	return out
}

// openOf returns the latest open clock of kind.
func (d *deriver) openOf(kind string) *tracker {
	for k := len(d.trackers) - 1; k >= 0; k-- {
		if t := d.trackers[k]; t.open && t.clock.Kind == kind {
			return t
		}
	}
	return nil
}

func (d *deriver) lastOf(kind string) *tracker {
	for k := len(d.trackers) - 1; k >= 0; k-- {
		if t := d.trackers[k]; t.clock.Kind == kind {
			return t
		}
	}
	return nil
}

func (d *deriver) start(r *Rule, trig Trigger, ev Event) {
	v := r.variantFor(d.c)
	base := v.Base
	if !trig.Base.IsZero() {
		base = trig.Base
	}
	restarts := 0
	if prev := d.lastOf(r.Kind); trig.Restart && prev != nil {
		restarts = prev.clock.Restarts + 1
	}
	label := trig.Label
	if label == "" {
		label = eventLabelKey(ev.Code)
	}
	d.counts[r.Kind]++
	d.trackers = append(d.trackers, &tracker{
		rule: r, variant: v, open: true, label: label,
		clock: Clock{
			Kind: r.Kind, NameKey: r.NameKey, Category: d.c.Category, Seq: d.counts[r.Kind],
			LegalBasis: v.Basis, Cause: ev.Code, Start: ev.Date, Base: base, Restarts: restarts,
			InCustody: r.CustodySensitive && d.c.InCustody, Waiting: r.Waiting,
		},
	})
}

// count computes a tracker's due date as it stands on asOf.
func (d *deriver) count(t *tracker, asOf Date) CountResult {
	return d.e.cal.Count(CountInput{
		Start: t.clock.Start, Base: t.clock.Base, Extensions: t.clock.Extensions,
		Suspensions: t.clock.Suspensions, Custody: t.clock.InCustody,
		CustodyRelevant: t.rule.CustodySensitive, AsOf: asOf,
	})
}

// finish computes each clock's final due date, state and steps.
func (d *deriver) finish() {
	for _, t := range d.trackers {
		asOf := d.today
		if !t.open {
			asOf = t.clock.End
		}
		r := d.count(t, asOf)
		c := t.clock
		c.BaseDue, c.Due, c.Suspensions, c.BeyondCalendar = r.BaseDue, r.Due, r.Suspensions, r.BeyondCalendar
		c.Steps = make([]Step, 0, len(r.Steps)+2)
		c.Steps = append(c.Steps, Step{Op: StepStart, Date: c.Start, Label: t.label})
		c.Steps = append(c.Steps, r.Steps...)
		if t.end != nil {
			c.Steps = append(c.Steps, *t.end)
		}
		if t.open {
			c.State = StateRunning
			switch {
			case slices.ContainsFunc(c.Suspensions, func(s Suspension) bool { return s.Open }):
				c.State = StateSuspended
			case !d.today.IsZero() && d.today.After(c.Due) && c.Waiting:
				c.State = StateMet
			case !d.today.IsZero() && d.today.After(c.Due):
				c.State = StateOverdue
			}
		}
		d.res.Clocks = append(d.res.Clocks, c)
	}
}
