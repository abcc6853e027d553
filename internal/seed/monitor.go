package seed

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// MonitorDeps are what the monitoring part of the demo needs.
type MonitorDeps struct {
	Org     *org.Service
	Monitor *monitor.Service
}

// MonitorResult counts what the monitoring demo did.
type MonitorResult struct {
	Findings int // created by the scan
	Prompted int
	Noticed  int
	Replied  int
	Closed   int
	Reported int
}

// Monitoring runs the first monitoring scan over the demo cases and walks
// a few findings of 喀什市人民检察院 through the graded response (R665), so
// the finding pages show each step: an oral prompt; a notice answered by
// the handler and closed as rectified; a notice waiting for its reply; a
// notice reported to the chief. Escalation of an unanswered notice needs
// days to pass; the scan job does it when they have.
func Monitoring(ctx context.Context, d MonitorDeps) (MonitorResult, error) {
	var res MonitorResult
	run, err := d.Monitor.Scan(ctx, d.Monitor.Today())
	if err != nil {
		return res, fmt.Errorf("seed: monitoring scan: %w", err)
	}
	res.Findings = run.Created
	users, err := d.Org.AllUsers(ctx)
	if err != nil {
		return res, err
	}
	byID := map[int64]org.User{}
	var cm org.User
	for _, u := range users {
		byID[u.ID] = u
		if u.Username == "kashi_cm" {
			cm = u
		}
	}
	if cm.ID == 0 {
		return res, fmt.Errorf("seed: no kashi_cm account for the monitoring demo")
	}
	as := func(u org.User) monitor.Request {
		return monitor.Request{P: u.Principal(), Client: "seed", RequestID: "seed-monitor"}
	}
	found, _, err := d.Monitor.List(ctx, as(cm), monitor.Filter{OpenOnly: true, Limit: 200})
	if err != nil {
		return res, err
	}
	// Only findings whose case has a handler in the unit can be answered.
	var answerable []monitor.Finding
	for _, f := range found {
		if h, ok := byID[f.Case.HandlerID]; ok && f.Case.DepartmentID != 0 && h.Principal().Has(access.Prosecutor) {
			answerable = append(answerable, f)
		}
	}
	step := func(i int, fn func(f monitor.Finding) error) error {
		if i >= len(answerable) {
			return nil
		}
		return fn(answerable[i])
	}
	steps := []func(f monitor.Finding) error{
		func(f monitor.Finding) error {
			res.Prompted++
			return d.Monitor.Prompt(ctx, as(cm), f.ID, "已电话提示承办检察官及时补正")
		},
		func(f monitor.Finding) error {
			if _, err := d.Monitor.IssueNotice(ctx, as(cm), f.ID, "请核查原因，及时纠正并书面回复"); err != nil {
				return err
			}
			if err := d.Monitor.Reply(ctx, as(byID[f.Case.HandlerID]), f.ID, "已核查，系工作疏忽，现已补正并登记，今后严格按期办理"); err != nil {
				return err
			}
			res.Noticed, res.Replied, res.Closed = res.Noticed+1, res.Replied+1, res.Closed+1
			return d.Monitor.Close(ctx, as(cm), f.ID, true, "经核查已整改到位")
		},
		func(f monitor.Finding) error {
			res.Noticed++
			_, err := d.Monitor.IssueNotice(ctx, as(cm), f.ID, "请立即审查，依法作出处理决定并书面回复")
			return err
		},
		func(f monitor.Finding) error {
			if _, err := d.Monitor.IssueNotice(ctx, as(cm), f.ID, "请说明超期原因并立即纠正"); err != nil {
				return err
			}
			res.Noticed, res.Reported = res.Noticed+1, res.Reported+1
			return d.Monitor.ReportChief(ctx, as(cm), f.ID, "情节严重，已书面报告检察长")
		},
	}
	for i, fn := range steps {
		if err := step(i, fn); err != nil {
			return res, fmt.Errorf("seed: monitoring demo step %d: %w", i+1, err)
		}
	}
	return res, nil
}
