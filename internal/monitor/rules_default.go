package monitor

import (
	"strconv"

	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// Rule IDs of the default table. They are stable codes: stored with
// findings and keyed in the catalogue as "monitor.rule.<id>.*".
const (
	RuleRightsNoticeLate             = "rights_notice_late"
	RuleFastTrackNotSameDay          = "fast_track_not_same_day"
	RuleThirdReturnAttempt           = "third_return_attempt"
	RuleDecisionWithoutHandler       = "decision_without_handler"
	RuleCustodyExtensionNotRequested = "custody_extension_not_requested"
	RulePropertyNotRegistered        = "property_not_registered"
	RuleCardFieldsMissingAtClosing   = "card_fields_missing_at_closing"
	RuleDeadlineOverdue              = "deadline_overdue"
	RuleDeadlineMissed               = "deadline_missed"
)

const (
	// custodyWarningDays: the police ask for an extension, and the office
	// tells the detention centre, 7 days before custody expires.
	custodyWarningDays = 7
	// investigativeCustodyMonths: investigative custody after arrest (CPL 156).
	investigativeCustodyMonths = 2
	// rightsNoticeDays: rights notices within 3 days of receipt (R40, R55).
	rightsNoticeDays = 3
	// refusalReturnLimit is the case service's refusal of a third return.
	refusalReturnLimit = "err.return_limit"
	deadlineGroup      = "deadline"
	// The 7-day request comes from the police procedure rules (verify the
	// article of the current edition).
	custodyBasis = "《刑事诉讼法》第一百五十六条；《公安机关办理刑事案件程序规定》（期满七日前提请延长）"
)

// DefaultRules returns the default rule table. Each call builds a fresh
// slice, so no caller can change another's rules.
func DefaultRules() []Rule {
	return withKeys([]Rule{
		{
			// R40, R55: within 3 days of receiving a transfer for
			// prosecution, tell the suspect of the right to counsel and the
			// victim of the right to an agent.
			ID: RuleRightsNoticeLate, Area: AreaRights, Severity: FairlySerious,
			Basis:  "《刑事诉讼法》第三十四条、第四十六条；《人民检察院刑事诉讼规则》第四十条、第五十五条",
			Active: true, Check: rightsNoticeLate,
		},
		{
			// A fast-track case has 10 days (15 if the sentence may exceed
			// a year): it goes to the prosecutor the day it arrives. The
			// same-day practice is the office's working rule built on CPL
			// 172 (verify the local rule's wording).
			ID: RuleFastTrackNotSameDay, Area: AreaIntake, Severity: Minor,
			Basis:  "《刑事诉讼法》第一百七十二条第一款（速裁案件十日内作出决定）",
			Active: true, Check: fastTrackNotSameDay,
		},
		{
			// CPL 175 ¶3: at most two returns for supplementary
			// investigation. The case service refuses a third and records
			// the attempt; the attempt itself shows a problem.
			ID: RuleThirdReturnAttempt, Area: AreaDocuments, Severity: FairlySerious,
			Basis:  "《刑事诉讼法》第一百七十五条第三款（退回补充侦查以二次为限）",
			Active: true, Check: thirdReturnAttempt,
		},
		{
			// Judicial responsibility: whoever decides answers for it; a
			// decision with no handler on file has nobody to answer.
			ID: RuleDecisionWithoutHandler, Area: AreaDataEntry, Severity: FairlySerious,
			Basis:  "《关于完善人民检察院司法责任制的若干意见》（谁办案谁负责、谁决定谁负责）",
			Active: true, Check: decisionWithoutHandler,
		},
		{
			// CPL 156: investigative custody after arrest is 2 months; the
			// police must ask for an extension 7 days before it ends, and
			// the office tells the detention centre 7 days before (DOMAIN
			// §5.4).
			ID: RuleCustodyExtensionNotRequested, Area: AreaCoerciveMeasures, Severity: FairlySerious,
			Basis: custodyBasis, Active: true, Check: custodyExtensionNotRequested,
		},
		{
			// Property involved in the case needs the property register,
			// which does not exist yet: declared so the gap shows.
			ID: RulePropertyNotRegistered, Area: AreaProperty, Severity: FairlySerious,
			Basis:       "《人民检察院刑事诉讼涉案财物管理规定》",
			InactiveKey: "monitor.rule.property_not_registered.inactive",
		},
		{
			// Statistics come from case cards: a closed case must carry the
			// items that count it (DOMAIN §8).
			ID: RuleCardFieldsMissingAtClosing, Area: AreaDataEntry, Severity: Minor,
			Basis:  "检察业务应用系统案卡填录规范（谁办案谁录入、谁录入谁负责）",
			Active: true, Check: cardFieldsMissing,
		},
		{
			// An open statutory period past its due date.
			ID: RuleDeadlineOverdue, Area: AreaDeadlines, Severity: FairlySerious,
			Basis:  "《人民检察院刑事诉讼规则》第六百六十五条（办案期限监控）",
			Active: true, Group: deadlineGroup, Check: deadlineOverdue,
		},
		{
			// A period that ended late. It shares the group of
			// deadline_overdue: a clock reported overdue is not reported
			// again when the late decision ends it.
			ID: RuleDeadlineMissed, Area: AreaDeadlines, Severity: Minor,
			Basis:  "《人民检察院刑事诉讼规则》第六百六十五条（办案期限监控）",
			Active: true, Group: deadlineGroup, Check: deadlineMissed,
		},
	})
}

// withKeys fills the i18n keys a rule leaves empty from its ID
// ("monitor.rule.<id>.title", ".fix", ".detail").
func withKeys(rules []Rule) []Rule {
	for i := range rules {
		r := &rules[i]
		base := "monitor.rule." + r.ID
		if r.TitleKey == "" {
			r.TitleKey = base + ".title"
		}
		if r.FixKey == "" {
			r.FixKey = base + ".fix"
		}
		if r.DetailKey == "" {
			r.DetailKey = base + ".detail"
		}
	}
	return rules
}

func rightsNoticeLate(s Snapshot) []Hit {
	if s.Case.Category != deadline.CategoryProsecutionReview {
		return nil
	}
	// The stored clock counts as the law does (start day not counted,
	// holidays); without one, count calendar days from receipt.
	if c, ok := s.lastClock(deadline.KindRightsNotice); ok {
		switch {
		case c.State == string(deadline.StateMissed):
			return []Hit{{Args: []Arg{Text(c.Due), Int(c.LateDays)}}}
		case c.overdue(s.Today):
			return []Hit{{Args: []Arg{Text(c.Due), Int(daysBetween(c.Due, s.Today))}}}
		}
		return nil
	}
	due := addDays(s.Case.ReceivedOn, rightsNoticeDays)
	if due == "" {
		return nil
	}
	switch notified := s.first(casefile.EventRightsNotified); {
	case notified != "" && notified > due:
		return []Hit{{Args: []Arg{Text(due), Int(daysBetween(due, notified))}}}
	case notified == "" && s.Today > due:
		return []Hit{{Args: []Arg{Text(due), Int(daysBetween(due, s.Today))}}}
	}
	return nil
}

func fastTrackNotSameDay(s Snapshot) []Hit {
	if !s.Case.FastTrack || s.Case.ReceivedOn == "" {
		return nil
	}
	switch assigned := s.first(casefile.EventAssigned); {
	case assigned != "" && assigned > s.Case.ReceivedOn:
		return []Hit{{Args: []Arg{Text(s.Case.ReceivedOn), Text(assigned)}}}
	case assigned == "" && s.Today > s.Case.ReceivedOn:
		return []Hit{{Args: []Arg{Text(s.Case.ReceivedOn), {Key: "monitor.arg.not_assigned"}}}}
	}
	return nil
}

func thirdReturnAttempt(s Snapshot) []Hit {
	n := 0
	for _, r := range s.Refusals {
		if r.Event == casefile.EventReturned && r.Refusal == refusalReturnLimit {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []Hit{{Args: []Arg{Int(n)}}}
}

func decisionWithoutHandler(s Snapshot) []Hit {
	if s.Case.HandlerID != 0 {
		return nil
	}
	if d := s.first(casefile.EventDecided); d != "" {
		return []Hit{{Args: []Arg{Text(d)}}}
	}
	return nil
}

func custodyExtensionNotRequested(s Snapshot) []Hit {
	if s.Case.Category != deadline.CategoryArrestReview {
		return nil
	}
	approved := ""
	for _, e := range s.Events {
		if e.Code == casefile.EventDecided && e.Outcome == casefile.OutcomeApproveArrest {
			approved = e.OccurredOn // the last approval counts
		}
	}
	if approved == "" || s.has(casefile.EventCustodyExtensionRequested) {
		return nil
	}
	d, err := deadline.ParseDate(approved)
	if err != nil {
		return nil
	}
	expiry, _ := deadline.AddMonths(d, investigativeCustodyMonths)
	if s.Today < expiry.AddDays(-custodyWarningDays).String() {
		return nil
	}
	// Ref: a new approval (after a re-arrest) is a new custody period.
	return []Hit{{Ref: approved, Args: []Arg{Text(approved), Text(expiry.String())}}}
}

// CardField is a case-card item (案卡项) that must be filled when a case
// closes. The list is data: adding an item is adding a row.
type CardField struct {
	Code         string // keyed as "monitor.card_field.<code>"
	CriminalOnly bool
	Missing      func(c CaseFacts) bool
}

// CardFields lists the items a closed case must carry.
func CardFields() []CardField {
	return []CardField{
		{Code: "decision", Missing: func(c CaseFacts) bool { return c.Decision == "" }},
		{Code: "handler", Missing: func(c CaseFacts) bool { return c.HandlerID == 0 }},
		{Code: "department", Missing: func(c CaseFacts) bool { return c.DepartmentID == 0 }},
		{Code: "charges", CriminalOnly: true, Missing: func(c CaseFacts) bool { return len(c.Charges) == 0 }},
		{Code: "closed_on", Missing: func(c CaseFacts) bool { return c.ClosedOn == "" }},
	}
}

func cardFieldsMissing(s Snapshot) []Hit {
	if s.Case.Status != casefile.StatusClosed {
		return nil
	}
	var keys []string
	for _, f := range CardFields() {
		if (!f.CriminalOnly || s.Case.Criminal) && f.Missing(s.Case) {
			keys = append(keys, "monitor.card_field."+f.Code)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return []Hit{{Args: []Arg{{Keys: keys}}}}
}

// coveredElsewhere are clock kinds a rule of their own watches, so the
// general deadline rules leave them out rather than report them twice.
func coveredElsewhere(kind string) bool { return kind == deadline.KindRightsNotice }

func clockRef(c Clock) string { return c.Kind + "#" + strconv.Itoa(c.Seq) }

func deadlineOverdue(s Snapshot) []Hit {
	var out []Hit
	for _, c := range s.Clocks {
		if c.Watched && c.overdue(s.Today) && !coveredElsewhere(c.Kind) {
			out = append(out, Hit{Ref: clockRef(c), Args: []Arg{{Key: "deadline.kind." + c.Kind}, Text(c.Due),
				Int(daysBetween(c.Due, s.Today)), Text(c.Basis)}})
		}
	}
	return out
}

func deadlineMissed(s Snapshot) []Hit {
	var out []Hit
	for _, c := range s.Clocks {
		if c.State == string(deadline.StateMissed) && !coveredElsewhere(c.Kind) {
			out = append(out, Hit{Ref: clockRef(c), Args: []Arg{{Key: "deadline.kind." + c.Kind}, Text(c.Due),
				Text(c.Ended), Int(c.LateDays)}})
		}
	}
	return out
}
