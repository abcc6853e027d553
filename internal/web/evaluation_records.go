package web

import (
	"net/http"

	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// RecordListPage lists the evaluation records the user may see: their
// evaluation tasks, their own cases evaluated, their department's or
// unit's, the records of activities their unit organises.
type RecordListPage struct {
	QualityBase
	Filter   evaluation.RecordFilter
	Mine     string // "evaluator", "handler" or ""
	Statuses []evaluation.Status
	Rows     []RecordRow
	NextURL  string
}

func (h *Handler) recordList(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	p := &RecordListPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.records_title"), "/quality/records"),
		Statuses: evaluation.Statuses(), Mine: q.Get("mine"),
		Filter: evaluation.RecordFilter{Status: evaluation.Status(q.Get("status")),
			ActivityID: formID(q.Get("activity_id")), After: q.Get("after"), Limit: 50}}
	switch p.Mine {
	case "evaluator":
		p.Filter.EvaluatorID = u.ID
	case "handler":
		p.Filter.HandlerID = u.ID
	default:
		p.Mine = ""
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	recs, next, err := h.Evaluation.ListRecords(ctx, req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "evaluation_records", p)
	}
	if err != nil {
		return err
	}
	if p.Rows, err = h.recordRows(ctx, req, recs); err != nil {
		return err
	}
	p.NextURL = nextURL("/quality/records", q, next)
	return h.render(w, r, http.StatusOK, "evaluation_records", p)
}
