package deadline

import (
	"errors"
	"fmt"
)

// Error is a problem this package reports: in outside data (a year file, a
// date, a period), in rule data, or in a case's events. Each has a stable
// code and an i18n message key ("deadline.problem.<code>"), so the web and
// CLI edges can show it in the user's language; compare with errors.Is
// against the sentinels below.
type Error struct {
	code string
	msg  string
}

func newError(code, msg string) *Error { return &Error{code: code, msg: msg} }

// Error implements error.
func (e *Error) Error() string { return "deadline: " + e.msg }

// Code is the stable code of the problem, e.g. "too_many_returns".
func (e *Error) Code() string { return e.code }

// Key is the i18n message key of the problem.
func (e *Error) Key() string { return "deadline.problem." + e.code }

// Errors in outside data and in rule data.
var (
	ErrBadDate           = newError("bad_date", "bad date")
	ErrBadPeriod         = newError("bad_period", "bad period")
	ErrBadYearFile       = newError("bad_year_file", "holiday file is not valid JSON of the expected shape")
	ErrYearRange         = newError("year_range", "year must be between 1949 and 9999")
	ErrOutsideYear       = newError("outside_year", "date lies outside the file's year")
	ErrRangeReversed     = newError("range_reversed", "holiday range ends before it starts")
	ErrRangeTooLong      = newError("range_too_long", "holiday range is longer than 15 days")
	ErrDuplicateDate     = newError("duplicate_date", "date listed twice")
	ErrHolidayAndWorkday = newError("holiday_and_workday", "date is both a holiday and a make-up working day")
	ErrWorkdayNotWeekend = newError("workday_not_weekend", "make-up working day is not a Saturday or Sunday")
	ErrDuplicateYear     = newError("duplicate_year", "year loaded twice")
	ErrBadRule           = newError("bad_rule", "invalid rule data")
)

// Problems found while deriving clocks from a case's events. Derive never
// fails on them: it skips the offending event, keeps computing, and reports
// a Problem, so a case with a bad record still shows its other clocks. The
// state machine that refuses such events at entry lives in the case package.
var (
	ErrUnknownCategory       = newError("unknown_category", "unknown case category")
	ErrUnknownEvent          = newError("unknown_event", "unknown event code")
	ErrUnknownKind           = newError("unknown_kind", "unknown clock kind")
	ErrUnknownReason         = newError("unknown_reason", "unknown suspension reason")
	ErrMissingDate           = newError("missing_date", "event has no valid date")
	ErrAlreadyStarted        = newError("already_started", "the clock this event starts is already started")
	ErrNoOpenClock           = newError("no_open_clock", "no open clock for this event")
	ErrTooManyReturns        = newError("too_many_returns", "supplementary investigation is limited to two returns (CPL 175)")
	ErrResubmitWithoutReturn = newError("resubmit_without_return", "resubmission without a pending return for supplementary investigation")
	ErrLimitReached          = newError("limit_reached", "the clock may not start again")
	ErrNoVariant             = newError("no_variant", "no period of the rule fits the case")
	ErrExtensionNotAllowed   = newError("extension_not_allowed", "this period cannot be extended")
	ErrExtensionLimit        = newError("extension_limit", "the extension has already been used")
	ErrExtensionLate         = newError("extension_late", "extension recorded after the period expired")
	ErrAlreadySuspended      = newError("already_suspended", "a suspension is already running")
	ErrNotSuspended          = newError("not_suspended", "suspension ended but none was running")
	ErrEndBeforeStart        = newError("end_before_start", "suspension ends before it starts")
	ErrNotSuspendable        = newError("not_suspendable", "no open clock may be suspended")
	ErrSuspendAfterDue       = newError("suspend_after_due", "suspension started after the period expired")
	ErrBeforeNoticeEnd       = newError("before_notice_end", "decided before the notice period ended")
	ErrAfterClose            = newError("after_close", "event after the case was closed")
)

// allErrors lists every sentinel, so tests and MessageKeys can check that
// each has a message.
func allErrors() []*Error {
	return []*Error{
		ErrBadDate, ErrBadPeriod, ErrBadYearFile, ErrYearRange, ErrOutsideYear, ErrRangeReversed,
		ErrRangeTooLong, ErrDuplicateDate, ErrHolidayAndWorkday, ErrWorkdayNotWeekend, ErrDuplicateYear,
		ErrBadRule, ErrUnknownCategory, ErrUnknownEvent, ErrUnknownKind, ErrUnknownReason, ErrMissingDate,
		ErrAlreadyStarted, ErrNoOpenClock, ErrTooManyReturns, ErrResubmitWithoutReturn, ErrLimitReached,
		ErrNoVariant, ErrExtensionNotAllowed, ErrExtensionLimit, ErrExtensionLate, ErrAlreadySuspended,
		ErrNotSuspended, ErrEndBeforeStart, ErrNotSuspendable, ErrSuspendAfterDue, ErrBeforeNoticeEnd,
		ErrAfterClose,
	}
}

// Problem is one event that Derive could not apply, or a fact it noticed.
type Problem struct {
	// Index is the event's position in Case.Events, or -1 for the case.
	Index int
	// Event is the event code ("" for the case).
	Event string
	// Date is the event's date.
	Date Date
	// Kind is the clock kind concerned, when there is one.
	Kind string
	// Err is one of the sentinels above, possibly wrapped.
	Err error
}

// Error implements error, so problems can be joined and compared.
func (p Problem) Error() string {
	if p.Index < 0 {
		return p.Err.Error()
	}
	return fmt.Sprintf("event %d (%s %s): %v", p.Index, p.Event, p.Date, p.Err)
}

// Unwrap returns the underlying sentinel.
func (p Problem) Unwrap() error { return p.Err }

// Key returns the i18n key of the problem's message.
func (p Problem) Key() string {
	var e *Error
	if errors.As(p.Err, &e) {
		return e.Key()
	}
	return "deadline.problem.unknown"
}

// Message renders the problem for a person: "2025-04-01 退回补充侦查：…".
func (p Problem) Message(t func(key string, args ...any) string) string {
	msg := t(p.Key())
	switch {
	case p.Index < 0:
		return msg
	case p.Date.IsZero():
		return t(keyProblemAtEvent, t(eventLabelKey(p.Event)), msg)
	}
	return t(keyProblemAt, p.Date.String(), t(eventLabelKey(p.Event)), msg)
}
