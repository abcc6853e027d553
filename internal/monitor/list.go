package monitor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// ListStore reads findings within an access scope; the scope is applied in
// SQL, so a list never holds what the caller may not see.
type ListStore interface {
	// ListMonitorFindings returns one page, newest first, and the cursor
	// of the next page ("" at the end).
	ListMonitorFindings(ctx context.Context, s access.FindingScope, f Filter) ([]Finding, string, error)
	// MonitorFindingDetail loads a finding with its actions and appends
	// the audit record of the read in the same transaction.
	MonitorFindingDetail(ctx context.Context, id int64, a audit.Record) (Detail, error)
	// CountMonitorFindings counts open findings by status, and notices
	// past their reply date, as of today.
	CountMonitorFindings(ctx context.Context, s access.FindingScope, today string) (Counts, error)
}

// Filter narrows a finding list. Zero values mean "any".
type Filter struct {
	Status       Status
	OpenOnly     bool // any status but closed
	Area         Area
	Severity     Severity
	DepartmentID int64 // responsible department when found
	HandlerID    int64 // responsible handler when found
	RuleID       string
	From, To     string // detected on, YYYY-MM-DD, inclusive
	Limit        int
	After        string // opaque cursor from a previous page
}

func (f *Filter) normalise(rules []Rule) error {
	v := &apperr.Validation{}
	if f.Status != "" && !f.Status.Valid() {
		v.AddLabeled("status", "monitor.field.status", "err.unknown_value")
	}
	if f.Area != "" && !f.Area.Valid() {
		v.AddLabeled("area", "monitor.field.area", "err.unknown_value")
	}
	if f.Severity != "" && !f.Severity.Valid() {
		v.AddLabeled("severity", "monitor.field.severity", "err.unknown_value")
	}
	if _, ok := RuleByID(rules, f.RuleID); f.RuleID != "" && !ok {
		v.AddLabeled("rule", "monitor.field.rule", "err.unknown_value")
	}
	checkDates(v, map[string]string{"from": f.From, "to": f.To})
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return v.Err()
}

// checkDates checks optional ISO dates by field.
func checkDates(v *apperr.Validation, dates map[string]string) {
	for field, d := range dates {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			v.AddLabeled(field, "monitor.field."+field, "err.date_invalid")
		}
	}
}

func (f Filter) auditDetail(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows=%d", n)
	for _, kv := range [][2]string{{"status", string(f.Status)}, {"area", string(f.Area)},
		{"severity", string(f.Severity)}, {"rule", f.RuleID}, {"from", f.From}, {"to", f.To}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
		}
	}
	if f.OpenOnly {
		b.WriteString(" open")
	}
	if f.DepartmentID != 0 {
		fmt.Fprintf(&b, " department=%d", f.DepartmentID)
	}
	if f.HandlerID != 0 {
		fmt.Fprintf(&b, " handler=%d", f.HandlerID)
	}
	if f.After != "" {
		b.WriteString(" page>1")
	}
	return b.String()
}

// List returns one page of the findings the principal may see. A list shows
// case names, so the read is audited like the case list.
func (s *Service) List(ctx context.Context, r Request, f Filter) ([]Finding, string, error) {
	sc := access.MonitorScope(r.P)
	if sc.None() {
		return nil, "", nil
	}
	if err := f.normalise(s.rules); err != nil {
		return nil, "", err
	}
	out, next, err := s.store.ListMonitorFindings(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	if err := s.store.AppendAudit(ctx, r.record("monitor.finding_list", 0, f.auditDetail(len(out)))); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// Get returns a finding with its history; the read is audited (it shows
// the case name and what went wrong in it).
func (s *Service) Get(ctx context.Context, r Request, id int64) (Detail, error) {
	if _, err := s.load(ctx, r.P, id); err != nil {
		return Detail{}, err
	}
	return s.store.MonitorFindingDetail(ctx, id, r.record("monitor.finding_view", id, ""))
}

// Counts is the number of open findings per status for a home page, and of
// notices whose reply is overdue.
type Counts struct {
	Open          int // found, not yet answered by a notice
	AwaitingReply int
	ReplyOverdue  int // awaiting a reply past its due date (included in AwaitingReply)
	Replied       int
}

// Total is the number of open findings.
func (c Counts) Total() int { return c.Open + c.AwaitingReply + c.Replied }

// Counts counts the open findings the principal may see. Counts name no
// case, so they are not audited (as case counts are not).
func (s *Service) Counts(ctx context.Context, r Request) (Counts, error) {
	sc := access.MonitorScope(r.P)
	if sc.None() {
		return Counts{}, nil
	}
	return s.store.CountMonitorFindings(ctx, sc, s.Today())
}
