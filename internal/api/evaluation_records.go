package api

import (
	"fmt"
	"net/http"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Evaluation records (评查记录): one case in one activity through the
// procedure — assign, score, propose, the handler's response, the
// committee's decision, follow-up, close — and the case report. Each step
// answers with the record as it stands after it; the service checks the
// capacity, the state and the content, and writes nothing when any is
// wrong.

func (h *Handler) listRecords(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	f := evaluation.RecordFilter{Status: evaluation.Status(q.Get("status")), ActivityID: queryID(q, "activity_id", v),
		EvaluatorID: queryID(q, "evaluator_id", v), HandlerID: queryID(q, "handler_id", v), After: q.Get("next"),
		Limit: queryLimit(q, v)}
	if err := v.Err(); err != nil {
		return err
	}
	ctx, req := r.Context(), evalRequest(r, u)
	recs, next, err := h.Evaluation.ListRecords(ctx, req, f)
	if err != nil {
		return err
	}
	rows, err := h.recordList(ctx, req, recs)
	if err != nil {
		return err
	}
	out := list[evalRecordJSON]{Items: rows}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) getRecord(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeRecord(w, r, u, id)
}

func (h *Handler) writeRecord(w http.ResponseWriter, r *http.Request, u org.User, id int64) error {
	d, err := h.Evaluation.GetRecord(r.Context(), evalRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRecordDetailJSON(d, h.T.T))
	return nil
}

// recordStep decodes a step's body into req, runs it, and answers with
// the record.
func recordStep[T any](h *Handler, w http.ResponseWriter, r *http.Request, u org.User,
	run func(req evaluation.Request, id int64, body T) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var body T
	if err := decode(r, &body); err != nil {
		return err
	}
	if err := run(evalRequest(r, u), id, body); err != nil {
		return err
	}
	return h.writeRecord(w, r, u, id)
}

func findingInputs(in []evalFindingInput) []evaluation.FindingInput {
	out := make([]evaluation.FindingInput, len(in))
	for i, f := range in {
		out[i] = evaluation.FindingInput{ItemCode: f.ItemCode, Option: f.Option, Note: f.Note}
	}
	return out
}

func (h *Handler) assignRecord(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalAssignRequest) error {
		return h.Evaluation.Assign(r.Context(), req, id, b.EvaluatorID)
	})
}

func (h *Handler) scoreRecord(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalScoreRequest) error {
		return h.Evaluation.Score(r.Context(), req, id, findingInputs(b.Findings))
	})
}

func (h *Handler) proposeGrade(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalProposeRequest) error {
		return h.Evaluation.Propose(r.Context(), req, id, b.Grade, b.Reasons)
	})
}

// respond records the handler's agreement or objection.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalRespondRequest) error {
		switch b.Response {
		case string(evaluation.RespAgree):
			if len(b.Items) > 0 {
				return fieldUnused("items", b.Response)
			}
			return h.Evaluation.Agree(r.Context(), req, id, b.Reason)
		case string(evaluation.RespObject):
			in := evaluation.ObjectionInput{Reason: b.Reason}
			for _, it := range b.Items {
				in.Items = append(in.Items, evaluation.ItemObjection{ItemCode: it.ItemCode, Reason: it.Reason})
			}
			return h.Evaluation.Object(r.Context(), req, id, in)
		case "":
			return labelled("response", "err.required")
		}
		return labelled("response", "err.unknown_value")
	})
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalDecideRequest) error {
		in := evaluation.DecisionInput{Grade: b.Grade, Reason: b.Reason}
		for _, it := range b.Items {
			in.Items = append(in.Items, evaluation.ItemDecision{ItemCode: it.ItemCode, Overturn: it.Overturn, Reason: it.Reason})
		}
		return h.Evaluation.Decide(r.Context(), req, id, in)
	})
}

func (h *Handler) addFollowUp(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalFollowUpRequest) error {
		return h.Evaluation.AddFollowUp(r.Context(), req, id, evaluation.FollowUpKind(b.Kind), b.Note)
	})
}

func (h *Handler) closeRecord(w http.ResponseWriter, r *http.Request, u org.User) error {
	return recordStep(h, w, r, u, func(req evaluation.Request, id int64, b evalNoteRequest) error {
		return h.Evaluation.CloseRecord(r.Context(), req, id, b.Note)
	})
}

// labelled is a validation error on one field named by the evaluation
// catalogue.
func labelled(field, key string, args ...any) error {
	v := &apperr.Validation{}
	v.AddLabeled(field, "evaluation.field."+field, key, args...)
	return v
}

// fieldUnused refuses a field the request's choice does not read.
func fieldUnused(field, choice string) error {
	return labelled(field, "err.evaluation_field_unused", choice)
}

// recordReport answers with the case's evaluation report as a Word
// document; the read is audited.
func (h *Handler) recordReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.Evaluation.CaseReport(r.Context(), evalRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendDocx(w, rep.Document(), rep.Title+"（"+rep.CaseName+"）.docx", fmt.Sprintf("evaluation-record-%d.docx", id))
}
