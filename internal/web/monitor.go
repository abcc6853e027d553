package web

import (
	"net/http"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// The process-monitoring pages (流程监控): the finding list and detail, the
// actions of the graded response, the patrol log, the monthly ledger and
// the quarterly analysis. This file holds what they share.

// monitorNav is the navigation entry every monitoring page marks.
const monitorNav = "/monitor/findings"

// monitorReaders may open findings; the service narrows to their scope
// (prosecutors see the findings on their own cases).
var monitorReaders = caseReaders

// monitorActors may post actions: the office acts, the handler or the
// department head replies; the service decides per finding.
var monitorActors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead}

// reportReaders may read the office's reports (access.CanReadMonitorReports).
var reportReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}

func (h *Handler) monitorRequest(r *http.Request, u org.User) monitor.Request {
	return monitor.Request(h.request(r, u))
}

// MonitorBase is what every monitoring page carries: the sub-navigation
// between the finding list and the reports.
type MonitorBase struct {
	Base
	Tabs []NavItem
}

// monitorBase starts a monitoring page: its title, the main navigation
// entry marked whatever the path, and the tabs the user may open (the
// reports are the office's and its leaders', not the prosecutors').
func (h *Handler) monitorBase(u org.User, title, current string) MonitorBase {
	b := MonitorBase{Base: Base{Title: title, NavPath: monitorNav}}
	tabs := [][2]string{{"/monitor/findings", "ui.monitor.tab.findings"}}
	if access.CanReadMonitorReports(u.Principal()) {
		tabs = append(tabs, [2]string{"/monitor/patrol", "ui.monitor.tab.patrol"},
			[2]string{"/monitor/ledger", "ui.monitor.tab.ledger"}, [2]string{"/monitor/quarterly", "ui.monitor.tab.quarterly"})
	}
	for _, tb := range tabs {
		b.Tabs = append(b.Tabs, NavItem{Href: tb[0], Label: h.T.T(tb[1]), Active: tb[0] == current})
	}
	return b
}

// FindingView is a finding as the pages and exports show it, every code
// rendered in the reader's language, so templates hold no vocabulary
// logic and a table on a page and its sheet in a workbook read the same.
type FindingView struct {
	ID       int64
	CaseID   int64
	CaseName string
	StageNo  string
	UnitName string
	// Title names the problem: the rule's title, or the monitored area of
	// a finding recorded by hand (Manual).
	Title  string
	Detail string
	Manual bool
	RuleID string
	Area   string
	// Severity and SeverityCode (for the tag's colour).
	Severity     string
	SeverityCode string
	Step         string
	Status       string
	StatusCode   string
	// Department and Handler are those responsible when it was found.
	Department string
	Handler    string
	DetectedOn string
	ClosedOn   string
	// ReplyDue is the notice's reply date while a reply is awaited;
	// Overdue when it has passed.
	ReplyDue string
	Overdue  bool
}

// Problem names the problem in one line for a report: the rule's title,
// or what the case manager wrote for a finding recorded by hand (its area
// has a column of its own).
func (v FindingView) Problem() string {
	if v.Manual {
		return v.Detail
	}
	return v.Title
}

// findingView renders f as of today with the rule table rules.
func (h *Handler) findingView(f monitor.Finding, rules []monitor.Rule, today string) FindingView {
	v := FindingView{ID: f.ID, CaseID: f.Case.ID, CaseName: f.Case.Name, StageNo: f.Case.StageNo,
		UnitName: f.Case.UnitName, Detail: f.Detail(h.T.T), RuleID: f.RuleID, Area: h.T.T(f.Area.Key()),
		Severity: h.T.T(f.Severity.Key()), SeverityCode: string(f.Severity), Step: h.T.T(f.Step.Key()),
		Status: h.T.T(f.Status.Key()), StatusCode: string(f.Status), Department: f.DepartmentName,
		Handler: f.HandlerName, DetectedOn: f.DetectedOn, ClosedOn: f.ClosedOn}
	if rule, ok := monitor.RuleByID(rules, f.RuleID); ok {
		v.Title = h.T.T(rule.TitleKey)
	} else {
		v.Title, v.Manual = v.Area, true
	}
	if f.Notice != nil && f.Status == monitor.StatusAwaitingReply {
		v.ReplyDue, v.Overdue = f.Notice.ReplyDue, f.Notice.ReplyDue < today
	}
	return v
}

// orNone shows a missing name (a case not yet assigned) as such.
func (h *Handler) orNone(name, key string) string {
	if strings.TrimSpace(name) == "" {
		return h.T.T(key)
	}
	return name
}
