package web

import (
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// recordAction takes one step of the procedure on a record. Every form
// posts here with its "action"; the service checks the capacity, the
// state and the content, and a refusal re-renders the record with what
// was typed and each message at its control (422).
func (h *Handler) recordAction(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	action := r.PostFormValue("action")
	ctx, req := r.Context(), h.evalRequest(r, u)
	var codes []string // the item of each input, for "findings[i]" and "items[i]"
	var list string    // the input list those messages name
	switch action {
	case "assign":
		err = h.Evaluation.Assign(ctx, req, id, formID(r.PostFormValue("evaluator_id")))
	case "score":
		var d evaluation.RecordDetail
		if d, err = h.Evaluation.GetRecord(ctx, req, id); err != nil {
			return err
		}
		var in []evaluation.FindingInput
		in, codes = postedChoices(r).inputs(d.Template)
		list = "findings"
		err = h.Evaluation.Score(ctx, req, id, in)
	case "propose":
		err = h.Evaluation.Propose(ctx, req, id, r.PostFormValue("grade"), r.PostFormValue("reasons"))
	case "agree":
		err = h.Evaluation.Agree(ctx, req, id, r.PostFormValue("note"))
	case "object":
		in := evaluation.ObjectionInput{Reason: r.PostFormValue("reason")}
		for _, code := range r.PostForm["contest"] {
			in.Items = append(in.Items, evaluation.ItemObjection{ItemCode: code, Reason: r.PostFormValue("objection." + code)})
			codes = append(codes, code)
		}
		list = "items"
		err = h.Evaluation.Object(ctx, req, id, in)
	case "decide":
		in := evaluation.DecisionInput{Grade: r.PostFormValue("grade"), Reason: r.PostFormValue("reason")}
		for _, code := range r.PostForm["contested"] {
			choice := r.PostFormValue("overturn." + code)
			if choice == "" {
				continue // the service names a contested finding left undecided
			}
			in.Items = append(in.Items, evaluation.ItemDecision{ItemCode: code, Overturn: choice == "1",
				Reason: r.PostFormValue("decision." + code)})
			codes = append(codes, code)
		}
		list = "items"
		err = h.Evaluation.Decide(ctx, req, id, in)
	case "followup":
		err = h.Evaluation.AddFollowUp(ctx, req, id, evaluation.FollowUpKind(r.PostFormValue("kind")), r.PostFormValue("note"))
	case "close":
		err = h.Evaluation.CloseRecord(ctx, req, id, r.PostFormValue("note"))
	default:
		return h.showRecord(w, r, u, http.StatusUnprocessableEntity, r.PostForm, h.unknownAction(), nil)
	}
	if errs, ok := h.formErrors(err); ok {
		byCode := byItem(errs, list, codes)
		return h.showRecord(w, r, u, http.StatusUnprocessableEntity, r.PostForm, errs, byCode)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/quality/records/"+strconv.FormatInt(id, 10)+"?flash=flash.evaluation_"+action)
}
