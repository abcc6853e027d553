package api

import (
	"time"

	"github.com/anguan/anguan/internal/monitor"
)

// JSON shapes of process monitoring (流程监控). Codes (area, severity,
// step, status, action kind) are the domain's stable codes; the *_name
// fields carry their Chinese names for display.

// findingJSON is a finding as lists show it, with its notice when one was
// issued.
type findingJSON struct {
	ID           int64  `json:"id"`
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	CaseID       int64  `json:"case_id"`
	CaseName     string `json:"case_name"`
	StageNo      string `json:"stage_no"`
	RuleID       string `json:"rule_id"` // "" for a finding recorded by hand
	Manual       bool   `json:"manual"`
	Title        string `json:"title"`
	Detail       string `json:"detail"`
	Area         string `json:"area"`
	AreaName     string `json:"area_name"`
	Severity     string `json:"severity"`
	SeverityName string `json:"severity_name"`
	Step         string `json:"step"`
	StepName     string `json:"step_name"`
	Status       string `json:"status"`
	StatusName   string `json:"status_name"`
	Reported     bool   `json:"reported"`
	Escalated    bool   `json:"escalated"`
	Transferred  bool   `json:"transferred"`
	// Responsible when the problem was found.
	DepartmentID   *int64      `json:"department_id"`
	DepartmentName string      `json:"department_name"`
	HandlerID      *int64      `json:"handler_id"`
	HandlerName    string      `json:"handler_name"`
	DetectedOn     string      `json:"detected_on"`
	ClosedOn       *string     `json:"closed_on"`
	Notice         *noticeJSON `json:"notice"`
	CreatedAt      time.Time   `json:"created_at"`
}

// noticeJSON is a 案件流程监控通知书 and its reply.
type noticeJSON struct {
	Number          string  `json:"number"`
	DepartmentID    int64   `json:"department_id"`
	DepartmentName  string  `json:"department_name"`
	RequestedAction string  `json:"requested_action"`
	IssuedOn        string  `json:"issued_on"`
	ReplyDue        string  `json:"reply_due"`
	ReplyBasis      string  `json:"reply_basis"`
	Overdue         bool    `json:"overdue"`
	RepliedOn       *string `json:"replied_on"`
	ReplyText       string  `json:"reply_text"`
	ReplyDays       *int    `json:"reply_days"`
}

// ruleJSON is the rule that found a problem.
type ruleJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Basis string `json:"basis"`
	Fix   string `json:"fix"`
}

// actionJSON is one step of a finding's history.
type actionJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Step      string    `json:"step"`
	Status    string    `json:"status"`
	Note      string    `json:"note"`
	ActorID   *int64    `json:"actor_id"` // null: the system
	ActorName string    `json:"actor_name"`
	ActedOn   string    `json:"acted_on"`
	At        time.Time `json:"at"`
}

// findingDetailJSON is a finding with its rule, its history and the
// actions the caller may take now (the "action" values to post).
type findingDetailJSON struct {
	findingJSON
	Rule    *ruleJSON    `json:"rule"`
	Actions []actionJSON `json:"actions"`
	Allowed []string     `json:"allowed_actions"`
}

// manualFindingRequest records a finding by hand.
type manualFindingRequest struct {
	CaseID      int64  `json:"case_id"`
	Area        string `json:"area"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
}

// findingActionRequest is one action of the graded response. Each action
// reads its own text field: note (prompt, report_chief, transfer, close),
// requested_action (notice) or reply (reply); close also needs rectified.
type findingActionRequest struct {
	Action          string `json:"action"`
	Note            string `json:"note"`
	RequestedAction string `json:"requested_action"`
	Reply           string `json:"reply"`
	Rectified       *bool  `json:"rectified"`
}

func optionalText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toFindingJSON(f monitor.Finding, rules []monitor.Rule, today string, t func(string, ...any) string) findingJSON {
	out := findingJSON{ID: f.ID, UnitID: f.UnitID, UnitName: f.Case.UnitName, CaseID: f.Case.ID, CaseName: f.Case.Name,
		StageNo: f.Case.StageNo, RuleID: f.RuleID, Detail: f.Detail(t), Area: string(f.Area), AreaName: t(f.Area.Key()),
		Severity: string(f.Severity), SeverityName: t(f.Severity.Key()), Step: string(f.Step), StepName: t(f.Step.Key()),
		Status: string(f.Status), StatusName: t(f.Status.Key()), Reported: f.Reported, Escalated: f.Escalated,
		Transferred: f.Transferred, DepartmentID: optionalID(f.DepartmentID), DepartmentName: f.DepartmentName,
		HandlerID: optionalID(f.HandlerID), HandlerName: f.HandlerName, DetectedOn: f.DetectedOn,
		ClosedOn: optionalText(f.ClosedOn), CreatedAt: f.CreatedAt.UTC()}
	if r, ok := monitor.RuleByID(rules, f.RuleID); ok {
		out.Title = t(r.TitleKey)
	} else {
		out.Title, out.Manual = out.AreaName, true
	}
	if n := f.Notice; n != nil {
		out.Notice = &noticeJSON{Number: n.Number, DepartmentID: n.DepartmentID, DepartmentName: n.DepartmentName,
			RequestedAction: n.RequestedAction, IssuedOn: n.IssuedOn, ReplyDue: n.ReplyDue, ReplyBasis: n.ReplyBasis,
			Overdue: n.RepliedOn == "" && n.ReplyDue < today, RepliedOn: optionalText(n.RepliedOn), ReplyText: n.ReplyText}
		if n.RepliedOn != "" {
			days := n.ReplyDays
			out.Notice.ReplyDays = &days
		}
	}
	return out
}

func toFindingDetailJSON(d monitor.Detail, allowed []monitor.ActionKind, rules []monitor.Rule, today string,
	t func(string, ...any) string) findingDetailJSON {
	out := findingDetailJSON{findingJSON: toFindingJSON(d.Finding, rules, today, t), Actions: []actionJSON{},
		Allowed: []string{}}
	if r, ok := monitor.RuleByID(rules, d.Finding.RuleID); ok {
		out.Rule = &ruleJSON{ID: r.ID, Title: t(r.TitleKey), Basis: r.Basis, Fix: t(r.FixKey)}
	}
	for _, a := range d.Actions {
		name := a.ActorName
		if a.ActorID == 0 {
			name = t("monitor.actor.system")
		}
		out.Actions = append(out.Actions, actionJSON{ID: a.ID, Kind: string(a.Kind), Name: t(a.Kind.Key()),
			Step: string(a.Step), Status: string(a.Status), Note: a.Note, ActorID: optionalID(a.ActorID), ActorName: name,
			ActedOn: a.ActedOn, At: a.At.UTC()})
	}
	// The request's action names: both ways of closing are "close".
	seen := map[string]bool{}
	for _, k := range allowed {
		name := requestAction(k)
		if !seen[name] {
			seen[name] = true
			out.Allowed = append(out.Allowed, name)
		}
	}
	return out
}

// requestAction is the "action" of a request that takes k.
func requestAction(k monitor.ActionKind) string {
	if k == monitor.ActCloseRectified || k == monitor.ActCloseNotRectified {
		return "close"
	}
	return string(k)
}
