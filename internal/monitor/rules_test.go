package monitor

import (
	"reflect"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/i18n"
)

// snap builds a snapshot of a prosecution-review case received on
// 2026-03-02, as of today, changed by opts.
func snap(today string, opts ...func(*Snapshot)) Snapshot {
	s := Snapshot{Today: today, Case: CaseFacts{ID: 7, UnitID: 1, Category: "prosecution_review", Criminal: true,
		Status: "in_progress", ReceivedOn: "2026-03-02", HandlerID: 10, DepartmentID: 3, Charges: []string{"盗窃罪"}}}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func events(evs ...Event) func(*Snapshot) {
	return func(s *Snapshot) { s.Events = append(s.Events, evs...) }
}

func clocks(cs ...Clock) func(*Snapshot) {
	return func(s *Snapshot) { s.Clocks = append(s.Clocks, cs...) }
}

func facts(f func(*CaseFacts)) func(*Snapshot) { return func(s *Snapshot) { f(&s.Case) } }

func ev(code, on string) Event { return Event{Code: code, OccurredOn: on} }

// check runs one rule of the default table on a snapshot.
func check(t *testing.T, id string, s Snapshot) []Hit {
	t.Helper()
	r, ok := RuleByID(DefaultRules(), id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r.Check(s)
}

type ruleCase struct {
	name string
	s    Snapshot
	want []Hit // nil: does not fire
}

func runRuleCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		got := check(t, id, tc.s)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s / %s: got %+v, want %+v", id, tc.name, got, tc.want)
		}
	}
}

func hit(args ...Arg) []Hit { return []Hit{{Args: args}} }

func TestRightsNoticeLate(t *testing.T) {
	rn := func(state string, open bool, due string, late int) Clock {
		return Clock{Kind: "rights_notice", Seq: 1, State: state, Open: open, Watched: open, Due: due, LateDays: late}
	}
	runRuleCases(t, RuleRightsNoticeLate, []ruleCase{
		// With the stored clock.
		{"clock met", snap("2026-03-16", clocks(rn("met", false, "2026-03-05", 0))), nil},
		{"clock missed", snap("2026-03-16", clocks(rn("missed", false, "2026-03-05", 2))),
			hit(Text("2026-03-05"), Int(2))},
		{"clock open, due today", snap("2026-03-05", clocks(rn("running", true, "2026-03-05", 0))), nil},
		{"clock open, due yesterday", snap("2026-03-06", clocks(rn("running", true, "2026-03-05", 0))),
			hit(Text("2026-03-05"), Int(1))},
		// The clock wins over the events: the engine shifted a due date
		// over a holiday that the calendar-day count does not know.
		{"clock open, holiday shift", snap("2026-03-07", clocks(rn("running", true, "2026-03-09", 0))), nil},
		// Without a clock: 3 calendar days from receipt.
		{"events: notified on day 3", snap("2026-03-16", events(ev("rights_notified", "2026-03-05"))), nil},
		{"events: notified on day 4", snap("2026-03-16", events(ev("rights_notified", "2026-03-06"))),
			hit(Text("2026-03-05"), Int(1))},
		{"events: none yet, day 3", snap("2026-03-05"), nil},
		{"events: none, day 4", snap("2026-03-06"), hit(Text("2026-03-05"), Int(1))},
		{"not prosecution review", snap("2026-03-16", facts(func(c *CaseFacts) { c.Category = "arrest_review" })), nil},
	})
}

func TestFastTrackNotSameDay(t *testing.T) {
	fast := facts(func(c *CaseFacts) { c.FastTrack = true })
	runRuleCases(t, RuleFastTrackNotSameDay, []ruleCase{
		{"assigned the same day", snap("2026-03-16", fast, events(ev("assigned", "2026-03-02"))), nil},
		{"assigned the next day", snap("2026-03-16", fast, events(ev("assigned", "2026-03-03"))),
			hit(Text("2026-03-02"), Text("2026-03-03"))},
		{"not assigned, receipt day", snap("2026-03-02", fast), nil},
		{"not assigned, next day", snap("2026-03-03", fast),
			hit(Text("2026-03-02"), Arg{Key: "monitor.arg.not_assigned"})},
		{"not fast track", snap("2026-03-16", events(ev("assigned", "2026-03-09"))), nil},
	})
}

func TestThirdReturnAttempt(t *testing.T) {
	refused := func(event, refusal string) func(*Snapshot) {
		return func(s *Snapshot) {
			s.Refusals = append(s.Refusals, Refusal{Event: event, Refusal: refusal, At: time.Unix(0, 0)})
		}
	}
	runRuleCases(t, RuleThirdReturnAttempt, []ruleCase{
		{"no refusal", snap("2026-03-16"), nil},
		{"other refusal", snap("2026-03-16", refused("returned", "err.return_outstanding")), nil},
		{"other event", snap("2026-03-16", refused("extended", "err.return_limit")), nil},
		{"one attempt", snap("2026-03-16", refused("returned", "err.return_limit")), hit(Int(1))},
		{"two attempts", snap("2026-03-16", refused("returned", "err.return_limit"),
			refused("returned", "err.return_limit")), hit(Int(2))},
	})
}

func TestDecisionWithoutHandler(t *testing.T) {
	noHandler := facts(func(c *CaseFacts) { c.HandlerID = 0 })
	runRuleCases(t, RuleDecisionWithoutHandler, []ruleCase{
		{"decided with handler", snap("2026-03-16", events(ev("decided", "2026-03-10"))), nil},
		{"no handler, not decided", snap("2026-03-16", noHandler), nil},
		{"decided without handler", snap("2026-03-16", noHandler, events(ev("decided", "2026-03-10"))),
			hit(Text("2026-03-10"))},
	})
}

func TestCustodyExtensionNotRequested(t *testing.T) {
	arrest := facts(func(c *CaseFacts) { c.Category = "arrest_review"; c.Status = "closed" })
	approved := func(on string) func(*Snapshot) {
		return events(Event{Code: "decided", OccurredOn: on, Outcome: "approve_arrest"})
	}
	want := func(on, expiry string) []Hit {
		return []Hit{{Ref: on, Args: []Arg{Text(on), Text(expiry)}}}
	}
	runRuleCases(t, RuleCustodyExtensionNotRequested, []ruleCase{
		// 16 Jan + 2 months = 16 Mar; the warning starts on 9 Mar.
		{"8 days before expiry", snap("2026-03-08", arrest, approved("2026-01-16")), nil},
		{"7 days before expiry", snap("2026-03-09", arrest, approved("2026-01-16")), want("2026-01-16", "2026-03-16")},
		{"after expiry", snap("2026-03-20", arrest, approved("2026-01-16")), want("2026-01-16", "2026-03-16")},
		{"requested", snap("2026-03-10", arrest, approved("2026-01-16"),
			events(ev("custody_extension_requested", "2026-03-08"))), nil},
		// CPL 105 month rule: 31 Dec + 2 months = 28 Feb (no 31 Feb).
		{"month end", snap("2026-02-21", arrest, approved("2025-12-31")), want("2025-12-31", "2026-02-28")},
		{"month end, day before warning", snap("2026-02-20", arrest, approved("2025-12-31")), nil},
		{"arrest refused", snap("2026-03-20", arrest,
			events(Event{Code: "decided", OccurredOn: "2026-01-16", Outcome: "reject_arrest"})), nil},
		{"not arrest review", snap("2026-03-20", approved("2026-01-16")), nil},
	})
}

func TestCardFieldsMissingAtClosing(t *testing.T) {
	closed := func(f func(*CaseFacts)) func(*Snapshot) {
		return facts(func(c *CaseFacts) {
			c.Status, c.Decision, c.ClosedOn = "closed", "prosecute", "2026-03-12"
			f(c)
		})
	}
	keys := func(ks ...string) []Hit { return []Hit{{Args: []Arg{{Keys: ks}}}} }
	runRuleCases(t, RuleCardFieldsMissingAtClosing, []ruleCase{
		{"complete", snap("2026-03-16", closed(func(*CaseFacts) {})), nil},
		{"open case is not checked", snap("2026-03-16", facts(func(c *CaseFacts) { c.HandlerID = 0 })), nil},
		{"no decision", snap("2026-03-16", closed(func(c *CaseFacts) { c.Decision = "" })),
			keys("monitor.card_field.decision")},
		{"no handler, department, charges, closing date", snap("2026-03-16", closed(func(c *CaseFacts) {
			c.HandlerID, c.DepartmentID, c.Charges, c.ClosedOn = 0, 0, nil, ""
		})), keys("monitor.card_field.handler", "monitor.card_field.department", "monitor.card_field.charges",
			"monitor.card_field.closed_on")},
		{"civil case needs no charges", snap("2026-03-16", closed(func(c *CaseFacts) {
			c.Category, c.Criminal, c.Charges = "civil_supervision", false, nil
		})), nil},
	})
}

func TestDeadlineRules(t *testing.T) {
	pr := func(state string, open, watched bool, due, ended string, late int) Clock {
		return Clock{Kind: "prosecution_review", Seq: 1, State: state, Open: open, Watched: watched, Due: due,
			Ended: ended, LateDays: late, Basis: "CPL 172"}
	}
	overdue := []Hit{{Ref: "prosecution_review#1", Args: []Arg{{Key: "deadline.kind.prosecution_review"},
		Text("2026-04-02"), Int(1), Text("CPL 172")}}}
	runRuleCases(t, RuleDeadlineOverdue, []ruleCase{
		{"due today", snap("2026-04-02", clocks(pr("running", true, true, "2026-04-02", "", 0))), nil},
		{"due yesterday", snap("2026-04-03", clocks(pr("running", true, true, "2026-04-02", "", 0))), overdue},
		// The stored state is as of computation: a clock stored as
		// running is overdue today all the same.
		{"stored overdue", snap("2026-04-03", clocks(pr("overdue", true, true, "2026-04-02", "", 0))), overdue},
		{"suspended (not watched)", snap("2026-04-03", clocks(pr("suspended", true, false, "2026-04-02", "", 0))), nil},
		{"ended", snap("2026-04-03", clocks(pr("met", false, false, "2026-04-02", "2026-04-01", 0))), nil},
		{"rights notice has its own rule", snap("2026-04-03", clocks(Clock{Kind: "rights_notice", Seq: 1,
			State: "running", Open: true, Watched: true, Due: "2026-03-05"})), nil},
	})
	runRuleCases(t, RuleDeadlineMissed, []ruleCase{
		{"met", snap("2026-04-10", clocks(pr("met", false, false, "2026-04-02", "2026-04-02", 0))), nil},
		{"missed", snap("2026-04-10", clocks(pr("missed", false, false, "2026-04-02", "2026-04-05", 3))),
			[]Hit{{Ref: "prosecution_review#1", Args: []Arg{{Key: "deadline.kind.prosecution_review"},
				Text("2026-04-02"), Text("2026-04-05"), Int(3)}}}},
		{"stopped", snap("2026-04-10", clocks(pr("stopped", false, false, "2026-04-02", "2026-03-20", 0))), nil},
	})
}

func TestPropertyRuleIsDeclaredInactive(t *testing.T) {
	r, _ := RuleByID(DefaultRules(), RulePropertyNotRegistered)
	if r.Active || r.InactiveKey == "" {
		t.Fatalf("property rule: active=%v reason=%q", r.Active, r.InactiveKey)
	}
	if got := Evaluate([]Rule{r}, snap("2026-03-16")); got != nil {
		t.Errorf("an inactive rule produced %v", got)
	}
}

// One clock is one problem: overdue, then ended late, gives one key.
func TestEvaluateDedupsOneClockAcrossRules(t *testing.T) {
	s := snap("2026-04-10", events(ev("rights_notified", "2026-03-03")), clocks(
		Clock{Kind: "prosecution_review", Seq: 1, State: "missed", Due: "2026-04-02", Ended: "2026-04-05", LateDays: 3},
		Clock{Kind: "supplementary_investigation", Seq: 1, State: "running", Open: true, Watched: true, Due: "2026-04-08"},
	))
	got := Evaluate(DefaultRules(), s)
	var keys []string
	for _, f := range got {
		keys = append(keys, f.DedupKey)
		if f.Step != StepDetected || f.Status != StatusOpen || f.DetectedOn != "2026-04-10" || f.UnitID != 1 {
			t.Errorf("finding %s starts as %+v", f.DedupKey, f.State)
		}
	}
	want := []string{"deadline:7:supplementary_investigation#1", "deadline:7:prosecution_review#1"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	// Overdue and missed of the same clock share the key.
	o, _ := RuleByID(DefaultRules(), RuleDeadlineOverdue)
	m, _ := RuleByID(DefaultRules(), RuleDeadlineMissed)
	h := Hit{Ref: "prosecution_review#1"}
	if o.FindingKey(7, h) != m.FindingKey(7, h) {
		t.Error("overdue and missed keys differ")
	}
}

// The rule table is well formed: unique ids, known areas and severities,
// a legal basis, a check for the active and a reason for the inactive.
func TestRuleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DefaultRules() {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if !r.Area.Valid() || !r.Severity.Valid() || r.Basis == "" {
			t.Errorf("rule %s: area %q severity %q basis %q", r.ID, r.Area, r.Severity, r.Basis)
		}
		if r.Active == (r.Check == nil) {
			t.Errorf("rule %s: active=%v but check set=%v", r.ID, r.Active, r.Check != nil)
		}
		if !r.Active && r.InactiveKey == "" {
			t.Errorf("rule %s is inactive without a reason", r.ID)
		}
		if r.TitleKey == "" || r.FixKey == "" || r.DetailKey == "" {
			t.Errorf("rule %s lacks keys", r.ID)
		}
	}
	if len(seen) < 9 {
		t.Errorf("only %d rules", len(seen))
	}
}

func TestDeriveClocks(t *testing.T) {
	s := snap("2026-03-16", facts(func(c *CaseFacts) { c.InCustody = true }),
		events(Event{Code: "received", OccurredOn: "2026-03-02", Outcome: "accept"}))
	got := map[string]Clock{}
	for _, c := range DeriveClocks(deadline.DefaultEngine(), s) {
		got[c.Kind] = c
	}
	if c := got["rights_notice"]; c.Due != "2026-03-05" || !c.Open || !c.Watched || !c.overdue(s.Today) || c.Basis == "" {
		t.Errorf("rights notice clock %+v", c)
	}
	if c := got["prosecution_review"]; c.Due != "2026-04-02" || !c.Watched || c.overdue(s.Today) {
		t.Errorf("review clock %+v", c)
	}
	// An intake still waiting for material starts nothing.
	waiting := snap("2026-03-16", events(Event{Code: "received", OccurredOn: "2026-03-02", Outcome: "supplement"}))
	if cs := DeriveClocks(deadline.DefaultEngine(), waiting); len(cs) != 0 {
		t.Errorf("clocks of a waiting intake: %+v", cs)
	}
}

func TestFindingDetailRendersArgs(t *testing.T) {
	c := i18n.MustLoad(i18n.DefaultLang)
	s := snap("2026-03-16", facts(func(f *CaseFacts) { f.Status, f.Decision, f.ClosedOn, f.HandlerID = "closed", "x", "2026-03-10", 0 }),
		events(ev("rights_notified", "2026-03-03")))
	fs := Evaluate(DefaultRules(), s)
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	if got := fs[0].Detail(c.T); got != "结案时案卡缺少：承办人" {
		t.Errorf("detail %q", got)
	}
	fs[0].Args = append(fs[0].Args, Arg{Keys: []string{"monitor.card_field.charges", "monitor.card_field.closed_on"}})
	fs[0].DetailKey = "monitor.rule.card_fields_missing_at_closing.detail"
	fs[0].Args = fs[0].Args[1:]
	if got := fs[0].Detail(c.T); got != "结案时案卡缺少：罪名、办结日期" {
		t.Errorf("list detail %q", got)
	}
	if got := (Finding{Description: "手工登记"}).Detail(c.T); got != "手工登记" {
		t.Errorf("manual detail %q", got)
	}
}
