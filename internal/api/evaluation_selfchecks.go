package api

import (
	"net/http"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Self-checks (案件质量检查) and their verification (核查): every closed case
// is checked by its handler within 10 working days and verified by the
// department head.

func (h *Handler) listSelfChecks(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	f := evaluation.CheckFilter{Status: evaluation.CheckStatus(q.Get("status")), ClosedFrom: q.Get("closed_from"),
		ClosedTo: q.Get("closed_to"), HandlerID: queryID(q, "handler_id", v), After: q.Get("next"), Limit: queryLimit(q, v)}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		v.Add("overdue", "err.unknown_value")
	}
	if err := v.Err(); err != nil {
		return err
	}
	checks, next, err := h.Evaluation.ListSelfChecks(r.Context(), evalRequest(r, u), f)
	if err != nil {
		return err
	}
	today := h.Evaluation.Today()
	out := list[evalSelfCheckJSON]{Items: []evalSelfCheckJSON{}}
	for _, c := range checks {
		out.Items = append(out.Items, toSelfCheckJSON(c, today, h.T.T))
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) getSelfCheck(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeSelfCheck(w, r, u, id)
}

func (h *Handler) writeSelfCheck(w http.ResponseWriter, r *http.Request, u org.User, id int64) error {
	c, err := h.Evaluation.GetSelfCheck(r.Context(), evalRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSelfCheckJSON(c, h.Evaluation.Today(), h.T.T))
	return nil
}

func (h *Handler) submitSelfCheck(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b evalSubmitRequest
	if err := decode(r, &b); err != nil {
		return err
	}
	err = h.Evaluation.SubmitSelfCheck(r.Context(), evalRequest(r, u), id,
		evaluation.SelfCheckInput{Findings: findingInputs(b.Findings), Summary: b.Summary})
	if err != nil {
		return err
	}
	return h.writeSelfCheck(w, r, u, id)
}

func (h *Handler) verifySelfCheck(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b evalVerifyRequest
	if err := decode(r, &b); err != nil {
		return err
	}
	in := evaluation.VerifyInput{Added: findingInputs(b.Added), Note: b.Note}
	for _, vi := range b.Verdicts {
		in.Verdicts = append(in.Verdicts, evaluation.VerdictInput{ItemCode: vi.ItemCode, Agree: vi.Agree, Reason: vi.Reason})
	}
	if err := h.Evaluation.VerifySelfCheck(r.Context(), evalRequest(r, u), id, in); err != nil {
		return err
	}
	return h.writeSelfCheck(w, r, u, id)
}
