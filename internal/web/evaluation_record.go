package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// One evaluation record (评查记录): the case and who evaluates it, the
// findings against the template, the grade proposed with its reasons, the
// handler's response, the committee's decision, the follow-up and the
// history; and the form of each step the viewer may take now (the
// service's ActionsFor), each validated by the service on submission.

// RecordPage is one record.
type RecordPage struct {
	QualityBase
	R          evaluation.Record
	Row        RecordRow
	A          evaluation.Activity
	ReadsCase  bool
	ReadsAct   bool
	Template   string
	Scale      evaluation.Scale
	Findings   []QualityFinding
	Tally      evaluation.Tally
	Suggested  string
	Why        string // why the case was drawn
	Final      string
	Proposed   string
	Response   string
	History    []RecordStep
	FollowUps  []FollowUpView
	Today      string
	LateReply  bool
	Can        map[string]bool
	Evaluators []evaluation.Member
	Groups     []ItemGroup
	Grades     []GradeChoice
	Contest    []ContestField
	Kinds      []evaluation.FollowUpKind
	// Posted is the refused form's action and values; Errs its messages
	// by field.
	Posted url.Values
	Errs   map[string]string
}

// RecordStep is one entry of a record's history.
type RecordStep struct {
	ActedOn, Name, Status, Note, Actor string
	Kind                               string
	At                                 time.Time
}

// FollowUpView is a follow-up action on the final grade.
type FollowUpView struct {
	Kind, Note, On, By string
}

// GradeChoice is a grade of the record's scale.
type GradeChoice struct {
	Code, Label string
	Points      int
	Suggested   bool
	Fails       bool
	Checked     bool
}

// ContestField is a problem finding as the objection and the decision
// forms show it.
type ContestField struct {
	QualityFinding
	Error string
}

// E is the message of field when action's form was the one refused.
func (p *RecordPage) E(action, field string) string {
	if p.Posted.Get("action") != action {
		return ""
	}
	return p.Errs[field]
}

// V is the value typed into field of action's refused form.
func (p *RecordPage) V(action, field string) string {
	if p.Posted.Get("action") != action {
		return ""
	}
	return p.Posted.Get(field)
}

func (h *Handler) recordDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showRecord(w, r, u, http.StatusOK, nil, fieldErrors{}, nil)
}

// showRecord renders a record; posted, errs and byCode are a refused
// form's values and messages (byCode: by item, for the per-item controls).
func (h *Handler) showRecord(w http.ResponseWriter, r *http.Request, u org.User, status int, posted url.Values,
	errs fieldErrors, byCode map[string]string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.Evaluation.GetRecord(r.Context(), h.evalRequest(r, u), id)
	if err != nil {
		return err
	}
	rec, t := d.Record, d.Template
	sc := t.Scale
	if posted == nil {
		posted = url.Values{}
	}
	p := &RecordPage{R: rec, Row: h.recordRow(rec, sc), A: d.Activity, Scale: sc, Tally: evaluation.TallyOf(rec.Findings),
		Template: h.T.T("evaluation.report.template_version", t.Name, t.Version), Findings: h.qualityFindings(t,
			rec.Findings, rec.DecidedOn != ""), Today: h.Evaluation.Today(), Can: map[string]bool{},
		Evaluators: d.Activity.Evaluators(), Kinds: evaluation.FollowUpKinds(), Posted: posted, Errs: errs.byField,
		Final: gradeName(sc, rec.FinalGrade), Proposed: gradeName(sc, rec.ProposedGrade)}
	p.QualityBase = h.qualityBase(u, h.T.T("ui.evaluation.record_title", rec.Case.Name), "/quality/records")
	pr := u.Principal()
	p.ReadsCase = access.CanViewCase(pr, access.CaseRef{UnitID: rec.Case.UnitID, UnitPath: rec.Case.UnitPath,
		HandlerID: rec.Case.HandlerID, Sealed: rec.Case.Sealed})
	caps := evaluation.CapacitiesOf(pr, d.Activity, rec)
	p.ReadsAct = slices.ContainsFunc(caps, func(c evaluation.Capacity) bool { return c != evaluation.CapHandler }) ||
		(pr.HasAny(access.CaseManager, access.Chief, access.DeptHead) && u.UnitID == d.Activity.UnitID) ||
		(pr.Has(access.UpperSupervisor) && access.InUnitTree(d.Activity.UnitPath, u.UnitPath))
	p.Why = evaluation.SelectionText(h.T.T, rec.Selection, rec.SelectionReason)
	suggested, _ := sc.Suggest(p.Tally)
	p.Suggested = sc.Label(suggested)
	if rec.Response != "" {
		p.Response = h.T.T(rec.Response.Key())
	}
	p.LateReply = rec.Status == evaluation.StatusProposed && rec.ResponseDue < p.Today
	for _, a := range rec.Actions {
		actor := a.ActorName
		if a.ActorID == 0 {
			actor = h.T.T("evaluation.capacity.system")
		}
		p.History = append(p.History, RecordStep{ActedOn: a.ActedOn, Name: h.T.T(a.Kind.Key()), Status: h.T.T(a.Status.Key()),
			Note: a.NoteText(h.T.T), Actor: actor, Kind: string(a.Kind), At: a.At})
	}
	for _, f := range rec.FollowUps {
		p.FollowUps = append(p.FollowUps, FollowUpView{Kind: h.T.T(f.Kind.Key()), Note: f.Note, On: f.ActedOn, By: f.ActorName})
	}
	for _, k := range d.Actions {
		p.Can[string(k)] = true
	}
	// A refused form stays on the page with what was typed, even when the
	// step is no longer open (an objection after its period).
	if action := posted.Get("action"); !errs.empty() && slices.Contains(evaluation.PersonActions(),
		evaluation.ActionKind(action)) {
		p.Can[action] = true
	}
	if p.Can["score"] {
		choices := choicesOf(rec.Findings)
		if posted.Get("action") == "score" {
			choices = postedChoices(r)
		}
		p.Groups = h.itemGroups(t, choices, byCode)
	}
	if p.Can["propose"] || p.Can["decide"] {
		for _, g := range sc.Grades {
			p.Grades = append(p.Grades, GradeChoice{Code: g.Code, Label: g.Label, Points: g.Points, Fails: g.Fails,
				Suggested: g.Code == suggested})
		}
	}
	for _, f := range p.Findings {
		contestable := (p.Can["object"] && f.Problem) || (p.Can["decide"] && f.Objected)
		if contestable {
			p.Contest = append(p.Contest, ContestField{QualityFinding: f, Error: byCode[f.ItemCode]})
		}
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "evaluation_record", p)
}

// recordReport downloads the case's evaluation report (案件评查报告).
func (h *Handler) recordReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.Evaluation.CaseReport(r.Context(), h.evalRequest(r, u), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, rep.Document()); err != nil {
		return err
	}
	name := rep.Title + "（" + rep.CaseName + "）.docx"
	return sendFile(w, buf.Bytes(), docxType, name, "evaluation-record-"+strconv.FormatInt(id, 10)+".docx")
}

// Contested reports whether the refused objection form contested code.
func (p *RecordPage) Contested(code string) bool {
	return p.Posted.Get("action") == "object" && slices.Contains(p.Posted["contest"], code)
}

// Overturn is the refused decision form's choice for code ("1", "0" or "").
func (p *RecordPage) Overturn(code string) string { return p.V("decide", "overturn."+code) }

// GradesFor are the grades of action's form, the one typed into a
// refused form checked.
func (p *RecordPage) GradesFor(action string) []GradeChoice {
	chosen := p.V(action, "grade")
	out := make([]GradeChoice, len(p.Grades))
	for i, g := range p.Grades {
		g.Checked = g.Code == chosen
		out[i] = g
	}
	return out
}
