package deadline

import (
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/i18n"
)

// clockOf derives a case and returns the clock of kind with seq.
func clockOf(t *testing.T, c Case, today, kind string, seq int) Clock {
	t.Helper()
	r := DefaultEngine().Derive(c, day(today))
	for _, k := range r.Clocks {
		if k.Kind == kind && k.Seq == seq {
			return k
		}
	}
	t.Fatalf("no clock %s#%d in %v (problems %v)", kind, seq, r.Clocks, r.Problems)
	return Clock{}
}

func TestExplain(t *testing.T) {
	pr := func(custody bool, events ...Event) Case {
		return Case{Category: CategoryProsecutionReview, InCustody: custody, Events: events}
	}
	tests := []struct {
		name  string
		c     Case
		today string
		kind  string
		seq   int
		want  string
	}{
		{"issue example", pr(false, ev("received", "2025-03-04")), "2025-03-05", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；未羁押，4月4日至6日为法定节假日 → 顺延至4月7日"},
		{"in custody", pr(true, ev("received", "2025-03-04")), "2025-03-05", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；在押，4月4日虽为法定节假日，不顺延"},
		{"stopped by a return", pr(false, ev("received", "2025-03-04"), ev("returned", "2025-03-20")), "2025-03-21", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；未羁押，4月4日至6日为法定节假日 → 顺延至4月7日；3月20日退回补充侦查，本期限终止"},
		{"supplementary investigation", pr(false, ev("received", "2025-03-04"), ev("returned", "2025-03-20")), "2025-03-21", KindSupplementaryInvestigation, 1,
			"3月20日退回补充侦查；1个月 → 4月20日；未羁押，4月20日为休息日 → 顺延至4月21日"},
		{"restart after resubmission", pr(false, ev("received", "2025-03-04"), ev("returned", "2025-03-20"), ev("resubmitted", "2025-04-18")), "2025-04-20", KindProsecutionReview, 2,
			"4月18日重新移送审查起诉，审查起诉期限重新计算；1个月 → 5月18日；未羁押，5月18日为休息日 → 顺延至5月19日"},
		{"jurisdiction change", pr(false, ev("received", "2025-03-04"), ev("jurisdiction_changed", "2025-03-15")), "2025-03-16", KindProsecutionReview, 2,
			"3月15日改变管辖，由改变后的检察院重新计算；1个月 → 4月15日"},
		{"month end and decision", pr(true, ev("received", "2025-01-31"), ev("decided", "2025-02-20")), "2025-03-01", KindProsecutionReview, 1,
			"1月31日受理；1个月 → 2月28日（起算日为月末，至该月最后一日）；2月20日作出决定，未超期"},
		{"month clamp", pr(true, ev("received", "2025-01-30")), "2025-02-01", KindProsecutionReview, 1,
			"1月30日受理；1个月 → 2月28日（该月无对应日，至该月最后一日）"},
		{"suspension", pr(false, ev("received", "2025-03-04"), ev("assessment_started", "2025-03-10"), ev("assessment_ended", "2025-03-20")), "2025-03-21", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；3月10日至20日精神病鉴定，不计入期限（10日）→ 4月14日"},
		{"open suspension", pr(false, ev("received", "2025-03-04"), ev("assessment_started", "2025-03-10")), "2025-03-25", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；3月10日起精神病鉴定，暂停计算（已15日，暂计至4月19日）；未羁押，4月19日至20日为休息日 → 顺延至4月21日"},
		{"extension", pr(false, ev("received", "2025-03-04"), ev("extended", "2025-03-30")), "2025-03-31", KindProsecutionReview, 1,
			"3月4日受理；1个月 → 4月4日；3月30日延长15日 → 4月19日；未羁押，4月19日至20日为休息日 → 顺延至4月21日"},
		{"missed", Case{Category: CategoryArrestReview, InCustody: true, Events: []Event{ev("received", "2025-03-03"), ev("decided", "2025-03-11")}},
			"2025-03-12", KindArrestReview, 1, "3月3日受理；7日 → 3月10日；3月11日作出决定，超期1日"},
		{"beyond the loaded years", Case{Category: CategoryArrestReview, Events: []Event{ev("received", "2026-12-18")}},
			"2026-12-19", KindArrestReview, 1,
			"12月18日受理；15日 → 2027年1月2日；未羁押，2027年1月2日至3日为休息日 → 顺延至2027年1月4日（该年度节假日未载入，仅按周末计算）"},
		{"beyond, no shift", Case{Category: CategoryArrestReview, Events: []Event{ev("received", "2026-12-17")}},
			"2026-12-19", KindArrestReview, 1,
			"12月17日受理；15日 → 2027年1月1日（该年度节假日未载入，仅按周末计算）"},
		{"protest", Case{Category: KindProtestJudgment, Events: []Event{ev("received", "2025-03-04")}}, "2025-03-05", KindProtestJudgment, 1,
			"3月4日收到判决书（自次日起算）；10日 → 3月14日"},
		{"working days", Case{Category: KindLawyerFileReview, Events: []Event{ev("received", "2026-02-12")}}, "2026-02-13", KindLawyerFileReview, 1,
			"2月12日受理；3个工作日 → 2月24日"},
		{"hours", Case{Category: KindLegalAidTransfer, Events: []Event{ev("received", "2025-04-03")}}, "2025-04-03", KindLegalAidTransfer, 1,
			"4月3日受理；24小时 → 4月4日（按日历日折算，不因节假日顺延）"},
		{"petition follow-up", Case{Category: CategoryPetition, Events: []Event{ev("received", "2025-03-04"), ev("progress_replied", "2025-06-03")}},
			"2025-06-04", KindPetitionResultReply, 2, "6月3日答复办理进展，此后每月答复；1个月 → 7月3日"},
		{"National Day across months", Case{Category: CategoryArrestReview, Events: []Event{ev("received", "2025-09-16")}}, "2025-09-17", KindArrestReview, 1,
			"9月16日受理；15日 → 10月1日；未羁押，10月1日至8日为法定节假日 → 顺延至10月9日"},
		{"holiday run across months", Case{Category: CategoryPILAdmin, Events: []Event{ev("recommendation_issued", "2025-03-31")}}, "2025-04-01", KindPILReply, 1,
			"3月31日送达诉前检察建议；2个月 → 5月31日；5月31日至6月2日为法定节假日 → 顺延至6月3日"},
	}
	tr := zh(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clockOf(t, tt.c, tt.today, tt.kind, tt.seq)
			if got := c.Explain(tr); got != tt.want {
				t.Errorf("Explain\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLinesAndName(t *testing.T) {
	c := clockOf(t, Case{Category: CategoryProsecutionReview, Events: []Event{ev("received", "2025-03-04")}}, "2025-03-05", KindProsecutionReview, 1)
	tr := zh(t)
	got := c.Lines(tr)
	want := []string{"3月4日受理", "1个月 → 4月4日", "未羁押，4月4日至6日为法定节假日 → 顺延至4月7日"}
	if !slices.Equal(got, want) {
		t.Errorf("Lines %q", got)
	}
	if c.Name(tr) != "审查起诉期限" {
		t.Errorf("Name %q", c.Name(tr))
	}
}

// TestEveryKindHasRuleAndName: each kind the issue names has a rule in
// the default table and a Chinese name in the real catalogue.
func TestEveryKindHasRuleAndName(t *testing.T) {
	rules := DefaultRules()
	cat := i18n.MustLoad("zh-CN")
	for _, k := range []string{
		KindArrestReview, KindArrestReconsideration, KindProsecutionReview, KindSupplementaryInvestigation,
		KindNonProsecutionWithdrawal, KindProtestJudgment, KindProtestRuling, KindRightsNotice,
		KindCivilSupervisionReview, KindAdminSupervisionReview, KindPILReply, KindPILNotice,
		KindPetitionProceduralReply, KindPetitionResultReply, KindLawyerFileReview, KindMonitoringNoticeReply,
		KindLegalAidTransfer,
	} {
		r, ok := rules.Rule(k)
		if !ok {
			t.Errorf("no rule for %s", k)
			continue
		}
		if !cat.Has(r.NameKey) {
			t.Errorf("no name for %s (%s)", k, r.NameKey)
		}
		for _, v := range r.Variants {
			if v.Basis == "" {
				t.Errorf("%s: variant without legal basis", k)
			}
		}
	}
	if len(rules.Kinds()) != 17 {
		t.Errorf("kinds %v", rules.Kinds())
	}
}

// TestMessageKeys: every key Explain, Problem and the vocabularies may use
// is in the real catalogue, and every "deadline.*" key of the catalogue is
// used (no stale text).
func TestMessageKeys(t *testing.T) {
	cat := i18n.MustLoad("zh-CN")
	used := MessageKeys(DefaultRules())
	for _, k := range used {
		if !cat.Has(k) {
			t.Errorf("catalogue lacks %s", k)
		}
	}
	for _, k := range cat.Keys() {
		if strings.HasPrefix(k, "deadline.") && !slices.Contains(used, k) {
			t.Errorf("catalogue key %s is never used", k)
		}
	}
}

// TestExplainAllRendersCleanly renders every clock of many cases and
// checks that no template lacks an argument or a key.
func TestExplainAllRendersCleanly(t *testing.T) {
	tr := zh(t)
	e := DefaultEngine()
	cats := append(Categories(), DefaultRules().Kinds()...)
	for _, cat := range cats {
		for _, custody := range []bool{false, true} {
			c := Case{Category: cat, InCustody: custody, Events: []Event{ev("received", "2026-12-10")}}
			for _, code := range EventCodes() {
				c.Events = append(c.Events, ev(code, "2026-12-20"))
			}
			r := e.Derive(c, day("2027-03-01"))
			for _, k := range r.Clocks {
				if s := k.Explain(tr); strings.Contains(s, "%!") || strings.Contains(s, "⟦") {
					t.Errorf("%s: %s", k.Kind, s)
				}
			}
			for _, p := range r.Problems {
				if s := p.Message(tr); strings.Contains(s, "%!") || strings.Contains(s, "⟦") {
					t.Errorf("problem: %s", s)
				}
			}
		}
	}
}
