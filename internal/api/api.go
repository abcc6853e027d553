// Package api is the JSON API (接口) under /api/v1 for integration and
// scripts: bearer tokens, JSON in and out, errors as
// {"error":{"code","message","fields"}}, list endpoints answering
// {"items":[…],"next":…}. It calls the same domain services as the pages.
package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
	"github.com/anguan/anguan/internal/stats"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the embedded OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPI }

// Deps are the services the API uses.
type Deps struct {
	Accounts   *account.Service
	Org        *org.Service
	Cases      *casefile.Service
	Board      *casefile.Board
	Monitor    *monitor.Service
	Evaluation *evaluation.Service
	Data       *dataquality.Service
	Stats      *stats.Service
	Aid        *aid.Service
	Assigner   *casefile.Assigner
	T          *i18n.Catalog
	Log        *slog.Logger
}

// Handler serves /api/v1.
type Handler struct {
	Deps
	mux *http.ServeMux
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, u org.User) error

// Route is one API route with the roles that may call it (nil: any
// authenticated caller).
type Route struct {
	Pattern string
	Public  bool
	Roles   []access.Role
	handle  handlerFunc
}

var caseReaders = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
	access.Chief, access.UpperSupervisor}

// Routes lists every API route; the OpenAPI test and the route × role
// matrix test walk it.
func (h *Handler) Routes() []Route {
	return []Route{
		{Pattern: "GET /api/v1/openapi.json", Public: true, handle: h.openapi},
		{Pattern: "POST /api/v1/tokens", Public: true, handle: h.createToken},
		{Pattern: "DELETE /api/v1/tokens/{id}", handle: h.revokeToken},
		{Pattern: "GET /api/v1/me", handle: h.me},
		{Pattern: "GET /api/v1/units", handle: h.units},
		{Pattern: "GET /api/v1/cases", Roles: caseReaders, handle: h.listCases},
		{Pattern: "POST /api/v1/cases", Roles: []access.Role{access.CaseManager}, handle: h.createCase},
		{Pattern: "GET /api/v1/cases/{id}", Roles: caseReaders, handle: h.getCase},
		{Pattern: "GET /api/v1/cases/{id}/clocks", Roles: caseReaders, handle: h.caseClocks},
		{Pattern: "GET /api/v1/board", Roles: caseReaders, handle: h.board},
		{Pattern: "POST /api/v1/cases/{id}/events", Roles: []access.Role{access.Prosecutor, access.Assistant}, handle: h.addEvent},
		{Pattern: "POST /api/v1/cases/{id}/assign", Roles: []access.Role{access.CaseManager, access.Chief}, handle: h.assign},
		{Pattern: "GET /api/v1/monitor/findings", Roles: caseReaders, handle: h.listFindings},
		{Pattern: "POST /api/v1/monitor/findings", Roles: []access.Role{access.CaseManager}, handle: h.createFinding},
		{Pattern: "GET /api/v1/monitor/findings/{id}", Roles: caseReaders, handle: h.getFinding},
		{Pattern: "POST /api/v1/monitor/findings/{id}/actions", Roles: monitorActors, handle: h.findingAction},
		{Pattern: "GET /api/v1/monitor/findings/{id}/notice.docx", Roles: caseReaders, handle: h.noticeDocx},
		{Pattern: "GET /api/v1/quality/templates", Roles: qualityUsers, handle: h.listTemplates},
		{Pattern: "POST /api/v1/quality/templates", Roles: templateManagers, handle: h.importTemplate},
		{Pattern: "GET /api/v1/quality/templates/{id}", Roles: qualityUsers, handle: h.getTemplate},
		{Pattern: "GET /api/v1/quality/self-checks", Roles: caseReaders, handle: h.listSelfChecks},
		{Pattern: "GET /api/v1/quality/self-checks/{id}", Roles: caseReaders, handle: h.getSelfCheck},
		{Pattern: "POST /api/v1/quality/self-checks/{id}/submit", Roles: handlerRoles, handle: h.submitSelfCheck},
		{Pattern: "POST /api/v1/quality/self-checks/{id}/verify", Roles: verifierRoles, handle: h.verifySelfCheck},
		{Pattern: "GET /api/v1/quality/activities", Roles: activityReaders, handle: h.listActivities},
		{Pattern: "POST /api/v1/quality/activities", Roles: []access.Role{access.CaseManager}, handle: h.createActivity},
		{Pattern: "GET /api/v1/quality/activities/{id}", Roles: activityReaders, handle: h.getActivity},
		{Pattern: "POST /api/v1/quality/activities/{id}/draw", Roles: []access.Role{access.CaseManager}, handle: h.drawCases},
		{Pattern: "POST /api/v1/quality/activities/{id}/assign", Roles: []access.Role{access.CaseManager}, handle: h.assignEvaluators},
		{Pattern: "POST /api/v1/quality/activities/{id}/start", Roles: []access.Role{access.CaseManager}, handle: h.startActivity},
		{Pattern: "POST /api/v1/quality/activities/{id}/close", Roles: leaderRoles, handle: h.closeActivity},
		{Pattern: "GET /api/v1/quality/activities/{id}/report.docx", Roles: activityReaders, handle: h.activityReport},
		{Pattern: "GET /api/v1/quality/records", Roles: qualityRoles, handle: h.listRecords},
		{Pattern: "GET /api/v1/quality/records/{id}", Roles: qualityRoles, handle: h.getRecord},
		{Pattern: "POST /api/v1/quality/records/{id}/assign", Roles: []access.Role{access.CaseManager}, handle: h.assignRecord},
		{Pattern: "POST /api/v1/quality/records/{id}/score", Roles: evaluatorRoles, handle: h.scoreRecord},
		{Pattern: "POST /api/v1/quality/records/{id}/propose", Roles: evaluatorRoles, handle: h.proposeGrade},
		{Pattern: "POST /api/v1/quality/records/{id}/respond", Roles: handlerRoles, handle: h.respond},
		{Pattern: "POST /api/v1/quality/records/{id}/decide", Roles: leaderRoles, handle: h.decide},
		{Pattern: "POST /api/v1/quality/records/{id}/followups", Roles: leaderRoles, handle: h.addFollowUp},
		{Pattern: "POST /api/v1/quality/records/{id}/close", Roles: leaderRoles, handle: h.closeRecord},
		{Pattern: "GET /api/v1/quality/records/{id}/report.docx", Roles: qualityRoles, handle: h.recordReport},
		{Pattern: "GET /api/v1/quality/statistics", Roles: statsReaders, handle: h.statistics},
		{Pattern: "GET /api/v1/data/rules", handle: h.dqListRules},
		{Pattern: "POST /api/v1/data/rules", Roles: dqRuleEditors, handle: h.dqCreateRule},
		{Pattern: "GET /api/v1/data/rules/{id}", handle: h.dqGetRule},
		{Pattern: "PUT /api/v1/data/rules/{id}", Roles: dqRuleEditors, handle: h.dqPutRule},
		{Pattern: "GET /api/v1/data/scans", Roles: dqReportReaders, handle: h.dqListScans},
		{Pattern: "POST /api/v1/data/scans", Roles: dqOffice, handle: h.dqScan},
		{Pattern: "GET /api/v1/data/problems", Roles: dqReaders, handle: h.dqListProblems},
		{Pattern: "GET /api/v1/data/problems/{id}", Roles: dqReaders, handle: h.dqGetProblem},
		{Pattern: "POST /api/v1/data/problems/{id}/waive", Roles: dqOffice, handle: h.dqWaive},
		{Pattern: "GET /api/v1/data/cards", Roles: dqReaders, handle: h.dqListCards},
		{Pattern: "GET /api/v1/data/cards/{id}", Roles: dqReaders, handle: h.dqGetCard},
		{Pattern: "PATCH /api/v1/data/cards/{id}", Roles: dqCorrectors, handle: h.dqPatchCard},
		{Pattern: "GET /api/v1/data/imports", Roles: dqOffice, handle: h.dqListImports},
		{Pattern: "POST /api/v1/data/imports", Roles: dqOffice, handle: h.dqPreviewImport},
		{Pattern: "POST /api/v1/data/imports/{id}/confirm", Roles: dqOffice, handle: h.dqConfirmImport},
		{Pattern: "GET /api/v1/data/reports/accuracy", Roles: dqReportReaders, handle: h.dqAccuracy},
		{Pattern: "GET /api/v1/data/reports/problems", Roles: dqReportReaders, handle: h.dqProblemCounts},
		{Pattern: "GET /api/v1/data/reports/trend", Roles: dqReportReaders, handle: h.dqTrend},
		{Pattern: "GET /api/v1/data/reports/notification", Roles: dqReportReaders, handle: h.dqNotification},
		{Pattern: "POST /api/v1/data/reports/notification", Roles: dqOffice, handle: h.dqPublishNotification},
		{Pattern: "GET /api/v1/data/reports/lookback", Roles: dqReportReaders, handle: h.dqLookBack},
		{Pattern: "GET /api/v1/stats/catalogue", handle: h.statsCatalogue},
		{Pattern: "GET /api/v1/stats/values", Roles: statsAggregateReaders, handle: h.statsValues},
		{Pattern: "GET /api/v1/stats/compare", Roles: statsAggregateReaders, handle: h.statsCompare},
		{Pattern: "GET /api/v1/stats/trend", Roles: statsAggregateReaders, handle: h.statsTrend},
		{Pattern: "GET /api/v1/stats/report", Roles: statsAggregateReaders, handle: h.statsReport},
		{Pattern: "GET /api/v1/stats/drilldown", Roles: statsDrillReaders, handle: h.statsDrillDown},
		{Pattern: "GET /api/v1/aid/pairings", handle: h.aidListPairings},
		{Pattern: "POST /api/v1/aid/pairings", Roles: []access.Role{access.SysAdmin}, handle: h.aidCreatePairing},
		{Pattern: "GET /api/v1/aid/pairings/{id}", handle: h.aidGetPairing},
		{Pattern: "PUT /api/v1/aid/pairings/{id}", Roles: []access.Role{access.SysAdmin}, handle: h.aidPutPairing},
		{Pattern: "GET /api/v1/aid/pairings/{id}/activities", handle: h.aidListActivities},
		{Pattern: "POST /api/v1/aid/pairings/{id}/activities", Roles: aidWriters, handle: h.aidCreateActivity},
		{Pattern: "POST /api/v1/aid/followups/{id}", Roles: aidWriters, handle: h.aidSetFollowUp},
		{Pattern: "GET /api/v1/aid/pairings/{id}/ledger", handle: h.aidGetLedger},
		{Pattern: "POST /api/v1/aid/pairings/{id}/ledger", Roles: aidWriters, handle: h.aidAddEntry},
		{Pattern: "GET /api/v1/aid/pairings/{id}/ledger/export.xlsx", handle: h.aidLedgerExport},
		{Pattern: "GET /api/v1/aid/pairings/{id}/ledger/{entry}/attachment", handle: h.aidAttachment},
		{Pattern: "GET /api/v1/aid/pairings/{id}/goal", handle: h.aidGetGoal},
		{Pattern: "GET /api/v1/aid/pairings/{id}/talent", handle: h.aidGetTalent},
		{Pattern: "GET /api/v1/aid/pairings/{id}/goals", handle: h.aidGetGoals},
		{Pattern: "PUT /api/v1/aid/pairings/{id}/goals", Roles: []access.Role{access.SysAdmin}, handle: h.aidPutGoals},
		{Pattern: "GET /api/v1/aid/pairings/{id}/progress", handle: h.aidGetProgress},
		{Pattern: "GET /api/v1/aid/pairings/{id}/report.docx", handle: h.aidReport},
		{Pattern: "POST /api/v1/aid/pairings/{id}/proposals", Roles: []access.Role{access.CaseManager}, handle: h.aidPropose},
		{Pattern: "POST /api/v1/aid/pairings/{id}/evidence", Roles: []access.Role{access.CaseManager}, handle: h.aidAddEvidence},
		{Pattern: "POST /api/v1/aid/pairings/{id}/mentorships", Roles: []access.Role{access.CaseManager}, handle: h.aidAddMentorship},
		{Pattern: "POST /api/v1/aid/pairings/{id}/rules", Roles: []access.Role{access.CaseManager}, handle: h.aidRunRules},
		{Pattern: "POST /api/v1/aid/proposals/{id}", handle: h.aidDecide},
		{Pattern: "GET /api/v1/aid/pairings/{id}/questions", handle: h.aidListQuestions},
		{Pattern: "POST /api/v1/aid/pairings/{id}/questions", handle: h.aidAsk},
		{Pattern: "GET /api/v1/aid/questions/{id}", handle: h.aidGetQuestion},
		{Pattern: "POST /api/v1/aid/questions/{id}/answers", handle: h.aidAddPost},
		{Pattern: "GET /api/v1/aid/pairings/{id}/training", handle: h.aidGetTraining},
		{Pattern: "POST /api/v1/aid/pairings/{id}/courses", Roles: aidWriters, handle: h.aidCreateCourse},
		{Pattern: "POST /api/v1/aid/pairings/{id}/quizzes", Roles: aidWriters, handle: h.aidCreateQuiz},
		{Pattern: "GET /api/v1/aid/courses/{id}", handle: h.aidGetCourse},
		{Pattern: "POST /api/v1/aid/courses/{id}/sessions", Roles: aidWriters, handle: h.aidAddSession},
		{Pattern: "POST /api/v1/aid/courses/{id}/materials", Roles: aidWriters, handle: h.aidAddMaterial},
		{Pattern: "GET /api/v1/aid/courses/{id}/materials/{material}", handle: h.aidGetMaterial},
		{Pattern: "POST /api/v1/aid/sessions/{id}/attendance", Roles: aidWriters, handle: h.aidMarkAttendance},
		{Pattern: "GET /api/v1/aid/quizzes/{id}", handle: h.aidGetQuiz},
		{Pattern: "POST /api/v1/aid/quizzes/{id}/attempts", handle: h.aidSubmit},
		{Pattern: "GET /api/v1/aid/attempts/{id}", handle: h.aidGetAttempt},
		{Pattern: "GET /api/v1/aid/pairings/{id}/shared", handle: h.aidGetShared},
		{Pattern: "GET /api/v1/aid/pairings/{id}/export.xlsx", handle: h.aidExport},
	}
}

// New registers the routes.
func New(d Deps) *Handler {
	h := &Handler{Deps: d, mux: http.NewServeMux()}
	for _, rt := range h.Routes() {
		h.mux.Handle(rt.Pattern, h.gate(rt))
	}
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		h.writeError(w, r, http.StatusNotFound, "not_found", h.T.T("err.not_found"), nil)
	})
	return h
}

// ServeHTTP dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) gate(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u org.User
		if !rt.Public {
			tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				h.fail(w, r, apperr.ErrUnauthenticated)
				return
			}
			var err error
			if u, err = h.Accounts.TokenUser(r.Context(), strings.TrimSpace(tok)); err != nil {
				h.fail(w, r, err)
				return
			}
			r = r.WithContext(reqctx.WithUser(r.Context(), u))
			if rt.Roles != nil && !slices.ContainsFunc(rt.Roles, u.Principal().Has) {
				h.fail(w, r, apperr.ErrForbidden)
				return
			}
		}
		if err := rt.handle(w, r, u); err != nil {
			h.fail(w, r, err)
		}
	})
}

// FieldProblem is one field's error in a response.
type FieldProblem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type errorBody struct {
	Error struct {
		Code      string                  `json:"code"`
		Message   string                  `json:"message"`
		RequestID string                  `json:"request_id"`
		Fields    map[string]FieldProblem `json:"fields,omitempty"`
	} `json:"error"`
}

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string, fields map[string]FieldProblem) {
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Fields = code, msg, fields
	b.Error.RequestID = reqctx.RequestID(r.Context())
	writeJSON(w, status, b)
}

// fail maps a domain error to a response, once, here.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if v, ok := apperr.AsValidation(err); ok {
		fields := map[string]FieldProblem{}
		for _, fe := range v.Fields {
			if _, seen := fields[fe.Field]; !seen {
				msg := h.T.Message(fe)
				if fe.Key == "err.json_unknown_field" {
					msg = h.unknownFieldMessage(fe.Field)
				}
				fields[fe.Field] = FieldProblem{Code: strings.TrimPrefix(fe.Key, "err."), Message: msg}
			}
		}
		h.writeError(w, r, http.StatusUnprocessableEntity, "validation", h.T.T("err.validation"), fields)
		return
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.writeError(w, r, http.StatusRequestEntityTooLarge, "body_too_large", h.T.T("err.body_too_large"), nil)
	case errors.Is(err, errMalformed):
		h.writeError(w, r, http.StatusBadRequest, "malformed_json", h.T.T("err.json_malformed"), nil)
	case errors.Is(err, apperr.ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", `Bearer realm="anguan"`)
		h.writeError(w, r, http.StatusUnauthorized, "unauthenticated", h.T.T("err.unauthenticated"), nil)
	case errors.Is(err, account.ErrBadCredentials):
		h.writeError(w, r, http.StatusUnauthorized, "bad_credentials", h.T.T("err.bad_credentials"), nil)
	case errors.Is(err, apperr.ErrNotFound):
		h.writeError(w, r, http.StatusNotFound, "not_found", h.T.T("err.not_found"), nil)
	case errors.Is(err, apperr.ErrForbidden):
		h.writeError(w, r, http.StatusForbidden, "forbidden", h.T.T("err.forbidden"), nil)
	case errors.Is(err, apperr.ErrConflict):
		h.writeError(w, r, http.StatusConflict, "conflict", h.T.T("err.conflict"), nil)
	default:
		id := reqctx.RequestID(r.Context())
		h.Log.ErrorContext(r.Context(), "api request failed", "request_id", id, "err", err.Error())
		h.writeError(w, r, http.StatusInternalServerError, "internal", h.T.T("err.internal", id), nil)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (h *Handler) openapi(w http.ResponseWriter, _ *http.Request, _ org.User) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}
