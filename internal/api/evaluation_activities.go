package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Evaluation activities (评查活动): plan, draw the cases (at random with a
// recorded seed, by rule, or by hand), assign evaluators (with recusal and
// the explanation), start, close, and the activity report.

func (h *Handler) listActivities(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	f := evaluation.ActivityFilter{Status: evaluation.ActivityStatus(q.Get("status")), Kind: evaluation.Kind(q.Get("kind")),
		After: q.Get("next"), Limit: queryLimit(q, v)}
	if err := v.Err(); err != nil {
		return err
	}
	acts, next, err := h.Evaluation.ListActivities(r.Context(), evalRequest(r, u), f)
	if err != nil {
		return err
	}
	out := list[evalActivityJSON]{Items: []evalActivityJSON{}}
	for _, a := range acts {
		out.Items = append(out.Items, toActivityJSON(a, h.T.T))
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) getActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeActivity(w, r, u, http.StatusOK, id)
}

func (h *Handler) writeActivity(w http.ResponseWriter, r *http.Request, u org.User, status int, id int64) error {
	a, err := h.Evaluation.Activity(r.Context(), evalRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toActivityJSON(a, h.T.T))
	return nil
}

// createActivity plans an activity of the caller's unit.
func (h *Handler) createActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	var req evalActivityRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	id, err := h.Evaluation.CreateActivity(r.Context(), evalRequest(r, u), evaluation.ActivityInput{Name: req.Name,
		Kind: evaluation.Kind(req.Kind), UnitIDs: req.UnitIDs, Categories: req.Categories, ClosedFrom: req.ClosedFrom,
		ClosedTo: req.ClosedTo, ScaleCode: req.ScaleCode, Templates: req.Templates, LeaderID: req.LeaderID,
		EvaluatorIDs: req.EvaluatorIDs, CommitteeIDs: req.CommitteeIDs, Deadline: req.Deadline,
		ResponseDays: req.ResponseDays, AllowAid: req.AllowAid, Note: req.Note})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/quality/activities/"+strconv.FormatInt(id, 10))
	return h.writeActivity(w, r, u, http.StatusCreated, id)
}

// drawMethods lists the draw methods and the fields each reads; the
// others must be left out, so a value sent for another method is not
// silently ignored.
var drawMethods = map[string][]string{"random": {"rate", "seed"}, "rules": {"rules"}, "manual": {"case_id", "reason"}}

// drawCases draws cases into a planning activity and answers with the
// activity (its draw record holds the seed, rate, population and digest).
func (h *Handler) drawCases(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req evalDrawRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v := &apperr.Validation{}
	fields, known := drawMethods[req.Method]
	switch {
	case req.Method == "":
		v.AddLabeled("method", "evaluation.field.method", "err.required")
	case !known:
		v.AddLabeled("method", "evaluation.field.method", "err.unknown_value")
	default:
		sent := map[string]bool{"rate": req.Rate != 0, "seed": req.Seed != 0, "rules": req.Rules != nil,
			"case_id": req.CaseID != 0, "reason": req.Reason != ""}
		for _, f := range []string{"rate", "seed", "rules", "case_id", "reason"} {
			if sent[f] && !contains(fields, f) {
				v.AddLabeled(f, "evaluation.field."+f, "err.evaluation_field_unused", req.Method)
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	ctx, er := r.Context(), evalRequest(r, u)
	switch req.Method {
	case "random":
		_, err = h.Evaluation.DrawRandom(ctx, er, id, req.Rate, req.Seed)
	case "rules":
		_, err = h.Evaluation.DrawByRules(ctx, er, id, req.Rules)
	case "manual":
		if req.CaseID <= 0 {
			v.AddLabeled("case_id", "evaluation.field.case_id", "err.required")
			return v
		}
		_, err = h.Evaluation.AddCase(ctx, er, id, req.CaseID, req.Reason)
	}
	if err != nil {
		return err
	}
	return h.writeActivity(w, r, u, http.StatusOK, id)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// assignEvaluators gives every unassigned record an evaluator and answers
// with the activity's records, each with the explanation of its choice.
func (h *Handler) assignEvaluators(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := decodeEmpty(r); err != nil {
		return err
	}
	ctx, req := r.Context(), evalRequest(r, u)
	n, err := h.Evaluation.AutoAssign(ctx, req, id)
	if err != nil {
		return err
	}
	recs, _, err := h.Evaluation.ListRecords(ctx, req, evaluation.RecordFilter{ActivityID: id, Limit: 200})
	if err != nil {
		return err
	}
	rows, err := h.recordList(ctx, req, recs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, evalAssignedJSON{Assigned: n, Records: rows})
	return nil
}

func (h *Handler) startActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := decodeEmpty(r); err != nil {
		return err
	}
	if err := h.Evaluation.StartActivity(r.Context(), evalRequest(r, u), id); err != nil {
		return err
	}
	return h.writeActivity(w, r, u, http.StatusOK, id)
}

func (h *Handler) closeActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := decodeEmpty(r); err != nil {
		return err
	}
	if err := h.Evaluation.CloseActivity(r.Context(), evalRequest(r, u), id); err != nil {
		return err
	}
	return h.writeActivity(w, r, u, http.StatusOK, id)
}

// decodeEmpty accepts an empty body or an empty object: the steps that
// take no input refuse any field sent to them.
func decodeEmpty(r *http.Request) error {
	var none struct{}
	if r.ContentLength == 0 {
		return nil
	}
	return decode(r, &none)
}

// activityReport answers with the activity's evaluation report (评查报告)
// as a Word document; the read is audited.
func (h *Handler) activityReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.Evaluation.ActivityReport(r.Context(), evalRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendDocx(w, rep.Document(), rep.Title+".docx", fmt.Sprintf("activity-%d.docx", id))
}

// sendDocx answers with a Word document, written to a buffer first so a
// failure answers an error rather than half a file.
func sendDocx(w http.ResponseWriter, d docx.Document, name, ascii string) error {
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", docxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii,
		strings.ReplaceAll(url.QueryEscape(name), "+", "%20")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}
