package api

import (
	"net/http"
	"sort"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// The problem list (问题清单) and the case cards over the API.

// dqListProblems answers with one page of problems in the caller's scope,
// newest first.
func (h *Handler) dqListProblems(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := dataquality.ProblemFilter{Status: q.Get("status"), Kind: q.Get("kind"), Severity: q.Get("severity"),
		RuleID: q.Get("rule"), Department: q.Get("department"), Month: q.Get("month"), After: q.Get("next")}
	v := &apperr.Validation{}
	if f.RuleID != "" {
		// An unknown rule would list nothing; say so instead, as the
		// monitoring list does.
		if _, ok := h.Data.Library().Rule(f.RuleID); !ok {
			v.AddLabeled("rule", "dataquality.rfield.id", "err.unknown_value")
		}
	}
	f.HandlerID = queryID(q, "handler_id", v)
	f.CardID = queryID(q, "card_id", v)
	for i := range v.Fields {
		if v.Fields[i].Field == "card_id" {
			v.Fields[i].Label = "field.dq_card_id"
		}
	}
	f.Limit = queryLimit(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	rows, next, err := h.Data.Problems(ctx, dqRequest(r, u), f)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	out := list[dqProblemJSON]{Items: n.problems(rows)}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) dqGetProblem(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeProblem(w, r, u, id)
}

// writeProblem answers with a problem, its rule as it is now and whether
// the caller may waive it.
func (h *Handler) writeProblem(w http.ResponseWriter, r *http.Request, u org.User, id int64) error {
	ctx := r.Context()
	p, err := h.Data.GetProblem(ctx, dqRequest(r, u), id)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	out := dqProblemDetailJSON{dqProblemJSON: n.problem(p),
		CanWaive: p.Status == dataquality.StatusOpen && access.CanWaiveProblem(u.Principal(), p.UnitID)}
	rule, ok := h.Data.Library().Rule(p.RuleID)
	if !ok {
		// A rule added on another instance that this one has not
		// reloaded yet: what the problem itself says of it.
		rule = dataquality.Rule{ID: p.RuleID, Version: p.RuleVersion, Title: p.Title, Kind: p.Kind,
			Severity: p.Severity, Item: p.Item}
	}
	out.Rule = n.rule(rule)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dqWaive waives an open problem with a reason and answers with it.
func (h *Handler) dqWaive(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req dqWaiveRequest
	if err := h.decodeLabelled(r, &req, fieldLabels(map[string]string{"version": "field.dq_version",
		"reason": "field.waive_reason"})); err != nil {
		return err
	}
	if req.Version <= 0 {
		v := &apperr.Validation{}
		v.AddLabeled("version", "field.dq_version", "err.required")
		return v
	}
	if err := h.Data.WaiveProblem(r.Context(), dqRequest(r, u), id, req.Version, req.Reason); err != nil {
		return err
	}
	return h.writeProblem(w, r, u, id)
}

// dqListCards answers with one page of cards in the caller's scope, newest
// first. The read is audited (cards carry suspects' names).
func (h *Handler) dqListCards(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := dataquality.CardFilter{Source: q.Get("source"), Category: q.Get("category"), Query: q.Get("q"),
		After: q.Get("next")}
	v := &apperr.Validation{}
	switch q.Get("problems") {
	case "", "false":
	case "true":
		f.Problems = true
	default:
		v.AddLabeled("problems", "field.dq_open_problems", "err.unknown_value")
	}
	f.Limit = queryLimit(q, v)
	if f.Source != "" && f.Source != casecard.SourceCase && f.Source != casecard.SourceImport {
		v.AddLabeled("source", "field.dq_source", "err.unknown_value")
	}
	ctx := r.Context()
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	if f.Category != "" && !n.vocab.Has(f.Category) {
		v.Add("category", "err.unknown_category")
	}
	if err := v.Err(); err != nil {
		return err
	}
	cards, next, err := h.Data.ListCards(ctx, dqRequest(r, u), f)
	if err != nil {
		return err
	}
	out := list[dqCardJSON]{Items: make([]dqCardJSON, 0, len(cards))}
	for _, c := range cards {
		out.Items = append(out.Items, n.card(c))
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) dqGetCard(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeCard(w, r, u, id)
}

func (h *Handler) writeCard(w http.ResponseWriter, r *http.Request, u org.User, id int64) error {
	ctx := r.Context()
	view, err := h.Data.GetCard(ctx, dqRequest(r, u), id)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n.cardDetail(view))
	return nil
}

// dqPatchCard corrects items of an imported card and scans it at once;
// the answer is the scan's result (problems opened and fixed) and the
// card after it. Items not sent keep their value, so a client sends only
// what it corrects; every item is then checked exactly as a file's row.
func (h *Handler) dqPatchCard(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req dqCardRequest
	if err := h.decodeLabelled(r, &req, fieldLabels(map[string]string{"version": "field.dq_version"})); err != nil {
		return err
	}
	ctx, dr := r.Context(), dqRequest(r, u)
	view, err := h.Data.GetCard(ctx, dr, id)
	if err != nil {
		return err
	}
	if !view.Editable {
		return apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	if req.Version <= 0 {
		v.AddLabeled("version", "field.dq_version", "err.required")
	}
	if len(req.Values) == 0 {
		v.AddLabeled("values", "field.values", "err.required")
	}
	keys := make([]string, 0, len(req.Values))
	for k := range req.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case columnByKey[k].Key == "":
			v.Add("values."+k, "err.json_unknown_field")
		case k == "stage_no" && req.Values[k] != view.Card.StageNo:
			// The stage number identifies the card: a different one is
			// another card, which only a file can bring.
			v.AddLabeled("values.stage_no", "field.casecard.stage_no", "err.dq_api_stage_no_fixed")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	values := make(map[string]string, len(casecard.Columns))
	for _, col := range casecard.Columns {
		values[col.Key] = view.Card.Value(col.Key)
	}
	for k, val := range req.Values {
		values[k] = val
	}
	applied, err := h.Data.SaveCard(ctx, dr, id, req.Version, values)
	if fv, ok := apperr.AsValidation(err); ok {
		// The card's items are the request's "values".
		for i := range fv.Fields {
			fv.Fields[i].Field = "values." + fv.Fields[i].Field
		}
		return fv
	}
	if err != nil {
		return err
	}
	view, err = h.Data.GetCard(ctx, dr, id)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dqCardSavedJSON{Opened: applied.Opened, Fixed: applied.Fixed, Card: n.cardDetail(view)})
	return nil
}
