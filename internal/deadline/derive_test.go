package deadline

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// summary is a compact, readable form of a clock for table tests:
// "kind#seq start→due state".
func summary(c Clock) string {
	return fmt.Sprintf("%s#%d %s→%s %s", c.Kind, c.Seq, c.Start, c.Due, c.State)
}

type deriveCase struct {
	name     string
	c        Case
	today    string
	want     []string
	problems []error
}

func runDerive(t *testing.T, tests []deriveCase) {
	t.Helper()
	e := DefaultEngine()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var today Date
			if tt.today != "" {
				today = day(tt.today)
			}
			r := e.Derive(tt.c, today)
			var got []string
			for _, c := range r.Clocks {
				got = append(got, summary(c))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("clocks\n got %q\nwant %q", got, tt.want)
			}
			if len(r.Problems) != len(tt.problems) {
				t.Fatalf("problems %v, want %v", r.Problems, tt.problems)
			}
			for i, p := range r.Problems {
				if !errors.Is(p, tt.problems[i]) {
					t.Errorf("problem %d: %v, want %v", i, p, tt.problems[i])
				}
			}
		})
	}
}

func TestDeriveArrestReview(t *testing.T) {
	ar := func(custody, major bool, events ...Event) Case {
		return Case{Category: CategoryArrestReview, InCustody: custody, Major: major, Events: events}
	}
	runDerive(t, []deriveCase{
		{"detained: 7 days (CPL 91)", ar(true, false, ev("received", "2025-03-03")), "2025-03-05",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 running"}, nil},
		{"not detained: 15 days (R282)", ar(false, false, ev("received", "2025-03-03")), "2025-03-05",
			[]string{"arrest_review#1 2025-03-03→2025-03-18 running"}, nil},
		{"not detained, major: 20 days, Sunday shifted", ar(false, true, ev("received", "2025-03-03")), "2025-03-05",
			[]string{"arrest_review#1 2025-03-03→2025-03-24 running"}, nil},
		{"detained and major: still 7 days", ar(true, true, ev("received", "2025-03-03")), "2025-03-05",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 running"}, nil},
		{"detained, ends on National Day: kept", ar(true, false, ev("received", "2025-09-24")), "2025-09-25",
			[]string{"arrest_review#1 2025-09-24→2025-10-01 running"}, nil},
		{"not detained, ends on National Day: 9 Oct", ar(false, false, ev("received", "2025-09-16")), "2025-09-25",
			[]string{"arrest_review#1 2025-09-16→2025-10-09 running"}, nil},
		{"decided on the due date: met", ar(true, false, ev("received", "2025-03-03"), ev("decided", "2025-03-10")), "2025-03-20",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 met"}, nil},
		{"decided a day late: missed", ar(true, false, ev("received", "2025-03-03"), ev("decided", "2025-03-11")), "2025-03-20",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 missed"}, nil},
		{"open after due: overdue", ar(true, false, ev("received", "2025-03-03")), "2025-03-11",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 overdue"}, nil},
		{"due today: running", ar(true, false, ev("received", "2025-03-03")), "2025-03-10",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 running"}, nil},
		{"reconsideration: 7 days (R290)", ar(true, false, ev("received", "2025-03-03"), ev("decided", "2025-03-07"),
			ev("reconsideration_requested", "2025-03-12")), "2025-03-13",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 met", "arrest_reconsideration#1 2025-03-12→2025-03-19 running"}, nil},
		{"reconsideration decided", ar(false, false, ev("received", "2025-03-03"), ev("decided", "2025-03-07"),
			ev("reconsideration_requested", "2025-03-12"), ev("decided", "2025-03-18")), "2025-03-20",
			[]string{"arrest_review#1 2025-03-03→2025-03-18 met", "arrest_reconsideration#1 2025-03-12→2025-03-19 met"}, nil},
		{"Spring Festival 2026, not detained", ar(false, false, ev("received", "2026-01-31")), "2026-02-01",
			[]string{"arrest_review#1 2026-01-31→2026-02-24 running"}, nil},
		{"make-up Saturday 14 Feb 2026 is the due date", ar(true, false, ev("received", "2026-02-07")), "2026-02-08",
			[]string{"arrest_review#1 2026-02-07→2026-02-14 running"}, nil},
		{"make-up Saturday, not detained", ar(false, false, ev("received", "2026-01-30")), "2026-02-01",
			[]string{"arrest_review#1 2026-01-30→2026-02-14 running"}, nil},
		{"beyond 2026: 1 Jan 2027 is a Friday", ar(false, false, ev("received", "2026-12-17")), "2026-12-18",
			[]string{"arrest_review#1 2026-12-17→2027-01-01 running"}, nil},
		{"beyond 2026: Saturday → Monday", ar(false, false, ev("received", "2026-12-18")), "2026-12-18",
			[]string{"arrest_review#1 2026-12-18→2027-01-04 running"}, nil},
		{"psychiatric assessment does not suspend arrest review", ar(true, false, ev("received", "2025-03-03"),
			ev("assessment_started", "2025-03-05")), "2025-03-06",
			[]string{"arrest_review#1 2025-03-03→2025-03-10 running"}, []error{ErrNotSuspendable}},
	})
}

func TestDeriveProsecutionReview(t *testing.T) {
	pr := func(custody bool, events ...Event) Case {
		return Case{Category: CategoryProsecutionReview, InCustody: custody, Events: events}
	}
	fast := func(over bool, events ...Event) Case {
		return Case{Category: CategoryProsecutionReview, FastTrack: true, SentenceOverOneYear: over, Events: events}
	}
	ext := func(date string) Event { return ev("extended", date) }
	runDerive(t, []deriveCase{
		{"1 month, Qingming shift (issue example)", pr(false, ev("received", "2025-03-04")), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 running"}, nil},
		{"in custody: no shift", pr(true, ev("received", "2025-03-04")), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-04-04 running", "rights_notice#1 2025-03-04→2025-03-07 running"}, nil},
		{"31 Jan → 28 Feb", pr(true, ev("received", "2025-01-31"), ev("rights_notified", "2025-02-01")), "2025-02-02",
			[]string{"prosecution_review#1 2025-01-31→2025-02-28 running", "rights_notice#1 2025-01-31→2025-02-03 met"}, nil},
		{"31 Jan 2024 → 29 Feb", pr(true, ev("received", "2024-01-31"), ev("rights_notified", "2024-02-01")), "2024-02-02",
			[]string{"prosecution_review#1 2024-01-31→2024-02-29 running", "rights_notice#1 2024-01-31→2024-02-03 met"}, nil},
		{"30 Apr → 31 May (holiday) → 3 Jun", pr(false, ev("received", "2025-04-30"), ev("rights_notified", "2025-04-30")), "2025-05-02",
			[]string{"prosecution_review#1 2025-04-30→2025-06-03 running", "rights_notice#1 2025-04-30→2025-05-06 met"}, nil},
		{"30 Apr → 31 May in custody", pr(true, ev("received", "2025-04-30"), ev("rights_notified", "2025-04-30")), "2025-05-02",
			[]string{"prosecution_review#1 2025-04-30→2025-05-31 running", "rights_notice#1 2025-04-30→2025-05-03 met"}, nil},
		{"rights notice late", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-10")), "2025-03-11",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 missed"}, nil},
		{"extension +15 days once (CPL 172)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-03-30")), "2025-04-08",
			[]string{"prosecution_review#1 2025-03-04→2025-04-21 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"extension in custody: 19 Apr Saturday kept", pr(true, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-03-30")), "2025-04-08",
			[]string{"prosecution_review#1 2025-03-04→2025-04-19 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"second extension refused", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-03-30"), ext("2025-04-10")), "2025-04-11",
			[]string{"prosecution_review#1 2025-03-04→2025-04-21 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrExtensionLimit}},
		{"extension after expiry refused", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-04-08")), "2025-04-09",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 overdue", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrExtensionLate}},
		{"extension on the shifted due date allowed", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-04-07")), "2025-04-08",
			[]string{"prosecution_review#1 2025-03-04→2025-04-21 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"fast track 10 days", fast(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05")), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-03-14 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"fast track over one year 15 days", fast(true, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05")), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-03-19 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"fast track cannot be extended", fast(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ext("2025-03-10")), "2025-03-11",
			[]string{"prosecution_review#1 2025-03-04→2025-03-14 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrExtensionNotAllowed}},
		{"fast track decided in time", fast(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ev("decided", "2025-03-12")), "2025-03-20",
			[]string{"prosecution_review#1 2025-03-04→2025-03-14 met", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"return and resubmission (issue example)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("returned", "2025-03-20"), ev("resubmitted", "2025-04-18")), "2025-04-20",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"supplementary_investigation#1 2025-03-20→2025-04-21 met",
				"prosecution_review#2 2025-04-18→2025-05-19 running",
			}, nil},
		{"two returns, restarts from zero each time", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("returned", "2025-03-20"), ev("resubmitted", "2025-04-18"), ev("returned", "2025-05-06"), ev("resubmitted", "2025-06-05")), "2025-06-10",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"supplementary_investigation#1 2025-03-20→2025-04-21 met",
				"prosecution_review#2 2025-04-18→2025-05-19 stopped",
				"supplementary_investigation#2 2025-05-06→2025-06-06 met",
				"prosecution_review#3 2025-06-05→2025-07-07 running",
			}, nil},
		{"third return refused, review keeps running", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("returned", "2025-03-20"), ev("resubmitted", "2025-04-18"), ev("returned", "2025-05-06"), ev("resubmitted", "2025-06-05"),
			ev("returned", "2025-06-20")), "2025-06-21",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"supplementary_investigation#1 2025-03-20→2025-04-21 met",
				"prosecution_review#2 2025-04-18→2025-05-19 stopped",
				"supplementary_investigation#2 2025-05-06→2025-06-06 met",
				"prosecution_review#3 2025-06-05→2025-07-07 running",
			}, []error{ErrTooManyReturns}},
		{"police late with supplementary investigation", pr(true, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("returned", "2025-03-20"), ev("resubmitted", "2025-04-25")), "2025-04-26",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-04 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"supplementary_investigation#1 2025-03-20→2025-04-20 missed",
				"prosecution_review#2 2025-04-25→2025-05-25 running",
			}, nil},
		{"supplementary investigation still out: overdue", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("returned", "2025-03-20")), "2025-04-22",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"supplementary_investigation#1 2025-03-20→2025-04-21 overdue",
			}, nil},
		{"resubmission without return refused", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("resubmitted", "2025-03-20")), "2025-03-21",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrResubmitWithoutReturn}},
		{"jurisdiction change restarts at the new office (CPL 172)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("jurisdiction_changed", "2025-03-15")), "2025-03-16",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 stopped",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"prosecution_review#2 2025-03-15→2025-04-15 running",
			}, nil},
		{"psychiatric assessment 10 days (CPL 149)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-03-10"), ev("assessment_ended", "2025-03-20")), "2025-03-21",
			[]string{"prosecution_review#1 2025-03-04→2025-04-14 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"assessment running: suspended", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-03-10")), "2025-03-25",
			[]string{"prosecution_review#1 2025-03-04→2025-04-21 suspended", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"decided during assessment: suspension ends there", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-03-10"), ev("decided", "2025-04-15")), "2025-04-20",
			[]string{"prosecution_review#1 2025-03-04→2025-05-12 met", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"assessment end without start", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_ended", "2025-03-10")), "2025-03-11",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrNotSuspended}},
		{"assessment end before its start", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-03-12"), ev("assessment_ended", "2025-03-10")), "2025-03-11",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrEndBeforeStart}},
		{"assessment started twice", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-03-10"), ev("assessment_started", "2025-03-11"), ev("assessment_ended", "2025-03-20")), "2025-03-21",
			[]string{"prosecution_review#1 2025-03-04→2025-04-14 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrAlreadySuspended}},
		{"assessment after expiry does not save the clock", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("assessment_started", "2025-04-08")), "2025-04-09",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 overdue", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrSuspendAfterDue}},
		{"withdrawal: non-prosecution in 30 days (R424)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("decided", "2025-03-20"), ev("withdrawn", "2025-06-03")), "2025-06-04",
			[]string{
				"prosecution_review#1 2025-03-04→2025-04-07 met",
				"rights_notice#1 2025-03-04→2025-03-07 met",
				"non_prosecution_withdrawal#1 2025-06-03→2025-07-03 running",
			}, nil},
		{"received twice", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ev("received", "2025-03-06")), "2025-03-07",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrAlreadyStarted}},
		{"return after decision refused", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("decided", "2025-03-20"), ev("returned", "2025-03-25")), "2025-03-26",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 met", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrNoOpenClock}},
		{"closing stops open clocks; later events refused", pr(false, ev("received", "2025-03-04"),
			ev("closed", "2025-03-20"), ev("decided", "2025-03-21")), "2025-03-26",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 stopped", "rights_notice#1 2025-03-04→2025-03-07 missed"},
			[]error{ErrAfterClose}},
		{"events after today are not yet known", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("decided", "2025-03-20")), "2025-03-10",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"events out of order are sorted", pr(false, ev("decided", "2025-03-20"), ev("rights_notified", "2025-03-05"),
			ev("received", "2025-03-04")), "2025-03-21",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 met", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"no today: nothing judged", pr(false, ev("received", "2025-03-04")), "",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 running"}, nil},
		{"assignment changes nothing", pr(false, ev("received", "2025-03-04"), ev("assigned", "2025-03-04"), ev("rights_notified", "2025-03-05")), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"}, nil},
		{"unknown event and missing date", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			Event{Code: "teleported", Date: day("2025-03-06")}, Event{Code: "decided"}), "2025-03-07",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 met"},
			[]error{ErrMissingDate, ErrUnknownEvent}},
		{"extension aimed at the rights notice", pr(false, ev("received", "2025-03-04"),
			Event{Code: "extended", Date: day("2025-03-05"), Kind: KindRightsNotice}), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 running"},
			[]error{ErrExtensionNotAllowed}},
		{"unknown kind on an event", pr(false, ev("received", "2025-03-04"),
			Event{Code: "decided", Date: day("2025-03-05"), Kind: "nope"}), "2025-03-05",
			[]string{"prosecution_review#1 2025-03-04→2025-04-07 running", "rights_notice#1 2025-03-04→2025-03-07 running"},
			[]error{ErrUnknownKind}},
		{"event with nothing to act on", pr(false, ev("decided", "2025-03-04")), "2025-03-05", nil, []error{ErrNoOpenClock}},
		{"monitoring notice in a criminal case: 10 days (R665)", pr(false, ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"),
			ev("notice_issued", "2025-03-03"), ev("notice_replied", "2025-03-12")), "2025-03-20",
			[]string{
				"monitoring_notice_reply#1 2025-03-03→2025-03-13 met",
				"prosecution_review#1 2025-03-04→2025-04-07 running",
				"rights_notice#1 2025-03-04→2025-03-07 met",
			}, nil},
	})
}

func TestDeriveClockDetails(t *testing.T) {
	c := Case{Category: CategoryProsecutionReview, Events: []Event{
		ev("received", "2025-03-04"), ev("rights_notified", "2025-03-05"), ev("extended", "2025-03-30"),
		ev("returned", "2025-04-10"), ev("resubmitted", "2025-05-06"),
		ev("assessment_started", "2025-05-10"), ev("assessment_ended", "2025-05-20"), ev("decided", "2025-06-20"),
	}}
	r := DefaultEngine().Derive(c, day("2025-07-01"))
	if len(r.Problems) != 0 {
		t.Fatal(r.Problems)
	}
	first, last := r.Clocks[0], r.Clocks[3]
	if len(first.Extensions) != 1 || first.Extensions[0].Period != Days(15) || first.BaseDue != day("2025-04-04") {
		t.Errorf("first clock %+v", first)
	}
	if first.State != StateStopped || first.EndEvent != EventReturned || first.End != day("2025-04-10") {
		t.Errorf("first clock end %+v", first)
	}
	// 6 May + 1 month = 6 Jun (Friday), + 10 days of assessment = 16 Jun.
	if last.Kind != KindProsecutionReview || last.Restarts != 1 || last.Cause != EventResubmitted ||
		last.Due != day("2025-06-16") || last.State != StateMissed || last.LateDays != 4 {
		t.Errorf("last clock %+v", last)
	}
	if len(last.Suspensions) != 1 || last.Suspensions[0].Days != 10 || last.Suspensions[0].Open {
		t.Errorf("suspensions %+v", last.Suspensions)
	}
	if last.LegalBasis != "《刑事诉讼法》第一百七十二条第一款" || last.InCustody {
		t.Errorf("basis %q custody %v", last.LegalBasis, last.InCustody)
	}
	if len(last.Extensions) != 0 {
		t.Error("an extension of the first clock leaked into the restart")
	}
	// Derive does not change its input.
	if c.Events[0].Code != "received" || len(c.Events) != 8 {
		t.Error("input changed")
	}
}

func TestResultErr(t *testing.T) {
	c := Case{Category: CategoryProsecutionReview, Events: []Event{
		ev("received", "2025-03-04"), ev("returned", "2025-03-05"), ev("resubmitted", "2025-03-06"),
		ev("returned", "2025-03-07"), ev("resubmitted", "2025-03-08"), ev("returned", "2025-03-09"),
	}}
	r := DefaultEngine().Derive(c, day("2025-03-10"))
	if err := r.Err(); !errors.Is(err, ErrTooManyReturns) {
		t.Fatalf("Err() = %v", err)
	}
	p := r.Problems[0]
	if p.Index != 5 || p.Kind != KindSupplementaryInvestigation || p.Key() != "deadline.problem.too_many_returns" {
		t.Errorf("problem %+v key %s", p, p.Key())
	}
	want := "2025-03-09 退回补充侦查：退回补充侦查以二次为限（刑事诉讼法第一百七十五条），本次退回不予计算"
	if got := p.Message(zh(t)); got != want {
		t.Errorf("message\n got %s\nwant %s", got, want)
	}
	r = DefaultEngine().Derive(Case{Category: CategoryProsecutionReview, Events: []Event{{Code: "decided"}}}, day("2025-03-10"))
	if got := r.Problems[0].Message(zh(t)); got != "作出决定：事件缺少有效日期" {
		t.Errorf("undated message %q", got)
	}
	r = DefaultEngine().Derive(Case{Category: "nope"}, day("2025-03-10"))
	if got := r.Problems[0].Message(zh(t)); got != "未知的案件类别" || r.Problems[0].Index != -1 {
		t.Errorf("case message %q", got)
	}
	if (Result{}).Err() != nil {
		t.Error("empty result has an error")
	}
}

// FuzzDerive feeds random event sequences to Derive: it must never panic,
// and every clock must have a due date not before its start.
func FuzzDerive(f *testing.F) {
	f.Add([]byte{0, 1, 3, 5, 4, 30, 3, 5, 4, 2, 8, 9})
	f.Add([]byte{1, 0, 2, 2, 5, 6, 6, 7, 8, 3})
	codes := EventCodes()
	cats := append(Categories(), DefaultRules().Kinds()...)
	e := DefaultEngine()
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 {
			return
		}
		c := Case{Category: cats[int(b[0])%len(cats)], InCustody: b[1]&1 != 0, FastTrack: b[1]&2 != 0,
			SentenceOverOneYear: b[1]&4 != 0, Major: b[1]&8 != 0, Urgent: b[1]&16 != 0}
		d := day("2025-12-01")
		for i := 2; i+1 < len(b); i += 2 {
			d = d.AddDays(int(b[i+1] % 40))
			ev := Event{Code: codes[int(b[i])%len(codes)], Date: d}
			if b[i]&0x80 != 0 {
				ev.Period = Days(int(b[i+1]%60) + 1)
			}
			c.Events = append(c.Events, ev)
		}
		r := e.Derive(c, d.AddDays(int(b[1])))
		for _, k := range r.Clocks {
			if k.Due.Before(k.Start) || k.Steps[0].Op != StepStart {
				t.Fatalf("bad clock %+v", k)
			}
		}
	})
}

// BenchmarkDeriveTypical derives the clocks of a typical prosecution
// review: receipt, notices, an extension, two returns, an assessment and
// a decision — recomputing every clock after an event, as the store does.
func BenchmarkDeriveTypical(b *testing.B) {
	c := Case{Category: CategoryProsecutionReview, InCustody: true, Events: []Event{
		ev("received", "2025-03-04"), ev("assigned", "2025-03-04"), ev("rights_notified", "2025-03-05"),
		ev("extended", "2025-03-30"), ev("returned", "2025-04-10"), ev("resubmitted", "2025-05-06"),
		ev("assessment_started", "2025-05-10"), ev("assessment_ended", "2025-05-20"),
		ev("returned", "2025-06-01"), ev("resubmitted", "2025-06-25"), ev("decided", "2025-07-10"),
	}}
	e := DefaultEngine()
	today := day("2025-07-20")
	b.ReportAllocs()
	for b.Loop() {
		r := e.Derive(c, today)
		if len(r.Clocks) != 6 {
			b.Fatal(len(r.Clocks))
		}
	}
}
