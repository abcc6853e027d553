package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// Business-data supervision (业务数据监管) over the API, under /api/v1/data:
// the rule library, scans, the problem list, case cards, imports of card
// files and the reports. This file holds the roles of the route table, the
// rules and the scans.

var (
	// dqReaders read problems and cards (access.DataScope): the office,
	// department heads and the chief their unit, handlers their own
	// cards, upper supervisors their subtree.
	dqReaders = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead, access.Chief,
		access.UpperSupervisor}
	// dqOffice runs the supervision of its unit: imports, scans, waivers,
	// the notification (access.CanImportCards).
	dqOffice = []access.Role{access.CaseManager}
	// dqCorrectors may correct an imported card: the office, or the
	// card's handler (the service decides per card).
	dqCorrectors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant}
	// dqReportReaders read the reports and the scan log
	// (access.CanReadDataReports).
	dqReportReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
	// dqRuleEditors keep the rule library, which every unit shares.
	dqRuleEditors = []access.Role{access.SysAdmin}
)

func dqRequest(r *http.Request, u org.User) dataquality.Request {
	return dataquality.Request(request(r, u))
}

// errCode is the stable code of a message key, as validation fields carry
// it ("err.dq_month" → "dq_month").
func errCode(key string) string { return strings.TrimPrefix(key, "err.") }

// dqNamesFor gathers what the shapes need to name codes: the category
// vocabulary is data, read once per request.
func (h *Handler) dqNamesFor(ctx context.Context) (dqNames, error) {
	vocab, err := h.Data.Vocabulary(ctx)
	if err != nil {
		return dqNames{}, err
	}
	return dqNames{t: h.T.T, vocab: vocab, today: h.Data.Today()}, nil
}

// decodeLabelled is decode with the request's own field labels: the
// shared "field.*" labels of some names mean other things here
// ("field.kind" is a deadline's kind, "field.reason" a designation's), so
// a type error on a rule's kind must not be reported under them. label
// maps a field path to its label key ("" for the shared one).
func (h *Handler) decodeLabelled(r *http.Request, v any, label func(field string) string) error {
	err := decode(r, v)
	if val, ok := apperr.AsValidation(err); ok {
		for i, f := range val.Fields {
			if l := label(f.Field); f.Label == "" && l != "" && h.T.Has(l) {
				val.Fields[i].Label = l
			}
		}
	}
	return err
}

// ruleLabel labels a rule request's fields with the rule form's names.
func ruleLabel(field string) string {
	base, _, _ := strings.Cut(field, "[")
	base, _, _ = strings.Cut(base, ".")
	return "dataquality.rfield." + base
}

// fieldLabels labels the named top-level fields.
func fieldLabels(labels map[string]string) func(string) string {
	return func(field string) string { return labels[field] }
}

// dqRuleID reads the rule id of the path. Rule ids are codes (DQ-001,
// SH-12), not numbers; one that cannot be a rule id is simply not found.
func dqRuleID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 32 {
		return "", apperr.ErrNotFound
	}
	return id, nil
}

// listRules answers with every rule of the library in use, disabled ones
// included, in id order.
func (h *Handler) dqListRules(w http.ResponseWriter, r *http.Request, u org.User) error {
	rules, err := h.Data.Rules(dqRequest(r, u))
	if err != nil {
		return err
	}
	n := dqNames{t: h.T.T}
	out := list[dqRuleJSON]{Items: make([]dqRuleJSON, 0, len(rules))}
	for _, rule := range rules {
		out.Items = append(out.Items, n.rule(rule))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) dqGetRule(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := dqRuleID(r)
	if err != nil {
		return err
	}
	return h.writeRule(w, r, u, http.StatusOK, id)
}

// writeRule answers with a rule as it is in use and its stored versions.
func (h *Handler) writeRule(w http.ResponseWriter, r *http.Request, u org.User, status int, id string) error {
	req := dqRequest(r, u)
	if _, err := h.Data.Rules(req); err != nil {
		return err // the role check, before anything is looked up
	}
	rule, ok := h.Data.Library().Rule(id)
	if !ok {
		return apperr.ErrNotFound
	}
	history, err := h.Data.RuleHistory(r.Context(), req, id)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	n := dqNames{t: h.T.T}
	out := dqRuleDetailJSON{dqRuleJSON: n.rule(rule), History: make([]dqRuleJSON, 0, len(history))}
	for _, v := range history {
		out.History = append(out.History, n.rule(v))
	}
	writeJSON(w, status, out)
	return nil
}

// dqPutRule stores the next version of an existing rule. The version sent
// must be the one in use: otherwise someone saved in between (409).
func (h *Handler) dqPutRule(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := dqRuleID(r)
	if err != nil {
		return err
	}
	var req dqRuleUpdateRequest
	if err := h.decodeLabelled(r, &req, ruleLabel); err != nil {
		return err
	}
	cur, ok := h.Data.Library().Rule(id)
	if !ok {
		return apperr.ErrNotFound
	}
	if req.Version <= 0 {
		return labelledRule("version", "err.required")
	}
	if req.Version != cur.Version {
		return apperr.ErrConflict
	}
	return h.saveRule(w, r, u, http.StatusOK, req.rule(id))
}

// dqCreateRule adds a rule. An id already in the library is refused on the
// id: adding is not a way to overwrite (that is PUT, with its version).
func (h *Handler) dqCreateRule(w http.ResponseWriter, r *http.Request, u org.User) error {
	var req dqRuleCreateRequest
	if err := h.decodeLabelled(r, &req, ruleLabel); err != nil {
		return err
	}
	if _, exists := h.Data.Library().Rule(req.ID); exists && req.ID != "" {
		return labelledRule("id", "err.duplicate")
	}
	return h.saveRule(w, r, u, http.StatusCreated, req.rule(req.ID))
}

func (h *Handler) saveRule(w http.ResponseWriter, r *http.Request, u org.User, status int, rule dataquality.Rule) error {
	saved, err := h.Data.SaveRule(r.Context(), dqRequest(r, u), rule)
	if v, ok := apperr.AsValidation(err); ok {
		// Every problem of a rule is named with the rule form's own
		// labels: the shared "field.*" labels of the same names mean
		// other things ("field.kind" is a deadline's kind).
		for i, f := range v.Fields {
			if f.Label == "" {
				base, _, _ := strings.Cut(f.Field, "[")
				v.Fields[i].Label = "dataquality.rfield." + base
			}
		}
		return v
	}
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/data/rules/"+url.PathEscape(saved.ID))
	}
	return h.writeRule(w, r, u, status, saved.ID)
}

func labelledRule(field, key string, args ...any) error {
	v := &apperr.Validation{}
	v.AddLabeled(field, "dataquality.rfield."+field, key, args...)
	return v
}

// dqScan scans the cards of the caller's unit now and answers with the
// scan's record.
func (h *Handler) dqScan(w http.ResponseWriter, r *http.Request, u org.User) error {
	if err := decodeEmpty(r); err != nil {
		return err
	}
	rec, err := h.Data.ScanUnitNow(r.Context(), dqRequest(r, u), u.UnitID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dqNames{t: h.T.T}.scan(rec))
	return nil
}

// dqListScans answers with the latest scans of the caller's unit and the
// nightly scans, newest first.
func (h *Handler) dqListScans(w http.ResponseWriter, r *http.Request, u org.User) error {
	recs, err := h.Data.LastScans(r.Context(), dqRequest(r, u), u.UnitID)
	if err != nil {
		return err
	}
	n := dqNames{t: h.T.T}
	out := list[dqScanJSON]{Items: make([]dqScanJSON, 0, len(recs))}
	for _, rec := range recs {
		out.Items = append(out.Items, n.scan(rec))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
