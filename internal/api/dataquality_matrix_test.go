package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/anguan/anguan/internal/access"
)

// The route × role matrix rows of business-data supervision.

var (
	dqMatrixReaders   = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead, access.Chief, access.UpperSupervisor}
	dqMatrixOffice    = []access.Role{access.CaseManager}
	dqMatrixReporters = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
	dqMatrixFixers    = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant}
)

// dqSeq numbers the matrix's cards and rules: each request builds its own.
var dqSeq atomic.Int64

func dqNext() string { return strconv.FormatInt(100+dqSeq.Add(1), 10) }

// dqHandlerName is the card handler for a caller: prosecutors and
// assistants read only the cards they handle, so theirs carries their
// name; the others read a_prosecutor's.
func (e *env) dqHandlerName(t *testing.T, username string) string {
	if u, ok := e.f.Users[username]; ok && u.Principal().HasAny(access.Prosecutor, access.Assistant) {
		return u.Name
	}
	return e.f.User(t, "a_prosecutor").Name
}

// dqMatrixCard imports a card of 甲县院 decided before it was received
// (one open problem, DQ-001) handled for username, and returns the card's
// and the problem's ids.
func (e *env) dqMatrixCard(t *testing.T, username string) (cardID, problemID int64) {
	t.Helper()
	e.installRules(t)
	c := cleanCard(dqNext())
	c.Handler = e.dqHandlerName(t, username)
	c.ReceivedOn, c.DecidedOn = "2026-02-10", "2026-02-05"
	cardID = e.importCards(t, c)[c.StageNo]
	return cardID, e.problemOf(t, "a_case_manager", cardID, "DQ-001").ID
}

func dataMatrix() []routeCase {
	get := func(path string) func(*testing.T, *env, string) (string, any) {
		return func(t *testing.T, e *env, _ string) (string, any) {
			e.installRules(t)
			return path, nil
		}
	}
	return []routeCase{
		{pattern: "GET /api/v1/data/rules", ok: http.StatusOK, request: get("/api/v1/data/rules")},
		{pattern: "POST /api/v1/data/rules", allowed: []access.Role{access.SysAdmin}, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installRules(t)
				return "/api/v1/data/rules", map[string]any{"id": "MX-" + dqNext(), "title": "案件名称过短", "kind": "wrong",
					"severity": "minor", "item": "name", "when": "len(card.Name) < 4", "reference": "本市填录细则",
					"hint": "写明嫌疑人和罪名", "fix_days": 5}
			}},
		{pattern: "GET /api/v1/data/rules/{id}", ok: http.StatusOK, request: get("/api/v1/data/rules/DQ-001")},
		{pattern: "PUT /api/v1/data/rules/{id}", allowed: []access.Role{access.SysAdmin}, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installRules(t)
				r, _ := e.f.App.Data.Library().Rule("DQ-022")
				return "/api/v1/data/rules/DQ-022", map[string]any{"version": r.Version, "title": r.Title, "kind": r.Kind,
					"severity": r.Severity, "item": r.Item, "when": r.When, "reference": r.Reference, "hint": r.Hint,
					"fix_days": r.FixDays}
			}},
		{pattern: "GET /api/v1/data/scans", allowed: dqMatrixReporters, ok: http.StatusOK, request: get("/api/v1/data/scans")},
		{pattern: "POST /api/v1/data/scans", allowed: dqMatrixOffice, ok: http.StatusOK, request: get("/api/v1/data/scans")},
		{pattern: "GET /api/v1/data/problems", allowed: dqMatrixReaders, ok: http.StatusOK,
			request: get("/api/v1/data/problems?status=open&limit=5")},
		{pattern: "GET /api/v1/data/problems/{id}", allowed: dqMatrixReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				_, p := e.dqMatrixCard(t, username)
				return dataPath("problems", p, ""), nil
			}},
		{pattern: "POST /api/v1/data/problems/{id}/waive", allowed: dqMatrixOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				_, p := e.dqMatrixCard(t, username)
				return dataPath("problems", p, "/waive"), map[string]any{"version": 1, "reason": "全国系统允许此填法"}
			}},
		{pattern: "GET /api/v1/data/cards", allowed: dqMatrixReaders, ok: http.StatusOK, request: get("/api/v1/data/cards?limit=5")},
		{pattern: "GET /api/v1/data/cards/{id}", allowed: dqMatrixReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				c, _ := e.dqMatrixCard(t, username)
				return dataPath("cards", c, ""), nil
			}},
		{pattern: "PATCH /api/v1/data/cards/{id}", allowed: dqMatrixFixers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				c, _ := e.dqMatrixCard(t, username)
				return dataPath("cards", c, ""), map[string]any{"version": 1, "values": map[string]any{"decided_on": "2026-02-25"}}
			}},
		{pattern: "GET /api/v1/data/imports", allowed: dqMatrixOffice, ok: http.StatusOK, request: get("/api/v1/data/imports")},
		{pattern: "POST /api/v1/data/imports", allowed: dqMatrixOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installRules(t)
				return importPath("案卡.csv"), upload{ctype: csvType, name: "案卡.csv",
					data: bytes.NewReader(e.cardsCSV(t, cleanCard(dqNext())))}
			}},
		{pattern: "POST /api/v1/data/imports/{id}/confirm", allowed: dqMatrixOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installRules(t)
				pv, err := e.f.App.Data.PreviewImport(context.Background(), e.dqReq(t, "a_case_manager"), e.f.UnitA.ID,
					"案卡.csv", e.cardsCSV(t, cleanCard(dqNext())))
				if err != nil || pv.UploadID == 0 {
					t.Fatalf("preview: %v %+v", err, pv)
				}
				return dataPath("imports", pv.UploadID, "/confirm"), nil
			}},
		{pattern: "GET /api/v1/data/reports/accuracy", allowed: dqMatrixReporters, ok: http.StatusOK,
			request: get("/api/v1/data/reports/accuracy?by=handler")},
		{pattern: "GET /api/v1/data/reports/problems", allowed: dqMatrixReporters, ok: http.StatusOK,
			request: get("/api/v1/data/reports/problems?by=kind")},
		{pattern: "GET /api/v1/data/reports/trend", allowed: dqMatrixReporters, ok: http.StatusOK,
			request: get("/api/v1/data/reports/trend?weeks=2")},
		{pattern: "GET /api/v1/data/reports/notification", allowed: dqMatrixReporters, ok: http.StatusOK,
			request: get("/api/v1/data/reports/notification?month=2026-03")},
		{pattern: "POST /api/v1/data/reports/notification", allowed: dqMatrixOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installRules(t)
				return "/api/v1/data/reports/notification", map[string]any{"month": "2026-03"}
			}},
		{pattern: "GET /api/v1/data/reports/lookback", allowed: dqMatrixReporters, ok: http.StatusOK,
			request: get("/api/v1/data/reports/lookback?month=2026-03")},
	}
}
