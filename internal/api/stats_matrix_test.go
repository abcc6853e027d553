package api_test

import (
	"net/http"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apptest"
)

// The route × role matrix rows of analysis: aggregates for the office,
// the unit's leaders, upper supervisors and the aid partner; the cases
// behind a figure for all of them but the aid partner.

var (
	statsMatrixReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor,
		access.AidPartner}
	statsMatrixDrill = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
)

func statsMatrix() []routeCase {
	get := func(path string) func(*testing.T, *env, string) (string, any) {
		return func(*testing.T, *env, string) (string, any) { return path, nil }
	}
	return []routeCase{
		{pattern: "GET /api/v1/stats/catalogue", ok: http.StatusOK, request: get("/api/v1/stats/catalogue")},
		{pattern: "GET /api/v1/stats/values", allowed: statsMatrixReaders, ok: http.StatusOK,
			request: get("/api/v1/stats/values?period=month&value=2026-03&indicators=case_ratio,plea_rate")},
		{pattern: "GET /api/v1/stats/compare", allowed: statsMatrixReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				// Each caller compares its own unit (the only one every
				// role sees).
				unit := e.f.UnitA.ID
				if u, ok := e.f.Users[username]; ok {
					unit = u.UnitID
				}
				return "/api/v1/stats/compare?units=" + itoa(unit) + "&indicators=non_arrest_rate", nil
			}},
		{pattern: "GET /api/v1/stats/trend", allowed: statsMatrixReaders, ok: http.StatusOK,
			request: get("/api/v1/stats/trend?indicator=case_ratio&months=3")},
		{pattern: "GET /api/v1/stats/report", allowed: statsMatrixReaders, ok: http.StatusOK,
			request: get("/api/v1/stats/report?month=2026-03")},
		{pattern: "GET /api/v1/stats/drilldown", allowed: statsMatrixDrill, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.register(t, apptest.Intake(700))
				return "/api/v1/stats/drilldown?measure=pr_received&limit=5", nil
			}},
	}
}
