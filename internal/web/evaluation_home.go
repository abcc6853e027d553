package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// QualityHomePage is the case-quality landing page (案件质量): what waits
// for the user in each capacity — the self-checks they owe, those to
// verify, the cases they evaluate, the grades awaiting their response,
// the objections awaiting the committee — and the activities.
type QualityHomePage struct {
	QualityBase
	Handles       bool // files self-checks and answers proposed grades
	Verifies      bool
	Evaluates     bool
	Decides       bool
	SeesActs      bool
	MyChecks      []CheckRow
	ToVerify      []CheckRow
	MyTasks       []RecordRow
	MyResponses   []RecordRow
	ToDecide      []RecordRow
	Activities    []ActivityRow
	CanOrganise   bool
	CanStats      bool
	MyRecordURL   string
	TemplatesOnly bool // the system administrator keeps templates only
}

// homeLimit bounds each list of the landing page; each links to the full
// list.
const homeLimit = 10

func (h *Handler) qualityHome(w http.ResponseWriter, r *http.Request, u org.User) error {
	p := &QualityHomePage{QualityBase: h.qualityBase(u, h.T.T("ui.nav.quality"), "/quality")}
	pr := u.Principal()
	p.TemplatesOnly = !pr.HasAny(qualityRoles...)
	if p.TemplatesOnly {
		return h.render(w, r, http.StatusOK, "evaluation_home", p)
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	today := h.Evaluation.Today()
	p.Handles = pr.HasAny(access.Prosecutor, access.Assistant, access.DeptHead)
	p.Verifies = pr.HasAny(access.DeptHead, access.Chief)
	p.Evaluates = access.CanEvaluate(pr, true)
	// Anyone who may lead may sit on a committee; only those who usually
	// do (the office, the chief, heads) see the list when it is empty.
	p.Decides = access.CanLeadEvaluation(pr)
	decidesOften := pr.HasAny(access.CaseManager, access.Chief, access.DeptHead)
	p.SeesActs = pr.HasAny(activityReaders...)
	p.CanOrganise = access.CanOrganiseEvaluation(pr, u.UnitID)
	p.CanStats = access.CanReadEvaluationStats(pr)
	if p.Handles {
		p.MyRecordURL = "/quality/people/" + strconv.FormatInt(u.ID, 10)
		checks, _, err := h.Evaluation.ListSelfChecks(ctx, req, evaluation.CheckFilter{HandlerID: u.ID,
			Status: evaluation.CheckPending, Limit: homeLimit})
		if err != nil {
			return err
		}
		for _, c := range checks {
			p.MyChecks = append(p.MyChecks, h.checkRow(c, today))
		}
		if p.MyResponses, err = h.homeRecords(ctx, req, evaluation.RecordFilter{HandlerID: u.ID,
			Status: evaluation.StatusProposed}, 0); err != nil {
			return err
		}
	}
	if p.Verifies {
		checks, _, err := h.Evaluation.ListSelfChecks(ctx, req, evaluation.CheckFilter{Status: evaluation.CheckSubmitted,
			Limit: homeLimit})
		if err != nil {
			return err
		}
		for _, c := range checks {
			if canVerify(pr, c) {
				p.ToVerify = append(p.ToVerify, h.checkRow(c, today))
			}
		}
	}
	var err error
	if p.Evaluates {
		if p.MyTasks, err = h.homeRecords(ctx, req, evaluation.RecordFilter{EvaluatorID: u.ID,
			Status: evaluation.StatusScoring}, 0); err != nil {
			return err
		}
	}
	if p.Decides {
		// Neither the evaluator nor the handler decides an objection.
		if p.ToDecide, err = h.homeRecords(ctx, req, evaluation.RecordFilter{Status: evaluation.StatusObjected}, u.ID); err != nil {
			return err
		}
		p.Decides = decidesOften || len(p.ToDecide) > 0
	}
	if p.SeesActs {
		acts, _, err := h.Evaluation.ListActivities(ctx, req, evaluation.ActivityFilter{Limit: homeLimit})
		if err != nil {
			return err
		}
		for _, a := range acts {
			p.Activities = append(p.Activities, h.activityRow(a))
		}
	}
	return h.render(w, r, http.StatusOK, "evaluation_home", p)
}

// homeRecords lists records for the landing page, leaving out those in
// which except is the evaluator or the handler (0: none left out).
func (h *Handler) homeRecords(ctx context.Context, req evaluation.Request, f evaluation.RecordFilter, except int64) ([]RecordRow, error) {
	f.Limit = homeLimit
	recs, _, err := h.Evaluation.ListRecords(ctx, req, f)
	if err != nil {
		return nil, err
	}
	var keep []evaluation.Record
	for _, rec := range recs {
		if except == 0 || (rec.EvaluatorID != except && rec.HandlerID != except) {
			keep = append(keep, rec)
		}
	}
	return h.recordRows(ctx, req, keep)
}

// N shows a count of a landing list: a full list may hold more.
func (QualityHomePage) N(n int) string {
	if n >= homeLimit {
		return strconv.Itoa(homeLimit) + "+"
	}
	return strconv.Itoa(n)
}

// homeLimitStart bounds the case-quality lists of the start page.
const homeLimitStart = 5

// HomeQuality is the start page's case-quality panel: the self-checks the
// user owes (a handler) and the cases given to them to evaluate (an
// evaluator, an aid partner among them); not shown to those who do
// neither.
type HomeQuality struct {
	Shown, Handles, Evaluates bool
	Checks                    []CheckRow
	Tasks                     []RecordRow
}

func (h *Handler) homeQuality(ctx context.Context, r *http.Request, u org.User) (HomeQuality, error) {
	pr := u.Principal()
	q := HomeQuality{Handles: pr.HasAny(access.Prosecutor, access.Assistant, access.DeptHead),
		Evaluates: access.CanEvaluate(pr, true)}
	q.Shown = q.Handles || q.Evaluates
	req := h.evalRequest(r, u)
	if q.Handles {
		cs, _, err := h.Evaluation.ListSelfChecks(ctx, req, evaluation.CheckFilter{HandlerID: u.ID,
			Status: evaluation.CheckPending, Limit: homeLimitStart})
		if err != nil {
			return q, err
		}
		today := h.Evaluation.Today()
		for _, c := range cs {
			q.Checks = append(q.Checks, h.checkRow(c, today))
		}
	}
	if q.Evaluates {
		recs, _, err := h.Evaluation.ListRecords(ctx, req, evaluation.RecordFilter{EvaluatorID: u.ID,
			Status: evaluation.StatusScoring, Limit: homeLimitStart})
		if err != nil {
			return q, err
		}
		if q.Tasks, err = h.recordRows(ctx, req, recs); err != nil {
			return q, err
		}
	}
	return q, nil
}
