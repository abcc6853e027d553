package api_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// aidGoalsBody is a valid PUT …/goals body for the aid fixture's pairing
// (甲县院 aided, 乙县院 its peer).
func aidGoalsBody(e *env) map[string]any {
	return map[string]any{
		"staff":    map[string]any{"min_level": "backbone", "target": 2},
		"position": map[string]any{"peer_unit_ids": []int64{e.f.UnitB.ID}, "indicators": []string{"case_ratio", "plea_rate"}, "top_pct": 50},
		"informatization": map[string]any{"window_days": 90, "items": []map[string]any{{"code": "board", "threshold": 80},
			{"code": "notices", "threshold": 90}, {"code": "evaluation", "threshold": 1}, {"code": "accuracy", "threshold": 95}}},
		"echelon": map[string]any{"levels": []string{"trainee", "practitioner", "backbone", "mentor"}, "min_per_level": 1},
	}
}

func TestAidGoalsAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		base := "/api/v1/aid/pairings/" + itoa(af.pairing)
		rows := func() int {
			var n int
			if err := e.raw.QueryRow(`SELECT count(*) FROM aid_goals`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Bad input: every field named with its stable code; nothing written.
		bad := aidGoalsBody(e)
		bad["position"] = map[string]any{"peer_unit_ids": []int64{e.f.Upper.ID}, "indicators": []string{"nope", "non_arrest_rate"}, "top_pct": 50}
		bad["informatization"] = map[string]any{"window_days": 90, "items": []map[string]any{{"code": "accuracy", "threshold": 120}}}
		r := e.do(t, "a_sysadmin", http.MethodPut, base+"/goals", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad goals: %s", r)
		}
		fields := r.err(t).Error.Fields
		for f, code := range map[string]string{"peer_unit_ids[0]": "aid_goal_peer_level", "indicators[0]": "aid_goal_indicator_unknown",
			"indicators[1]": "aid_goal_indicator_range", "items[0].threshold": "aid_goal_range"} {
			if fields[f].Code != code || fields[f].Message == "" {
				t.Errorf("field %s: %+v, want code %s", f, fields[f], code)
			}
		}
		if n := rows(); n != 0 {
			t.Fatalf("%d rows written by a refused request", n)
		}
		if r := e.do(t, "a_case_manager", http.MethodPut, base+"/goals", aidGoalsBody(e)); r.status != http.StatusForbidden {
			t.Errorf("case manager PUT goals: %s", r)
		}
		if r := e.do(t, "a_sysadmin", http.MethodPut, base+"/goals", aidGoalsBody(e)); r.status != http.StatusOK {
			t.Fatalf("PUT goals: %s", r)
		}
		var g struct {
			Saved    []string `json:"saved"`
			Position struct {
				Indicators []string `json:"indicators"`
			} `json:"position"`
		}
		e.do(t, "b_aid_partner", http.MethodGet, base+"/goals", nil).decode(t, &g)
		if len(g.Saved) != 4 || len(g.Position.Indicators) != 2 {
			t.Errorf("goals after save: %+v", g)
		}
		var p struct {
			AsOf  string `json:"as_of"`
			Units []struct {
				Met   map[string]bool `json:"met"`
				Trend map[string][]struct {
					Label string `json:"label"`
					Value int    `json:"value"`
				} `json:"trend"`
				Current struct {
					Staff struct {
						Count  int `json:"count"`
						Target int `json:"target"`
					} `json:"staff"`
				} `json:"current"`
			} `json:"units"`
		}
		e.do(t, "a_prosecutor", http.MethodGet, base+"/progress", nil).decode(t, &p)
		if p.AsOf != "2026-03-16" || len(p.Units) != 1 || len(p.Units[0].Trend["staff"]) != 5 || p.Units[0].Current.Staff.Target != 2 {
			t.Errorf("progress: %+v", p)
		}
		// Outsiders: not found.
		if r := e.do(t, "up_prosecutor", http.MethodGet, base+"/progress", nil); r.status != http.StatusNotFound {
			t.Errorf("outsider progress: %s", r)
		}
		var views int
		if err := e.raw.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'aid.progress.view'`).Scan(&views); err != nil || views != 1 {
			t.Errorf("progress views audited: %d %v", views, err)
		}
		// The report.
		r = e.do(t, "a_case_manager", http.MethodGet, base+"/report.docx?quarter=2026-Q7", nil)
		if r.status != http.StatusUnprocessableEntity || r.err(t).Error.Fields["quarter"].Code != "aid_quarter_invalid" {
			t.Errorf("bad quarter: %s", r)
		}
		r = e.do(t, "a_case_manager", http.MethodGet, base+"/report.docx?quarter=2026Q1", nil)
		if r.status != http.StatusOK {
			t.Fatalf("report: %s", r)
		}
		zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var xml string
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				xml = string(b)
			}
		}
		for _, w := range []string{"2026年第1季度援助工作进展报告", "人（目标2人）", "援助活动", "互动答疑"} {
			if !strings.Contains(xml, w) {
				t.Errorf("document.xml lacks %q", w)
			}
		}
	})
}
