package monitor

import (
	"strconv"
	"strings"
)

// Rule is one monitoring rule (监控规则), kept as data so that the
// knowledge of what is checked, why and under which article survives the
// people who wrote it (DOMAIN §8).
type Rule struct {
	// ID is the stable code ("rights_notice_late"), stored with findings.
	ID       string
	Area     Area
	Severity Severity
	// Basis cites the article the rule enforces.
	Basis string
	// TitleKey names the problem, FixKey says how to put it right,
	// DetailKey renders a finding's Args (i18n keys).
	TitleKey  string
	FixKey    string
	DetailKey string
	// Active rules run in the scan; an inactive one is declared with the
	// i18n key of the reason (InactiveKey), so the gap is visible.
	Active      bool
	InactiveKey string
	// Group, when set, is shared by rules that report one problem in
	// different words (a clock overdue, later ended late): they share the
	// finding key, so one problem is reported once. Defaults to ID.
	Group string
	// Check returns the problems of one case, nil when there is none.
	Check func(s Snapshot) []Hit
}

// Hit is one problem a rule found in a case.
type Hit struct {
	// Ref tells apart several problems of one rule in one case (the clock
	// "prosecution_review#1"); "" when a case can have only one.
	Ref  string
	Args []Arg
}

// Arg is one argument of a finding's detail message: a translated key, a
// list of translated keys, or literal text (a date, a number). Kept as
// data so a finding renders in the reader's language.
type Arg struct {
	Key  string   `json:"k,omitempty"`
	Keys []string `json:"l,omitempty"`
	Text string   `json:"v,omitempty"`
}

// Text is a literal argument.
func Text(s string) Arg { return Arg{Text: s} }

// Int is a number argument.
func Int(n int) Arg { return Arg{Text: strconv.Itoa(n)} }

// Render renders the argument with t.
func (a Arg) Render(t func(key string, args ...any) string) string {
	switch {
	case a.Key != "":
		return t(a.Key)
	case len(a.Keys) > 0:
		parts := make([]string, len(a.Keys))
		for i, k := range a.Keys {
			parts[i] = t(k)
		}
		return strings.Join(parts, t("monitor.list_sep"))
	}
	return a.Text
}

// FindingKey is the deduplication key of a hit: group, case and ref. The
// key is unique among all findings ever made, so a rerun of the scan never
// duplicates a finding, and a closed finding is not reopened by the same
// problem.
func (r Rule) FindingKey(caseID int64, h Hit) string {
	g := r.Group
	if g == "" {
		g = r.ID
	}
	k := g + ":" + strconv.FormatInt(caseID, 10)
	if h.Ref != "" {
		k += ":" + h.Ref
	}
	return k
}

// Evaluate runs the active rules on a snapshot and returns the findings to
// create, not yet stored. A hit whose key another rule already produced
// for this snapshot is dropped (same group).
func Evaluate(rules []Rule, s Snapshot) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, r := range rules {
		if !r.Active || r.Check == nil {
			continue
		}
		for _, h := range r.Check(s) {
			key := r.FindingKey(s.Case.ID, h)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Finding{UnitID: s.Case.UnitID, Case: s.Case, RuleID: r.ID, DedupKey: key, Area: r.Area,
				Severity: r.Severity, DetailKey: r.DetailKey, Args: h.Args, DepartmentID: s.Case.DepartmentID,
				HandlerID: s.Case.HandlerID, DetectedOn: s.Today,
				State: State{Step: StepDetected, Status: StatusOpen}})
		}
	}
	return out
}

// RuleByID finds a rule in rules.
func RuleByID(rules []Rule, id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
