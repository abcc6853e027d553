package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
)

type detail struct {
	listedCase
	UniformNo     string `json:"uniform_no"`
	IntakeOutcome string `json:"intake_outcome"`
	Decision      string `json:"decision"`
	ClosedOn      string `json:"closed_on"`
	Returns       int    `json:"returns"`
	Extensions    int    `json:"extensions"`
	Parties       []struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		IDNumber  string `json:"id_number"`
		BirthDate string `json:"birth_date"`
	} `json:"parties"`
	Checks []struct {
		Item   string `json:"item"`
		Passed bool   `json:"passed"`
	} `json:"checks"`
	Events []struct {
		ID      int64  `json:"id"`
		Code    string `json:"code"`
		Outcome string `json:"outcome"`
	} `json:"events"`
	Assignments []struct {
		HandlerID   int64  `json:"handler_id"`
		Kind        string `json:"kind"`
		Explanation string `json:"explanation"`
	} `json:"assignments"`
}

// TestCaseFlow drives one case through the API from a token to closing:
// intake, rotation, events, decision, closing, with every answer held
// against the OpenAPI document (by env.do).
func TestCaseFlow(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		var tok issued
		r := e.do(t, "", "POST", "/api/v1/tokens", credentials("a_case_manager"))
		r.decode(t, &tok)
		cm := "Bearer " + tok.Token

		r = e.doAuth(t, cm, "GET", "/api/v1/me", nil)
		var me struct {
			Username string   `json:"username"`
			UnitID   int64    `json:"unit_id"`
			UnitCode string   `json:"unit_code"`
			Roles    []string `json:"roles"`
		}
		r.decode(t, &me)
		if me.Username != "a_case_manager" || me.UnitID != e.f.UnitA.ID || me.UnitCode != "99010000" ||
			!slices.Equal(me.Roles, []string{"case_manager"}) {
			t.Errorf("me: %s", r.body)
		}

		r = e.doAuth(t, cm, "GET", "/api/v1/units", nil)
		var units struct {
			Items []struct {
				ID       int64  `json:"id"`
				ParentID int64  `json:"parent_id"`
				Code     string `json:"code"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		r.decode(t, &units)
		if len(units.Items) != 3 || units.Next != nil {
			t.Errorf("units: %s", r.body)
		}
		for _, u := range units.Items {
			if u.Code == "99010000" && u.ParentID != e.f.Upper.ID {
				t.Errorf("甲县院's parent is %d, want %d", u.ParentID, e.f.Upper.ID)
			}
		}

		in := apptest.Intake(1)
		in.Parties[0].Name = "  测某一  " // trimmed
		r = e.doAuth(t, cm, "POST", "/api/v1/cases", intakeBody(in))
		if r.status != http.StatusCreated {
			t.Fatalf("intake: %s", r)
		}
		var d detail
		r.decode(t, &d)
		if r.header.Get("Location") != casePath(d.ID, "") {
			t.Errorf("Location %q", r.header.Get("Location"))
		}
		if d.Status != casefile.StatusPendingAssignment || d.UnitID != e.f.UnitA.ID || d.IntakeOutcome != "accept" ||
			d.StageNo != "甲检起诉受[2026]99010000000001号" || d.UniformNo != "990100002026000001" {
			t.Errorf("registered case: %s", r.body)
		}
		if len(d.Parties) != 2 || d.Parties[0].Name != "测某一" || d.Parties[0].BirthDate == "" || d.Parties[0].ID == 0 {
			t.Errorf("parties: %+v", d.Parties)
		}
		if len(d.Checks) != len(casefile.CheckItems()) || len(d.Events) != 1 || d.Events[0].Code != "received" {
			t.Errorf("checks %v events %v", d.Checks, d.Events)
		}

		r = e.doAuth(t, cm, "POST", casePath(d.ID, "/assign"), map[string]any{})
		if r.status != http.StatusCreated {
			t.Fatalf("rotation (mode defaults to rotation): %s", r)
		}
		var a struct {
			HandlerID   int64  `json:"handler_id"`
			Kind        string `json:"kind"`
			Round       int    `json:"round"`
			Explanation string `json:"explanation"`
		}
		r.decode(t, &a)
		if a.Kind != "rotation" || a.Round != 1 || !strings.HasPrefix(a.Explanation, "第1轮：") {
			t.Errorf("assignment: %s", r.body)
		}
		var handler string
		for name, u := range e.f.Users {
			if u.ID == a.HandlerID {
				handler = name
			}
		}
		if !strings.HasPrefix(handler, "a_prosecutor") {
			t.Fatalf("rotated to %q, not a member of 甲县院's pool", handler)
		}

		for _, ev := range []map[string]any{
			{"code": "extended", "occurred_on": "2026-03-04", "note": "案情复杂"},
			{"code": "returned", "occurred_on": "2026-03-05"},
			{"code": "resubmitted", "occurred_on": "2026-03-09"},
			{"code": "decided", "occurred_on": "2026-03-13", "outcome": "prosecute"},
			{"code": "closed", "occurred_on": "2026-03-16"},
		} {
			r = e.do(t, handler, "POST", casePath(d.ID, "/events"), ev)
			if r.status != http.StatusCreated {
				t.Fatalf("event %v: %s", ev["code"], r)
			}
		}

		r = e.do(t, "a_chief", "GET", casePath(d.ID, ""), nil)
		r.decode(t, &d)
		var codes []string
		for _, ev := range d.Events {
			codes = append(codes, ev.Code)
		}
		if want := []string{"received", "assigned", "extended", "returned", "resubmitted", "decided", "closed"}; !slices.Equal(codes, want) {
			t.Errorf("timeline %v, want %v", codes, want)
		}
		if d.Status != "closed" || d.Decision != "prosecute" || d.ClosedOn != "2026-03-16" || d.Returns != 1 ||
			d.Extensions != 1 || d.HandlerID != a.HandlerID {
			t.Errorf("closed case: %s", r.body)
		}
		if len(d.Assignments) != 1 || d.Assignments[0].Explanation != a.Explanation {
			t.Errorf("assignments: %+v", d.Assignments)
		}

		// An intake waiting for supplementary material has no numbers yet.
		sup := apptest.Intake(2)
		sup.Checks[1].Passed, sup.Checks[1].Note = false, "缺少扣押物品清单"
		sup.Outcome, sup.OutcomeNote = casefile.OutcomeSupplement, "请补送扣押物品清单"
		r = e.doAuth(t, cm, "POST", "/api/v1/cases", intakeBody(sup))
		if r.status != http.StatusCreated {
			t.Fatalf("supplement intake: %s", r)
		}
		var s detail
		r.decode(t, &s)
		if s.Status != casefile.StatusAwaitingSupplement || s.StageNo != "" || s.UniformNo != "" {
			t.Errorf("awaiting supplement: %s", r.body)
		}
	})
}

// TestSchemaValidator: the validator behind env.do does catch a response
// that drifts from the document.
func TestSchemaValidator(t *testing.T) {
	d := loadDoc(t)
	caseSchema := map[string]any{"$ref": "#/components/schemas/Case"}
	if probs := d.validate(caseSchema, map[string]any{"id": "1"}, "$"); len(probs) < 5 {
		t.Errorf("a bad case passes: %v", probs)
	}
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	good := map[string]any{"error": map[string]any{"code": "validation", "message": "m", "request_id": "r",
		"fields": map[string]any{"received_on": map[string]any{"code": "date_invalid", "message": "受理日期：…"}}}}
	if probs := d.validate(errSchema, good, "$"); len(probs) != 0 {
		t.Errorf("a good error fails: %v", probs)
	}
	bad := map[string]any{"error": map[string]any{"code": "oops", "message": "m", "request_id": "r", "extra": true,
		"fields": map[string]any{"x": map[string]any{"code": "c"}}}}
	if probs := d.validate(errSchema, bad, "$"); len(probs) != 3 {
		t.Errorf("bad error: want 3 problems (code enum, extra property, missing message), got %v", probs)
	}
}
