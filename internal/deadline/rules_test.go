package deadline

import (
	"errors"
	"testing"
)

func TestDefaultRulePeriods(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		kind string
		c    Case
		want Period
	}{
		{KindArrestReview, Case{InCustody: true}, Days(7)},
		{KindArrestReview, Case{}, Days(15)},
		{KindArrestReview, Case{Major: true}, Days(20)},
		{KindArrestReconsideration, Case{}, Days(7)},
		{KindProsecutionReview, Case{}, Months(1)},
		{KindProsecutionReview, Case{FastTrack: true}, Days(10)},
		{KindProsecutionReview, Case{FastTrack: true, SentenceOverOneYear: true}, Days(15)},
		{KindProsecutionReview, Case{SentenceOverOneYear: true}, Months(1)},
		{KindSupplementaryInvestigation, Case{}, Months(1)},
		{KindNonProsecutionWithdrawal, Case{}, Days(30)},
		{KindProtestJudgment, Case{}, Days(10)},
		{KindProtestRuling, Case{}, Days(5)},
		{KindRightsNotice, Case{}, Days(3)},
		{KindCivilSupervisionReview, Case{}, Months(3)},
		{KindAdminSupervisionReview, Case{}, Months(3)},
		{KindPILReply, Case{}, Months(2)},
		{KindPILReply, Case{Urgent: true}, Days(15)},
		{KindPILNotice, Case{}, Days(30)},
		{KindPetitionProceduralReply, Case{}, Days(7)},
		{KindPetitionResultReply, Case{}, Months(3)},
		{KindLawyerFileReview, Case{}, WorkingDays(3)},
		{KindMonitoringNoticeReply, Case{Category: CategoryProsecutionReview}, Days(10)},
		{KindMonitoringNoticeReply, Case{Category: CategoryCivilSupervision}, Days(5)},
		{KindLegalAidTransfer, Case{}, Hours(24)},
	}
	for _, tt := range tests {
		r, ok := rules.Rule(tt.kind)
		if !ok {
			t.Fatalf("no rule %s", tt.kind)
		}
		v := r.variantFor(&tt.c)
		if v == nil || v.Base != tt.want {
			t.Errorf("%s %+v: %v, want %v", tt.kind, tt.c, v, tt.want)
		}
	}
	pr, _ := rules.Rule(KindProsecutionReview)
	if x := pr.Variants[len(pr.Variants)-1].Extension; x == nil || x.Period != Days(15) || x.Max != 1 {
		t.Errorf("prosecution review extension %+v", x)
	}
	si, _ := rules.Rule(KindSupplementaryInvestigation)
	if si.Limit != 2 || si.LimitErr != ErrTooManyReturns {
		t.Errorf("supplementary investigation limit %d", si.Limit)
	}
}

func TestNewRuleSetValidates(t *testing.T) {
	good := Rule{Kind: "x", Variants: []Variant{{Base: Days(1), Basis: "b"}}}
	tests := []struct {
		name string
		r    []Rule
	}{
		{"no kind", []Rule{{Variants: good.Variants}}},
		{"duplicate", []Rule{good, good}},
		{"no variant", []Rule{{Kind: "x"}}},
		{"conditional last variant", []Rule{{Kind: "x", Variants: []Variant{{When: Cond{Major: Yes}, Base: Days(1)}}}}},
		{"bad period", []Rule{{Kind: "x", Variants: []Variant{{Base: Days(0)}}}}},
		{"bad extension", []Rule{{Kind: "x", Variants: []Variant{{Base: Days(1), Extension: &ExtensionRule{}}}}}},
		{"unknown category", []Rule{{Kind: "x", Categories: []string{"nope"}, Variants: good.Variants}}},
		{"unknown trigger", []Rule{{Kind: "x", Triggers: []Trigger{{Event: "nope"}}, Variants: good.Variants}}},
		{"unknown requirement", []Rule{{Kind: "x", Triggers: []Trigger{{Event: EventReceived, Requires: "y"}}, Variants: good.Variants}}},
		{"unknown deciding event", []Rule{{Kind: "x", MetBy: []string{"nope"}, Variants: good.Variants}}},
	}
	for _, tt := range tests {
		if _, err := NewRuleSet(tt.r...); !errors.Is(err, ErrBadRule) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	s, err := NewRuleSet(good)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Rule("x")
	if r.NameKey != "deadline.kind.x" {
		t.Errorf("default name key %q", r.NameKey)
	}
}

// TestRuleSetIsolated: changing a returned rule or the input slice does
// not change the set.
func TestRuleSetIsolated(t *testing.T) {
	in := []Rule{{Kind: "x", Categories: []string{CategoryPetition}, Triggers: []Trigger{{Event: EventReceived}},
		Variants: []Variant{{Base: Days(7), Basis: "b", Extension: &ExtensionRule{Period: Days(1), Max: 1}}}}}
	s, err := NewRuleSet(in...)
	if err != nil {
		t.Fatal(err)
	}
	in[0].Variants[0].Base = Days(1)
	in[0].Variants[0].Extension.Max = 9
	r, _ := s.Rule("x")
	r.Variants[0].Base = Days(2)
	r2, _ := s.Rule("x")
	if r2.Variants[0].Base != Days(7) || r2.Variants[0].Extension.Max != 1 {
		t.Fatalf("rule set changed: %+v", r2.Variants[0])
	}
	// A custom rule set drives Derive: 7 days from a petition's receipt.
	res := NewEngine(DefaultCalendar(), s).Derive(Case{Category: CategoryPetition, Events: []Event{ev("received", "2025-03-03")}}, day("2025-03-04"))
	if len(res.Clocks) != 1 || res.Clocks[0].Due != day("2025-03-10") {
		t.Fatalf("custom rules: %+v", res)
	}
}
