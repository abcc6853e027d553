package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// One evaluation activity: its plan, how its cases were drawn (the seed,
// rate, population and digest that let anyone repeat the draw), its
// records with the evaluator of each and why, and the steps the office
// takes: draw, assign, start, close.

// DrawView is the record of the activity's draws.
type DrawView struct {
	Random                  bool
	Seed                    int64
	Rate, Population, Drawn int
	Digest, DrawnOn         string
	ByRules                 bool
	Rules                   string
	Matched                 int
	RuleOn                  string
	Manual                  int
}

// RuleChoice is a selection rule of focused evaluation.
type RuleChoice struct {
	Code, Name string
	Checked    bool
}

// ActivityAction is what an action form of the activity sent, kept when
// it is refused.
type ActivityAction struct {
	Action, Rate, Seed, Case, Reason string
	Rules                            []string
}

// ActivityPage is one activity.
type ActivityPage struct {
	QualityBase
	A          evaluation.Activity
	Row        ActivityRow
	Categories string
	Scale      string
	Evaluators []evaluation.Member
	Committee  []evaluation.Member
	Draw       DrawView
	Records    []RecordRow
	Counts     []StatusCount
	// What the viewer may do now.
	CanDraw   bool // random once, by rules once, by hand any number of times (planning)
	CanRandom bool
	CanRules  bool
	CanAssign bool
	CanStart  bool
	CanClose  bool
	Rules     []RuleChoice
	Posted    ActivityAction
	Errors    map[string]string
}

// StatusCount is how many records stand at a status.
type StatusCount struct {
	Code, Name string
	Count      int
}

func (h *Handler) activityDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showActivity(w, r, u, http.StatusOK, ActivityAction{}, fieldErrors{})
}

func (h *Handler) showActivity(w http.ResponseWriter, r *http.Request, u org.User, status int, posted ActivityAction,
	errs fieldErrors) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	a, err := h.Evaluation.Activity(ctx, req, id)
	if err != nil {
		return err
	}
	names, err := h.categoryNames(ctx)
	if err != nil {
		return err
	}
	p := &ActivityPage{A: a, Row: h.activityRow(a), Categories: h.joinCategories(names, a.Categories),
		Evaluators: a.Evaluators(), Committee: a.Committee(), Posted: posted, Errors: errs.byField}
	p.QualityBase = h.qualityBase(u, a.Name, "/quality/activities")
	p.Scale = a.ScaleCode
	if sc, ok := evaluation.StandardScale(a.ScaleCode); ok {
		p.Scale = sc.Name
	}
	d := a.Draw
	p.Draw = DrawView{Random: d.DrawnOn != "", Seed: d.Seed, Rate: d.Rate, Population: d.Population, Drawn: d.Drawn,
		Digest: d.Digest, DrawnOn: d.DrawnOn, ByRules: d.RuleOn != "", Matched: d.Matched, RuleOn: d.RuleOn}
	var rules []string
	for _, c := range d.Rules {
		rules = append(rules, h.T.T(evaluation.RuleKey(c)))
	}
	p.Draw.Rules = strings.Join(rules, h.T.T("evaluation.list_sep"))
	for _, c := range evaluation.SelectionRules() {
		p.Rules = append(p.Rules, RuleChoice{Code: c, Name: h.T.T(evaluation.RuleKey(c)), Checked: slices.Contains(posted.Rules, c)})
	}
	recs, _, err := h.Evaluation.ListRecords(ctx, req, evaluation.RecordFilter{ActivityID: id, Limit: 200})
	if err != nil {
		return err
	}
	if p.Records, err = h.recordRows(ctx, req, recs); err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.Selection == evaluation.SelectManual {
			p.Draw.Manual++
		}
	}
	for _, st := range evaluation.Statuses() {
		if n := a.Records[st]; n > 0 {
			p.Counts = append(p.Counts, StatusCount{Code: string(st), Name: h.T.T(st.Key()), Count: n})
		}
	}
	organiser := access.CanOrganiseEvaluation(u.Principal(), a.UnitID)
	planning, running := a.Status == evaluation.ActivityPlanning, a.Status == evaluation.ActivityEvaluating
	p.CanDraw = organiser && planning
	p.CanRandom = p.CanDraw && d.DrawnOn == ""
	p.CanRules = p.CanDraw && d.RuleOn == ""
	p.CanAssign = organiser && (planning || running) && a.Records[evaluation.StatusPending] > 0
	p.CanStart = organiser && planning
	p.CanClose = running && (organiser || u.ID == a.LeaderID)
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "evaluation_activity", p)
}

// activityAction takes one step of the office on an activity.
func (h *Handler) activityAction(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	posted := ActivityAction{Action: r.PostFormValue("action"), Rate: trimmed(r, "rate"), Seed: trimmed(r, "seed"),
		Case: trimmed(r, "case"), Reason: r.PostFormValue("reason"), Rules: r.PostForm["rules"]}
	ctx, req := r.Context(), h.evalRequest(r, u)
	flash := ""
	switch posted.Action {
	case "draw_random":
		rate, seed, v := drawNumbers(posted)
		if err = v.Err(); err == nil {
			_, err = h.Evaluation.DrawRandom(ctx, req, id, rate, seed)
		}
		flash = "flash.evaluation_drawn"
	case "draw_rules":
		_, err = h.Evaluation.DrawByRules(ctx, req, id, posted.Rules)
		flash = "flash.evaluation_drawn"
	case "add_case":
		var caseID int64
		caseID, err = h.resolveCase(ctx, h.request(r, u), posted.Case)
		if err == nil {
			_, err = h.Evaluation.AddCase(ctx, req, id, caseID, posted.Reason)
			err = renameField(err, "case_id", "case")
		}
		flash = "flash.evaluation_case_added"
	case "assign":
		_, err = h.Evaluation.AutoAssign(ctx, req, id)
		flash = "flash.evaluation_assigned"
	case "start":
		err = h.Evaluation.StartActivity(ctx, req, id)
		flash = "flash.evaluation_started"
	case "close":
		err = h.Evaluation.CloseActivity(ctx, req, id)
		flash = "flash.evaluation_activity_closed"
	default:
		return h.showActivity(w, r, u, http.StatusUnprocessableEntity, posted, h.unknownAction())
	}
	if errs, ok := h.formErrors(err); ok {
		return h.showActivity(w, r, u, http.StatusUnprocessableEntity, posted, errs)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/quality/activities/"+strconv.FormatInt(id, 10)+"?flash="+flash)
}

// drawNumbers reads the rate and the seed of a random draw: numbers that
// do not parse are refused at their controls; an empty seed asks for a
// new random one.
func drawNumbers(posted ActivityAction) (rate int, seed int64, v *apperr.Validation) {
	v = &apperr.Validation{}
	rate, err := strconv.Atoi(posted.Rate)
	if err != nil {
		v.AddLabeled("rate", "evaluation.field.rate", "err.evaluation_rate", 1, 100)
	}
	if posted.Seed != "" {
		if seed, err = strconv.ParseInt(posted.Seed, 10, 64); err != nil {
			v.AddLabeled("seed", "evaluation.field.seed", "err.evaluation_integer")
		}
	}
	return rate, seed, v
}

// renameField moves a validation error on one field to another (the
// service's case_id is the form's case reference).
func renameField(err error, from, to string) error {
	if v, ok := apperr.AsValidation(err); ok {
		for i := range v.Fields {
			if v.Fields[i].Field == from {
				v.Fields[i].Field = to
			}
		}
	}
	return err
}

// activityReport downloads the activity's evaluation report (评查报告).
func (h *Handler) activityReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.Evaluation.ActivityReport(r.Context(), h.evalRequest(r, u), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, rep.Document()); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), docxType, rep.Title+".docx", "activity-"+strconv.FormatInt(id, 10)+".docx")
}
