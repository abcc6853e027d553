package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// FindingPage is one finding: the case, the rule with its legal basis and
// fix hint, the graded step, the notice and its reply, the whole history,
// and the forms of the actions the viewer may take now.
type FindingPage struct {
	MonitorBase
	F FindingView
	// Case handling as it stands now (the notice goes to the current
	// department), and who found the problem.
	CaseHandler    string
	CaseDepartment string
	FoundBy        string
	Rule           *RuleView
	Responses      string   // the graded response R665 expects for the severity
	Flags          []string // reported to the chief, escalated, transferred
	Notice         *NoticeView
	Actions        []ActionView
	Forms          []ActionForm
}

// RuleView is the rule that found the problem.
type RuleView struct {
	Title, Basis, Fix string
}

// NoticeView is the monitoring notice and its reply.
type NoticeView struct {
	Number, IssuedOn, Department, Requested, ReplyDue, ReplyBasis string
	Overdue                                                       bool
	RepliedOn, ReplyText, RepliedBy                               string
	ReplyDays                                                     int
}

// ActionView is one entry of the history.
type ActionView struct {
	ActedOn, Kind, Name, Step, Status, Note, Actor string
	At                                             time.Time
}

// ActionForm is the form of one action of the graded response. All post
// to the same address with their "action"; the text goes in the field the
// service validates (note, requested_action or reply), so its message
// lands at this form's control.
type ActionForm struct {
	Action      string
	Title, Hint string
	Field       string
	Label       string
	Required    bool
	Placeholder string
	Value       string
	Error       string
	// Options: closing chooses rectified or not.
	Options     []ActionOption
	OptionError string
	Button      string
	Primary     bool
}

// ActionOption is one choice of the closing form.
type ActionOption struct {
	Value, Label string
	Checked      bool
}

// postedAction is what an action form sent, kept when it is refused.
type postedAction struct {
	Action, Text, Rectified string
}

func (h *Handler) findingDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showFinding(w, r, u, http.StatusOK, postedAction{}, fieldErrors{})
}

// showFinding renders a finding; posted and errs are a refused action's.
func (h *Handler) showFinding(w http.ResponseWriter, r *http.Request, u org.User, status int, posted postedAction,
	errs fieldErrors) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.Monitor.Get(r.Context(), h.monitorRequest(r, u), id)
	if err != nil {
		return err
	}
	f := d.Finding
	today := h.Monitor.Today()
	rules := h.Monitor.Rules()
	p := &FindingPage{F: h.findingView(f, rules, today),
		CaseHandler:    h.orNone(f.Case.HandlerName, "ui.monitor.unassigned"),
		CaseDepartment: h.orNone(f.Case.DepartmentName, "ui.monitor.unassigned")}
	p.MonitorBase = h.monitorBase(u, p.F.Title, "/monitor/findings")
	if rule, ok := monitor.RuleByID(rules, f.RuleID); ok {
		p.Rule = &RuleView{Title: h.T.T(rule.TitleKey), Basis: rule.Basis, Fix: h.T.T(rule.FixKey)}
	}
	var expected []string
	for _, k := range f.Severity.Responses() {
		expected = append(expected, h.T.T(k.Key()))
	}
	p.Responses = strings.Join(expected, h.T.T("monitor.list_sep"))
	for _, fl := range []struct {
		on  bool
		key string
	}{{f.Reported, "monitor.step.reported"}, {f.Escalated, "monitor.step.escalated"},
		{f.Transferred, "monitor.step.transferred"}} {
		if fl.on {
			p.Flags = append(p.Flags, h.T.T(fl.key))
		}
	}
	replier := ""
	for _, a := range d.Actions {
		actor := a.ActorName
		if a.ActorID == 0 {
			actor = h.T.T("monitor.actor.system")
		}
		switch a.Kind {
		case monitor.ActDetect:
			p.FoundBy = h.T.T("ui.monitor.found_by_scan")
			if f.CreatedBy != 0 {
				p.FoundBy = h.T.T("ui.monitor.found_by_hand", actor)
			}
		case monitor.ActReply:
			replier = actor
		}
		p.Actions = append(p.Actions, ActionView{ActedOn: a.ActedOn, Kind: string(a.Kind), Name: h.T.T(a.Kind.Key()),
			Step: h.T.T(a.Step.Key()), Status: h.T.T(a.Status.Key()), Note: a.Note, Actor: actor, At: a.At})
	}
	if n := f.Notice; n != nil {
		p.Notice = &NoticeView{Number: n.Number, IssuedOn: n.IssuedOn, Department: n.DepartmentName,
			Requested: n.RequestedAction, ReplyDue: n.ReplyDue, ReplyBasis: n.ReplyBasis,
			Overdue: n.RepliedOn == "" && n.ReplyDue < today, RepliedOn: n.RepliedOn, ReplyText: n.ReplyText,
			RepliedBy: replier, ReplyDays: n.ReplyDays}
		if p.Notice.Requested == "" {
			p.Notice.Requested = h.T.T("monitor.doc.default_request")
		}
	}
	p.Forms = h.actionForms(h.Monitor.ActionsFor(u.Principal(), f), posted, errs)
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "monitor_finding", p)
}

// actionForms lays out the forms of the actions allowed, in the order of
// the graded response, with a refused form's text and messages.
func (h *Handler) actionForms(allowed []monitor.ActionKind, posted postedAction, errs fieldErrors) []ActionForm {
	var out []ActionForm
	add := func(action, field string, required bool, primary bool) *ActionForm {
		key := "ui.monitor.form." + action
		f := ActionForm{Action: action, Title: h.T.T(key + ".title"), Hint: h.T.T(key + ".hint"), Field: field,
			Label: h.T.T("monitor.field." + field), Required: required, Button: h.T.T(key + ".button"), Primary: primary}
		if posted.Action == action {
			f.Value, f.Error = posted.Text, errs.byField[field]
		}
		out = append(out, f)
		return &out[len(out)-1]
	}
	closing := map[monitor.ActionKind]bool{}
	for _, k := range allowed {
		switch k {
		case monitor.ActPrompt:
			add("prompt", "note", false, false)
		case monitor.ActNotice:
			add("notice", "requested_action", false, true).Placeholder = h.T.T("monitor.doc.default_request")
		case monitor.ActReportChief:
			add("report_chief", "note", false, false)
		case monitor.ActTransfer:
			add("transfer", "note", true, false)
		case monitor.ActReply:
			add("reply", "reply", true, true)
		case monitor.ActCloseRectified, monitor.ActCloseNotRectified:
			closing[k] = true
		}
	}
	if len(closing) > 0 {
		f := add("close", "note", true, true)
		f.Label = h.T.T("ui.monitor.form.close.note")
		for _, o := range []struct {
			k     monitor.ActionKind
			value string
		}{{monitor.ActCloseRectified, "1"}, {monitor.ActCloseNotRectified, "0"}} {
			if closing[o.k] {
				f.Options = append(f.Options, ActionOption{Value: o.value, Label: h.T.T("ui.monitor.form.close." + o.value),
					Checked: posted.Action == "close" && posted.Rectified == o.value})
			}
		}
		if posted.Action == "close" {
			f.OptionError = errs.byField["rectified"]
		} else if len(f.Options) == 1 {
			// One way to close (a reply still owed): nothing to choose.
			f.Options[0].Checked = true
		}
	}
	return out
}

// findingAction takes one action of the graded response on a finding.
func (h *Handler) findingAction(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	posted := postedAction{Action: r.PostFormValue("action"), Rectified: r.PostFormValue("rectified")}
	ctx, req := r.Context(), h.monitorRequest(r, u)
	switch posted.Action {
	case "prompt":
		posted.Text = r.PostFormValue("note")
		err = h.Monitor.Prompt(ctx, req, id, posted.Text)
	case "notice":
		posted.Text = r.PostFormValue("requested_action")
		_, err = h.Monitor.IssueNotice(ctx, req, id, posted.Text)
	case "report_chief":
		posted.Text = r.PostFormValue("note")
		err = h.Monitor.ReportChief(ctx, req, id, posted.Text)
	case "transfer":
		posted.Text = r.PostFormValue("note")
		err = h.Monitor.TransferDiscipline(ctx, req, id, posted.Text)
	case "reply":
		posted.Text = r.PostFormValue("reply")
		err = h.Monitor.Reply(ctx, req, id, posted.Text)
	case "close":
		posted.Text = r.PostFormValue("note")
		switch posted.Rectified {
		case "1", "0":
			err = h.Monitor.Close(ctx, req, id, posted.Rectified == "1", posted.Text)
		default:
			v := &apperr.Validation{}
			v.AddLabeled("rectified", "ui.monitor.form.close.result", "err.required")
			err = v
		}
	default:
		v := &apperr.Validation{}
		v.AddLabeled("action", "monitor.field.action", "err.unknown_value")
		err = v
	}
	if v, ok := apperr.AsValidation(err); ok {
		// The closing form calls its note what it is: the check made.
		var labels map[string]string
		if posted.Action == "close" {
			labels = map[string]string{"note": "ui.monitor.form.close.note"}
		}
		return h.showFinding(w, r, u, http.StatusUnprocessableEntity, posted, h.messages(v, labels))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/monitor/findings/"+strconv.FormatInt(id, 10)+"?flash=flash.monitor_"+posted.Action)
}
