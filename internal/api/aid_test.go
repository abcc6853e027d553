package api_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/audit"
)

// aidFixture is a pairing (乙县院 aids 甲县院 during 2026) with a follow-up
// and a fund allocation carrying a PDF attachment, made once per env.
type aidFixture struct{ pairing, followUp, entry, question int64 }

var aidFixtures sync.Map // *env → aidFixture

func (e *env) aid(t *testing.T) aidFixture {
	t.Helper()
	if af, ok := aidFixtures.Load(e); ok {
		return af.(aidFixture)
	}
	ctx := context.Background()
	svc := e.f.App.Aid
	var af aidFixture
	var err error
	af.pairing, err = svc.CreatePairing(ctx, aid.Request(e.f.Request(t, "up_sysadmin")), aid.PairingInput{Name: "乙甲结对",
		AidingIDs: []int64{e.f.UnitB.ID}, AidedIDs: []int64{e.f.UnitA.ID}, StartOn: "2026-01-01", EndOn: "2026-12-31",
		Shares: aid.Shares{Aggregates: true, QA: true, Reviews: true, Problems: true}})
	if err != nil {
		t.Fatal(err)
	}
	cm := aid.Request(e.f.Request(t, "b_case_manager"))
	if _, err := svc.AddActivity(ctx, cm, af.pairing, aid.ActivityInput{Kind: aid.KindVisit, HeldOn: "2026-02-10", Place: "甲县院",
		Participants: "两院案管办", FollowUps: []aid.FollowUpInput{{Item: "提交清单", Owner: "甲县院", DueOn: "2026-03-31"}}}); err != nil {
		t.Fatal(err)
	}
	_, as, err := svc.Activities(ctx, cm, af.pairing)
	if err != nil {
		t.Fatal(err)
	}
	af.followUp = as[0].FollowUps[0].ID
	af.entry, err = svc.AddEntry(ctx, cm, af.pairing, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-01-15",
		AmountFen: 1_000_000, Purpose: "拨付", File: &aid.Upload{Name: "通知.pdf", Data: []byte("%PDF-1.4\n")}})
	if err != nil {
		t.Fatal(err)
	}
	af.question, err = svc.Ask(ctx, aid.Request(e.f.Request(t, "a_prosecutor")), af.pairing, aid.QuestionInput{Title: "退回补充侦查次数", Body: "最多可以退回几次？", Tags: "退查"})
	if err != nil {
		t.Fatal(err)
	}
	// b_case_manager is a mentor in data supervision (set as the seed sets
	// the first mentors).
	rec := audit.Record{Actor: audit.System("test"), Action: "aid.level.bootstrap", ObjectType: "user", Result: audit.ResultOK}
	if err := e.f.DB.BootstrapAidLevel(ctx, e.f.User(t, "b_case_manager").ID, "data", aid.LevelMentor, rec); err != nil {
		t.Fatal(err)
	}
	aidFixtures.Store(e, af)
	return af
}

// aidPendingFor makes username a mentor in quality evaluation and returns
// a fresh pending proposal on a_prosecutor3 in that area for them to decide.
func (e *env) aidPendingFor(t *testing.T, username string) int64 {
	t.Helper()
	ctx := context.Background()
	af := e.aid(t)
	if username != "" {
		rec := audit.Record{Actor: audit.System("test"), Action: "aid.level.bootstrap", ObjectType: "user", Result: audit.ResultOK}
		if err := e.f.DB.BootstrapAidLevel(ctx, e.f.User(t, username).ID, "evaluation", aid.LevelMentor, rec); err != nil {
			t.Fatal(err)
		}
	}
	person, err := e.f.DB.AidStaffMember(ctx, e.f.User(t, "a_prosecutor3").ID)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.f.DB.AidProposals(ctx, []int64{e.f.UnitA.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.UserID == person.ID && p.Area == "evaluation" && p.Status == aid.ProposalPending {
			return p.ID // left by the anonymous call
		}
	}
	to := aid.LevelBackbone
	if person.Level("evaluation") == to {
		to = "practitioner"
	}
	id, err := e.f.App.Aid.Propose(ctx, aid.Request(e.f.Request(t, "a_case_manager")), af.pairing, aid.ProposalInput{
		UserID: person.ID, Area: "evaluation", Level: to, Reason: "评查30件"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func aidMatrix() []routeCase {
	writers := append(aid.WriterRoles(), access.SysAdmin)
	sys := []access.Role{access.SysAdmin}
	cm := []access.Role{access.CaseManager}
	at := func(suffix string) func(*testing.T, *env, string) (string, any) {
		return func(t *testing.T, e *env, _ string) (string, any) {
			af := e.aid(t)
			p := "/api/v1/aid/pairings/" + itoa(af.pairing) + suffix
			return strings.Replace(p, "{entry}", itoa(af.entry), 1), nil
		}
	}
	pairing := func(e *env) map[string]any {
		return map[string]any{"name": "乙甲结对", "aiding_unit_ids": []int64{e.f.UnitB.ID}, "aided_unit_ids": []int64{e.f.UnitA.ID},
			"start_on": "2026-01-01", "end_on": "2026-12-31", "shares": map[string]any{"aggregates": true, "qa": true, "reviews": true, "problems": true}}
	}
	return append([]routeCase{
		{pattern: "GET /api/v1/aid/pairings", ok: http.StatusOK, request: func(*testing.T, *env, string) (string, any) {
			return "/api/v1/aid/pairings", nil
		}},
		{pattern: "POST /api/v1/aid/pairings", allowed: sys, ok: http.StatusCreated, request: func(_ *testing.T, e *env, _ string) (string, any) {
			return "/api/v1/aid/pairings", pairing(e)
		}},
		{pattern: "GET /api/v1/aid/pairings/{id}", ok: http.StatusOK, request: at("")},
		{pattern: "PUT /api/v1/aid/pairings/{id}", allowed: sys, ok: http.StatusOK, request: func(t *testing.T, e *env, u string) (string, any) {
			p, _ := at("")(t, e, u)
			return p, pairing(e)
		}},
		{pattern: "GET /api/v1/aid/pairings/{id}/activities", ok: http.StatusOK, request: at("/activities")},
		{pattern: "POST /api/v1/aid/pairings/{id}/activities", allowed: writers, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/activities")(t, e, u)
				return p, map[string]any{"kind": "meeting", "held_on": "2026-03-01", "place": "线上", "participants": "两院"}
			}},
		{pattern: "POST /api/v1/aid/followups/{id}", allowed: writers, ok: http.StatusOK, request: func(t *testing.T, e *env, _ string) (string, any) {
			return "/api/v1/aid/followups/" + itoa(e.aid(t).followUp), map[string]any{"status": "done"}
		}},
		{pattern: "GET /api/v1/aid/pairings/{id}/ledger", ok: http.StatusOK, request: at("/ledger")},
		{pattern: "POST /api/v1/aid/pairings/{id}/ledger", allowed: writers, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/ledger")(t, e, u)
				return p, map[string]any{"kind": "allocation", "entry_on": "2026-03-01", "amount_fen": 100, "purpose": "追加"}
			}},
		{pattern: "GET /api/v1/aid/pairings/{id}/ledger/export.xlsx", ok: http.StatusOK, request: at("/ledger/export.xlsx")},
		{pattern: "GET /api/v1/aid/pairings/{id}/ledger/{entry}/attachment", ok: http.StatusOK, request: at("/ledger/{entry}/attachment")},
		{pattern: "GET /api/v1/aid/pairings/{id}/goal", ok: http.StatusOK, request: at("/goal")},
		{pattern: "GET /api/v1/aid/pairings/{id}/talent", ok: http.StatusOK, request: at("/talent")},
		{pattern: "POST /api/v1/aid/pairings/{id}/proposals", allowed: cm, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/proposals")(t, e, u)
				return p, map[string]any{"user_id": e.f.User(t, "a_prosecutor").ID, "area": "analysis", "to_level": "practitioner", "reason": "统计分析报告3篇"}
			}},
		{pattern: "POST /api/v1/aid/pairings/{id}/evidence", allowed: cm, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/evidence")(t, e, u)
				return p, map[string]any{"user_id": e.f.User(t, "a_prosecutor").ID, "area": "intake", "kind": "quiz", "on_date": "2026-03-01", "note": "90分"}
			}},
		{pattern: "POST /api/v1/aid/pairings/{id}/mentorships", allowed: cm, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/mentorships")(t, e, u)
				return p, map[string]any{"mentor_id": e.f.User(t, "b_case_manager").ID, "trainee_id": e.f.User(t, "a_prosecutor").ID, "area": "data"}
			}},
		{pattern: "POST /api/v1/aid/pairings/{id}/rules", allowed: cm, ok: http.StatusOK,
			request: func(t *testing.T, e *env, u string) (string, any) {
				p, _ := at("/rules")(t, e, u)
				return p, map[string]any{"area": "data"}
			}},
		{pattern: "GET /api/v1/aid/pairings/{id}/questions", ok: http.StatusOK, request: at("/questions?q=" + url.QueryEscape("退查"))},
		{pattern: "POST /api/v1/aid/pairings/{id}/questions", ok: http.StatusCreated, request: func(t *testing.T, e *env, u string) (string, any) {
			p, _ := at("/questions")(t, e, u)
			return p, map[string]any{"title": "案卡漏填", "body": "如何避免？", "tags": "案卡"}
		}},
		{pattern: "GET /api/v1/aid/pairings/{id}/shared", ok: http.StatusOK, request: at("/shared")},
		{pattern: "GET /api/v1/aid/pairings/{id}/export.xlsx", ok: http.StatusOK, request: at("/export.xlsx")},
		{pattern: "GET /api/v1/aid/pairings/{id}/goals", ok: http.StatusOK, request: at("/goals")},
		{pattern: "PUT /api/v1/aid/pairings/{id}/goals", allowed: sys, ok: http.StatusOK, request: func(t *testing.T, e *env, u string) (string, any) {
			p, _ := at("/goals")(t, e, u)
			return p, aidGoalsBody(e)
		}},
		{pattern: "GET /api/v1/aid/pairings/{id}/progress", ok: http.StatusOK, request: at("/progress")},
		{pattern: "GET /api/v1/aid/pairings/{id}/report.docx", ok: http.StatusOK, request: at("/report.docx?quarter=2026Q1")},
		{pattern: "GET /api/v1/aid/questions/{id}", ok: http.StatusOK, request: func(t *testing.T, e *env, _ string) (string, any) {
			return "/api/v1/aid/questions/" + itoa(e.aid(t).question), nil
		}},
		{pattern: "POST /api/v1/aid/questions/{id}/answers", ok: http.StatusCreated, request: func(t *testing.T, e *env, _ string) (string, any) {
			return "/api/v1/aid/questions/" + itoa(e.aid(t).question) + "/answers", map[string]any{"body": "追问：特殊情况呢？"}
		}},
		{pattern: "POST /api/v1/aid/proposals/{id}", ok: http.StatusOK, request: func(t *testing.T, e *env, u string) (string, any) {
			return "/api/v1/aid/proposals/" + itoa(e.aidPendingFor(t, u)), map[string]any{"decision": "confirm"}
		}},
	}, trainingMatrix()...)
}

func TestAidAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		base := "/api/v1/aid/pairings/" + itoa(af.pairing)
		aidCounts := func() map[string]int {
			out := map[string]int{}
			for _, tb := range []string{"aid_pairings", "aid_pairing_units", "aid_activities", "aid_followups", "aid_ledger", "aid_attachments", "stats_shares"} {
				var n int
				if err := e.raw.QueryRow(`SELECT count(*) FROM ` + tb).Scan(&n); err != nil {
					t.Fatal(err)
				}
				out[tb] = n
			}
			return out
		}
		entry := func(mod map[string]any) map[string]any {
			m := map[string]any{"kind": "expenditure", "entry_on": "2026-02-01", "amount_fen": 100, "purpose": "差旅"}
			for k, v := range mod {
				m[k] = v
			}
			return m
		}
		before := aidCounts()
		for _, c := range []struct {
			name   string
			method string
			path   string
			body   any
			field  string
			code   string
		}{
			{"fractional fen", "POST", base + "/ledger", entry(map[string]any{"amount_fen": 1.5}), "amount_fen", "json_type_number"},
			{"string fen", "POST", base + "/ledger", entry(map[string]any{"amount_fen": "100"}), "amount_fen", "json_type_number"},
			{"negative fen", "POST", base + "/ledger", entry(map[string]any{"amount_fen": -100}), "amount_fen", "aid_amount_positive"},
			{"overdrawn", "POST", base + "/ledger", entry(map[string]any{"amount_fen": 1_000_001}), "amount_fen", "aid_overdrawn"},
			{"outside period", "POST", base + "/ledger", entry(map[string]any{"entry_on": "2027-01-01"}), "entry_on", "aid_outside_period"},
			{"forbidden type", "POST", base + "/ledger", entry(map[string]any{"attachment": map[string]any{"file_name": "a.pdf",
				"content_base64": base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00program"))}}), "attachment", "aid_file_type"},
			{"over the limit", "POST", base + "/ledger", entry(map[string]any{"attachment": map[string]any{"file_name": "a.pdf",
				"content_base64": base64.StdEncoding.EncodeToString(append([]byte("%PDF-"), make([]byte, aid.MaxAttachmentBytes)...))}}),
				"attachment", "aid_file_too_large"},
			{"bad base64", "POST", base + "/ledger", entry(map[string]any{"attachment": map[string]any{"file_name": "a.pdf", "content_base64": "%%%"}}),
				"attachment.content_base64", "aid_file_base64"},
			{"activity outside period", "POST", base + "/activities", map[string]any{"kind": "visit", "held_on": "2025-06-01", "place": "甲", "participants": "乙"},
				"held_on", "aid_outside_period"},
			{"unknown kind", "POST", base + "/activities", map[string]any{"kind": "party", "held_on": "2026-06-01", "place": "甲", "participants": "乙"},
				"kind", "aid_kind_invalid"},
			{"end before start", "PUT", base, map[string]any{"name": "x", "aiding_unit_ids": []int64{e.f.UnitB.ID}, "aided_unit_ids": []int64{e.f.UnitA.ID},
				"start_on": "2026-05-01", "end_on": "2026-04-01"}, "end_on", "aid_end_before_start"},
			{"unknown unit", "PUT", base, map[string]any{"name": "x", "aiding_unit_ids": []int64{e.f.UnitB.ID}, "aided_unit_ids": []int64{424242},
				"start_on": "2026-01-01", "end_on": "2026-12-31"}, "aided_unit_ids[0]", "aid_unit_unknown"},
		} {
			r := e.do(t, "a_sysadmin", c.method, c.path, c.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %s", c.name, r)
				continue
			}
			fp, ok := r.err(t).Error.Fields[c.field]
			if !ok || fp.Code != c.code || strings.Contains(fp.Message, "⟦") {
				t.Errorf("%s: fields %+v, want %s:%s", c.name, r.err(t).Error.Fields, c.field, c.code)
			}
		}
		after := aidCounts()
		for k, n := range before {
			if after[k] != n {
				t.Errorf("refused requests wrote %s: %d → %d", k, n, after[k])
			}
		}
		// Exact integer fen in, exact balance out.
		r := e.do(t, "b_aid_partner", "POST", base+"/ledger", entry(map[string]any{"amount_fen": 333_333}))
		if r.status != http.StatusCreated {
			t.Fatalf("expenditure: %s", r)
		}
		var l struct {
			Totals aid.Totals `json:"totals"`
		}
		e.do(t, "a_chief", "GET", base+"/ledger", nil).decode(t, &l)
		if l.Totals != (aid.Totals{AllocatedFen: 1_000_000, SpentFen: 333_333, BalanceFen: 666_667}) {
			t.Errorf("totals %+v", l.Totals)
		}
		// Shares: turning aggregates off removes the statistics sharing.
		r = e.do(t, "up_sysadmin", "PUT", base, map[string]any{"name": "乙甲结对", "aiding_unit_ids": []int64{e.f.UnitB.ID},
			"aided_unit_ids": []int64{e.f.UnitA.ID}, "start_on": "2026-01-01", "end_on": "2026-12-31",
			"shares": map[string]any{"aggregates": false, "reviews": true, "problems": false, "qa": true}})
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"reviews":true`) {
			t.Fatalf("put: %s", r)
		}
		if owners, _ := e.f.DB.StatsSharesTo(context.Background(), e.f.UnitB.ID); len(owners) != 0 {
			t.Errorf("sharing left after aggregates off: %v", owners)
		}
		// Outside the pairing: not found; the aiding side's admin may not edit.
		if r := e.do(t, "up_case_manager", "GET", base, nil); r.status != http.StatusNotFound {
			t.Errorf("outsider: %s", r)
		}
		if r := e.do(t, "b_sysadmin", "PUT", base, map[string]any{"name": "x", "aiding_unit_ids": []int64{e.f.UnitB.ID},
			"aided_unit_ids": []int64{e.f.UnitA.ID}, "start_on": "2026-01-01", "end_on": "2026-12-31"}); r.status != http.StatusForbidden {
			t.Errorf("aiding admin edits: %s", r)
		}
	})
}

// TestAidTalentAPI: bad input is refused field by field with nothing
// written; goal (1) moves only when a mentor confirms.
func TestAidTalentAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		base := "/api/v1/aid/pairings/" + itoa(af.pairing)
		count := func() int {
			var n int
			if err := e.raw.QueryRow(`SELECT (SELECT count(*) FROM aid_proposals) + (SELECT count(*) FROM aid_evidence) +
				(SELECT count(*) FROM aid_competencies) + (SELECT count(*) FROM aid_mentorships)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		person := e.f.User(t, "a_prosecutor").ID
		before := count()
		for _, c := range []struct {
			name, path  string
			body        any
			field, code string
		}{
			{"unknown area", base + "/proposals", map[string]any{"user_id": person, "area": "x", "to_level": "backbone", "reason": "r"}, "area", "aid_area_invalid"},
			{"unknown level", base + "/proposals", map[string]any{"user_id": person, "area": "data", "to_level": "guru", "reason": "r"}, "to_level", "aid_level_invalid"},
			{"no reason", base + "/proposals", map[string]any{"user_id": person, "area": "data", "to_level": "backbone"}, "reason", "required"},
			{"outsider", base + "/proposals", map[string]any{"user_id": e.f.User(t, "up_prosecutor").ID, "area": "data", "to_level": "backbone", "reason": "r"}, "user_id", "aid_staff_unknown"},
			{"bad date", base + "/evidence", map[string]any{"user_id": person, "area": "data", "kind": "quiz", "on_date": "2026-02-30", "note": "n"}, "on_date", "date_invalid"},
			{"not a mentor", base + "/mentorships", map[string]any{"mentor_id": person, "trainee_id": e.f.User(t, "a_prosecutor2").ID, "area": "data"}, "mentor_id", "aid_not_mentor"},
		} {
			r := e.do(t, "a_case_manager", "POST", c.path, c.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %s", c.name, r)
				continue
			}
			fp, ok := r.err(t).Error.Fields[c.field]
			if !ok || fp.Code != c.code || strings.Contains(fp.Message, "⟦") {
				t.Errorf("%s: fields %+v, want %s:%s", c.name, r.err(t).Error.Fields, c.field, c.code)
			}
		}
		if n := count(); n != before {
			t.Errorf("refused requests wrote rows: %d → %d", before, n)
		}
		goal := func() int {
			var g struct {
				Units []struct {
					Count int `json:"count"`
				} `json:"units"`
			}
			e.do(t, "b_aid_partner", "GET", base+"/goal", nil).decode(t, &g)
			if len(g.Units) != 1 {
				t.Fatalf("goal units %+v", g.Units)
			}
			return g.Units[0].Count
		}
		rec := audit.Record{Actor: audit.System("test"), Action: "aid.level.bootstrap", ObjectType: "user", Result: audit.ResultOK}
		for _, a := range []string{"intake", "assignment", "monitoring"} {
			if err := e.f.DB.BootstrapAidLevel(context.Background(), person, a, aid.LevelBackbone, rec); err != nil {
				t.Fatal(err)
			}
		}
		r := e.do(t, "a_case_manager", "POST", base+"/proposals", map[string]any{"user_id": person, "area": "data", "to_level": "backbone", "reason": "数据监管三个月"})
		if r.status != http.StatusCreated || goal() != 0 {
			t.Fatalf("propose: %s", r)
		}
		var created struct {
			ID int64 `json:"id"`
		}
		r.decode(t, &created)
		if r := e.do(t, "a_prosecutor", "POST", "/api/v1/aid/proposals/"+itoa(created.ID), map[string]any{"decision": "confirm"}); r.status != http.StatusForbidden {
			t.Errorf("self-confirmation: %s", r)
		}
		if r := e.do(t, "b_case_manager", "POST", "/api/v1/aid/proposals/"+itoa(created.ID), map[string]any{"decision": "confirm"}); r.status != http.StatusOK {
			t.Fatalf("confirm: %s", r)
		}
		if g := goal(); g != 1 {
			t.Errorf("goal after confirmation = %d, want 1", g)
		}
	})
}

func TestAidSharedAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		base := "/api/v1/aid/pairings/" + itoa(af.pairing)
		r := e.do(t, "b_aid_partner", "GET", base+"/shared", nil)
		if r.status != http.StatusOK {
			t.Fatalf("shared: %s", r)
		}
		var s struct {
			Shares struct{ Reviews, Problems bool }
			From   string `json:"from"`
			To     string `json:"to"`
			Units  []struct {
				Unit          struct{ ID int64 }
				Reviews       *struct{ Records int }
				Problems      []map[string]any
				ProblemsTotal int `json:"problems_total"`
			}
		}
		r.decode(t, &s)
		if !s.Shares.Reviews || !s.Shares.Problems || s.From != "2026-01-01" || len(s.Units) != 1 ||
			s.Units[0].Unit.ID != e.f.UnitA.ID || s.Units[0].Reviews == nil || s.Units[0].Problems == nil {
			t.Errorf("shared %s", r)
		}
		// Nothing identifies a case: no number, name or handler key.
		for _, p := range s.Units[0].Problems {
			for _, k := range []string{"case_id", "stage_no", "name", "handler", "handler_id"} {
				if _, ok := p[k]; ok {
					t.Errorf("shared problem carries %s: %v", k, p)
				}
			}
		}
		if r := e.do(t, "up_case_manager", "GET", base+"/shared", nil); r.status != http.StatusNotFound {
			t.Errorf("outsider: %s", r)
		}
		if r := e.do(t, "a_sysadmin", "PUT", base, map[string]any{"name": "乙甲结对", "aiding_unit_ids": []int64{e.f.UnitB.ID},
			"aided_unit_ids": []int64{e.f.UnitA.ID}, "start_on": "2026-01-01", "end_on": "2026-12-31",
			"shares": map[string]any{"aggregates": true}}); r.status != http.StatusOK {
			t.Fatalf("put: %s", r)
		}
		if r := e.do(t, "b_aid_partner", "GET", base+"/shared", nil); r.status != http.StatusForbidden || r.err(t).Error.Code == "" {
			t.Errorf("aggregates only: %s", r)
		}
	})
}

func TestAidQuestionLinksAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		path := "/api/v1/aid/pairings/" + itoa(af.pairing) + "/questions"
		for _, c := range []struct {
			body  map[string]any
			field string
			code  string
		}{
			{map[string]any{"title": "t", "body": "b", "rules": "monitor:nope"}, "rules", "aid_rule_unknown"},
			{map[string]any{"title": "t", "body": "b", "case_no": "无此受案号"}, "case_no", "aid_case_unknown"},
			{map[string]any{"title": "t", "body": "b", "rules": 5}, "rules", "json_type_string"},
		} {
			r := e.do(t, "a_prosecutor", "POST", path, c.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %s", c.body, r)
				continue
			}
			if f, ok := r.err(t).Error.Fields[c.field]; !ok || f.Code != c.code || f.Message == "" {
				t.Errorf("%v: fields %+v, want %s %s", c.body, r.err(t).Error.Fields, c.field, c.code)
			}
		}
		r := e.do(t, "a_prosecutor", "POST", path, map[string]any{"title": "t", "body": "b", "rules": "monitor:rights_notice_late"})
		if r.status != http.StatusCreated {
			t.Fatalf("ask: %s", r)
		}
		var q struct {
			Rules []struct{ Ref, Basis string }
			Case  *struct{}
		}
		r.decode(t, &q)
		if len(q.Rules) != 1 || q.Rules[0].Ref != "monitor:rights_notice_late" || q.Rules[0].Basis == "" || q.Case != nil {
			t.Errorf("question %s", r)
		}
	})
}
