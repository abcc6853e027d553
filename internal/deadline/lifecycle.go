package deadline

import "slices"

// The events that change a running clock: deciding, stopping, closing,
// extending and suspending it. Each checks the law's conditions first and
// reports a Problem instead of applying an event the law does not allow.

// decide ends a clock by one of its deciding events: met if on or before
// the due date, missed if after. A waiting period is the other way round:
// deciding before it ran out is the problem (PIL interpretation 13).
func (d *deriver) decide(i int, t *tracker, ev Event) {
	due := d.count(t, ev.Date).Due
	switch {
	case t.rule.Waiting && ev.Date.After(due):
		d.end(t, ev, StateMet, 0)
	case t.rule.Waiting:
		d.end(t, ev, StateStopped, 0)
		d.problem(i, ev, t.clock.Kind, ErrBeforeNoticeEnd)
	case ev.Date.After(due):
		d.end(t, ev, StateMissed, ev.Date.Sub(due))
	default:
		d.end(t, ev, StateMet, 0)
	}
}

// end closes a clock in state s. A suspension still running ends with it:
// time after the clock's end cannot move its due date.
func (d *deriver) end(t *tracker, ev Event, s State, late int) {
	for k := range t.clock.Suspensions {
		if sp := &t.clock.Suspensions[k]; sp.Open {
			sp.Open, sp.To = false, ev.Date
		}
	}
	t.open = false
	t.clock.State, t.clock.End, t.clock.EndEvent, t.clock.LateDays = s, ev.Date, ev.Code, late
	t.end = &Step{Op: StepEnd, Date: ev.Date, Label: eventLabelKey(ev.Code), State: s, Days: late}
}

// close ends every open clock when the case is closed (办结): met if the
// rule counts closing as its deciding event, missed if the due date had
// passed, stopped otherwise.
func (d *deriver) close(ev Event) {
	d.closed = true
	for _, t := range d.trackers {
		if !t.open {
			continue
		}
		due := d.count(t, ev.Date).Due
		late := ev.Date.After(due)
		switch {
		case t.rule.Waiting && late:
			d.end(t, ev, StateMet, 0)
		case late:
			d.end(t, ev, StateMissed, ev.Date.Sub(due))
		case slices.Contains(t.rule.MetBy, EventClosed):
			d.end(t, ev, StateMet, 0)
		default:
			d.end(t, ev, StateStopped, 0)
		}
	}
}

// extend applies an approved extension to the latest open clock that
// allows one.
func (d *deriver) extend(i int, ev Event) {
	var target *tracker
	anyOpen := false
	for k := len(d.trackers) - 1; k >= 0; k-- {
		t := d.trackers[k]
		if !t.open || !targets(t, ev) {
			continue
		}
		anyOpen = true
		// A follow-up clock with its own period (Trigger.Base) is not the
		// period the extension rule speaks of.
		if t.variant.Extension != nil && t.clock.Base == t.variant.Base {
			target = t
			break
		}
	}
	if target == nil {
		err := ErrNoOpenClock
		if anyOpen {
			err = ErrExtensionNotAllowed
		}
		d.problem(i, ev, ev.Kind, err)
		return
	}
	x := target.variant.Extension
	kind := target.clock.Kind
	if x.Max > 0 && target.extUsed >= x.Max {
		d.problem(i, ev, kind, ErrExtensionLimit)
		return
	}
	// An extension must be approved before the period runs out.
	if ev.Date.After(d.count(target, ev.Date).Due) {
		d.problem(i, ev, kind, ErrExtensionLate)
		return
	}
	p := x.Period
	if x.Variable && ev.Period.Valid() {
		p = ev.Period
	}
	target.extUsed++
	target.clock.Extensions = append(target.clock.Extensions, Extension{Date: ev.Date, Period: p, Basis: x.Basis})
}

// suspend starts a suspension (CPL 149) on every open suspendable clock.
// A clock already past its due date cannot be saved by suspending it.
func (d *deriver) suspend(i int, ev Event) {
	if d.assessing {
		d.problem(i, ev, ev.Kind, ErrAlreadySuspended)
		return
	}
	reason := ev.Reason
	if reason == "" {
		reason = defaultReason(d.c.Category)
	}
	if !slices.Contains(Reasons(), reason) {
		d.problem(i, ev, ev.Kind, ErrUnknownReason)
		return
	}
	found, applied := false, false
	for _, t := range d.trackers {
		if !t.open || !targets(t, ev) || !t.rule.Suspendable {
			continue
		}
		found = true
		if ev.Date.After(d.count(t, ev.Date).Due) {
			d.problem(i, ev, t.clock.Kind, ErrSuspendAfterDue)
			continue
		}
		t.clock.Suspensions = append(t.clock.Suspensions, Suspension{From: ev.Date, Open: true, Reason: reason})
		applied = true
	}
	if !found {
		d.problem(i, ev, ev.Kind, ErrNotSuspendable)
	}
	d.assessing = applied
}

// resume ends the running suspension.
func (d *deriver) resume(i int, ev Event) {
	if !d.assessing {
		err := ErrNotSuspended
		for _, j := range d.order[d.pos+1:] {
			if d.c.Events[j].Code == EventAssessmentStarted {
				err = ErrEndBeforeStart
				break
			}
		}
		d.problem(i, ev, ev.Kind, err)
		return
	}
	d.assessing = false
	for _, t := range d.trackers {
		for k := range t.clock.Suspensions {
			if sp := &t.clock.Suspensions[k]; sp.Open {
				sp.Open, sp.To = false, ev.Date
			}
		}
	}
}
