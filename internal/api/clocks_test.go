package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
)

// storedClock is a row of case_clocks as the board reads it.
type storedClock struct {
	kind, state, start, due string
	seq                     int
	watched                 bool
}

func (e *env) storedClocks(t *testing.T, caseID int64) []string {
	t.Helper()
	rows, err := e.raw.Query(`SELECT kind, seq, state, start_on, due_on, watched FROM case_clocks
		WHERE case_id = $1 ORDER BY kind, seq`, caseID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c storedClock
		if err := rows.Scan(&c.kind, &c.seq, &c.state, &c.start, &c.due, &c.watched); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s#%d %s→%s %s watched=%v", c.kind, c.seq, c.start, c.due, c.state, c.watched))
	}
	return out
}

// TestClocksStoredWithEvents: every intake and event replaces the case's
// stored clocks in its own transaction, and they agree with the clocks the
// case page derives on the fly. Dates hand-checked (custody: no shift).
func TestClocksStoredWithEvents(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		in := apptest.Intake(700)
		in.ReceivedOn = "2026-02-10"
		id := e.register(t, in)
		// Registered late on 16 March: both periods had already run out
		// (the stored state is as of the day of computation).
		want := []string{
			"prosecution_review#1 2026-02-10→2026-03-10 overdue watched=true",
			"rights_notice#1 2026-02-10→2026-02-13 overdue watched=true",
		}
		if got := e.storedClocks(t, id); !slices.Equal(got, want) {
			t.Fatalf("after intake:\n got %v\nwant %v", got, want)
		}
		e.designate(t, id, "a_prosecutor")
		e.event(t, id, "a_prosecutor", "rights_notified", "2026-02-12", "")
		e.event(t, id, "a_prosecutor", "returned", "2026-03-02", "")
		want = []string{
			"prosecution_review#1 2026-02-10→2026-03-10 stopped watched=false",
			"rights_notice#1 2026-02-10→2026-02-13 met watched=false",
			"supplementary_investigation#1 2026-03-02→2026-04-02 running watched=true",
		}
		// The return came before the due date: the review clock stopped
		// in time, and it is no longer watched.
		if got := e.storedClocks(t, id); !slices.Equal(got, want) {
			t.Fatalf("after return:\n got %v\nwant %v", got, want)
		}
		// CPL 175: on resubmission the review period restarts from zero.
		e.event(t, id, "a_prosecutor", "resubmitted", "2026-03-13", "")
		want = []string{
			"prosecution_review#1 2026-02-10→2026-03-10 stopped watched=false",
			"prosecution_review#2 2026-03-13→2026-04-13 running watched=true",
			"rights_notice#1 2026-02-10→2026-02-13 met watched=false",
			"supplementary_investigation#1 2026-03-02→2026-04-02 met watched=false",
		}
		if got := e.storedClocks(t, id); !slices.Equal(got, want) {
			t.Fatalf("after resubmission:\n got %v\nwant %v", got, want)
		}
		// The API's clocks of the case are the same periods.
		var out struct {
			Today  string
			Clocks []struct{ Kind, Start, Due, State string }
		}
		e.do(t, "a_case_manager", "GET", casePath(id, "/clocks"), nil).decode(t, &out)
		var api []string
		for _, c := range out.Clocks {
			api = append(api, c.Kind+" "+c.Start+"→"+c.Due+" "+c.State)
		}
		slices.Sort(api)
		if wantAPI := []string{"prosecution_review 2026-02-10→2026-03-10 stopped", "prosecution_review 2026-03-13→2026-04-13 running",
			"rights_notice 2026-02-10→2026-02-13 met", "supplementary_investigation 2026-03-02→2026-04-02 met"}; !slices.Equal(api, wantAPI) || out.Today != "2026-03-16" {
			t.Errorf("GET clocks = %s %v, want 2026-03-16 %v", out.Today, api, wantAPI)
		}
	})
}

// TestContradictoryEventsRefused: events the status allows but that
// contradict the recorded timeline are refused with a field message, and
// nothing is written.
func TestContradictoryEventsRefused(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		id := e.inProgress(t, 710, "a_prosecutor")
		e.event(t, id, "a_prosecutor", "assessment_started", "2026-03-10", "")
		civ := apptest.Intake(712)
		civ.Category, civ.Name = "civil_supervision", "测某712与测某713民间借贷纠纷民事诉讼监督案"
		civ.Parties[0].Role, civ.Parties[0].Custody, civ.Parties[0].Measure = "applicant", false, "none"
		civ.Parties[1].Role = "respondent"
		civ.Plea, civ.FastTrack, civ.Minor, civ.Charges = false, false, false, nil
		civID := e.register(t, civ)
		e.designate(t, civID, "a_prosecutor")
		for _, c := range []struct {
			name   string
			caseID int64
			body   map[string]any
			code   string
			msg    string
		}{
			{"assessment ends before it started", id, map[string]any{"code": "assessment_ended", "occurred_on": "2026-03-05"},
				"deadline.problem.end_before_start", "鉴定等事项的结束日期早于开始日期"},
			{"civil review cannot be extended", civID, map[string]any{"code": "extended", "occurred_on": "2026-03-10"},
				"deadline.problem.extension_not_allowed", "该期限不能延长"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := e.counts(t)
				clocks := e.storedClocks(t, c.caseID)
				res := e.do(t, "a_prosecutor", "POST", casePath(c.caseID, "/events"), c.body)
				if res.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %s, want 422", res)
				}
				var ae apiError
				res.decode(t, &ae)
				f := ae.Error.Fields["occurred_on"]
				if f.Code != c.code || !strings.Contains(f.Message, c.msg) {
					t.Errorf("occurred_on = %+v, want code %s with %q", f, c.code, c.msg)
				}
				e.unchanged(t, before)
				if got := e.storedClocks(t, c.caseID); !slices.Equal(got, clocks) {
					t.Errorf("clocks changed: %v → %v", clocks, got)
				}
			})
		}
		// A resubmission without a return is refused by the status.
		res := e.do(t, "a_prosecutor", "POST", casePath(civID, "/events"), map[string]any{"code": "resubmitted", "occurred_on": "2026-03-10"})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("resubmission without return: %s", res)
		}
	})
}

// TestBoardColours: the board and its counts sort running clocks into the
// three warning colours on 16 March 2026 (prosecution review: yellow 3
// days before, orange from the day before, red when overdue), filter by
// colour and handler, and stay inside the caller's scope.
func TestBoardColours(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		// In custody, so due dates stay on the day itself (CPL 105).
		for i, recv := range map[int]string{
			720: "2026-02-10", // due 03-10: red, 6 days over
			721: "2026-02-16", // due 03-16: orange (today)
			722: "2026-02-17", // due 03-17: orange (tomorrow)
			723: "2026-02-19", // due 03-19: yellow (3 days left)
			724: "2026-02-20", // due 03-20: none (4 days left)
		} {
			in := apptest.Intake(i)
			in.ReceivedOn = recv
			id := e.register(t, in)
			e.designate(t, id, "a_prosecutor")
			// Rights notified: only the review clocks are running.
			e.event(t, id, "a_prosecutor", "rights_notified", recv, "")
		}
		type row struct {
			Kind, Due, Colour string
			HandlerName       string `json:"handler_name"`
			CaseName          string `json:"case_name"`
			StageNo           string `json:"stage_no"`
			DaysLeft          int    `json:"days_left"`
		}
		var board struct {
			Today  string
			Counts struct{ Red, Orange, Yellow, None, Total int }
			Items  []row
			Next   *string
		}
		e.do(t, "a_case_manager", "GET", "/api/v1/board", nil).decode(t, &board)
		c := board.Counts
		if c.Red != 1 || c.Orange != 2 || c.Yellow != 1 || c.None != 1 || c.Total != 5 {
			t.Errorf("counts = %+v, want red 1, orange 2, yellow 1, none 1", c)
		}
		// The home page's counts: the same warning colours from bounded
		// ranges, without the total.
		home, err := e.f.App.Board.Counts(context.Background(), e.f.User(t, "a_case_manager").Principal())
		if err != nil || home.Red != 1 || home.Orange != 2 || home.Yellow != 1 || home.HasTotal {
			t.Errorf("home counts = %+v (%v), want red 1, orange 2, yellow 1 and no total", home, err)
		}
		var got []string
		for _, r := range board.Items {
			got = append(got, fmt.Sprintf("%s %s %d %s", r.Due, r.Colour, r.DaysLeft, r.HandlerName))
		}
		want := []string{"2026-03-10 red -6 测prosecutor", "2026-03-16 orange 0 测prosecutor", "2026-03-17 orange 1 测prosecutor",
			"2026-03-19 yellow 3 测prosecutor", "2026-03-20 none 4 测prosecutor"}
		if !slices.Equal(got, want) {
			t.Errorf("board:\n got %v\nwant %v", got, want)
		}
		if r := board.Items[0]; r.CaseName != "测某720盗窃案" || !strings.Contains(r.StageNo, "甲检") || r.Kind != "prosecution_review" {
			t.Errorf("first row: %+v", r)
		}
		// Filter by colour, and page through with the cursor.
		for colour, n := range map[string]int{"red": 1, "orange": 2, "yellow": 1, "none": 1} {
			var b struct{ Items []row }
			e.do(t, "a_case_manager", "GET", "/api/v1/board?colour="+colour, nil).decode(t, &b)
			if len(b.Items) != n || b.Items[0].Colour != colour {
				t.Errorf("colour=%s: %d rows %v, want %d", colour, len(b.Items), b.Items, n)
			}
		}
		var p1, p2 struct {
			Items []row
			Next  *string
		}
		e.do(t, "a_case_manager", "GET", "/api/v1/board?limit=3", nil).decode(t, &p1)
		if len(p1.Items) != 3 || p1.Next == nil {
			t.Fatalf("page 1: %d rows, next %v", len(p1.Items), p1.Next)
		}
		e.do(t, "a_case_manager", "GET", "/api/v1/board?limit=3&next="+*p1.Next, nil).decode(t, &p2)
		if len(p2.Items) != 2 || p2.Next != nil || p2.Items[0].Due != "2026-03-19" {
			t.Errorf("page 2: %v next %v", p2.Items, p2.Next)
		}
		// Another handler's filter, another unit, and the upper level.
		for _, s := range []struct {
			user, query string
			total       int
		}{
			{"a_case_manager", "?handler_id=" + itoa(e.f.User(t, "a_prosecutor2").ID), 0},
			// The assignment after intake reached the stored clocks.
			{"a_case_manager", "?handler_id=" + itoa(e.f.User(t, "a_prosecutor").ID), 5},
			{"a_case_manager", "?category=arrest_review", 0},
			{"b_case_manager", "", 0},
			{"up_upper_supervisor", "", 5},
			{"a_prosecutor2", "", 5}, // a prosecutor's board is the unit's, like the case list
		} {
			var b struct{ Counts struct{ Total int } }
			e.do(t, s.user, "GET", "/api/v1/board"+s.query, nil).decode(t, &b)
			if b.Counts.Total != s.total {
				t.Errorf("%s %s: total %d, want %d", s.user, s.query, b.Counts.Total, s.total)
			}
		}
		// Bad filters: a stable code per field.
		for q, field := range map[string]string{"colour=purple": "colour", "kind=nothing": "kind", "handler_id=x": "handler_id",
			"limit=0": "limit"} {
			res := e.do(t, "a_case_manager", "GET", "/api/v1/board?"+q, nil)
			var ae apiError
			res.decode(t, &ae)
			if res.status != http.StatusUnprocessableEntity || ae.Error.Fields[field].Code == "" {
				t.Errorf("%s: %s", q, res)
			}
		}
	})
}

// TestClosingOpensSelfCheck: closing a case opens its self-check task
// (每案必检) for the handler, due 10 working days after closing.
func TestClosingOpensSelfCheck(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		if _, err := e.f.App.Evaluation.InstallDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		id := e.inProgress(t, 730, "a_prosecutor")
		e.event(t, id, "a_prosecutor", "decided", "2026-03-12", "prosecute")
		e.event(t, id, "a_prosecutor", "closed", "2026-03-12", "")
		var handler int64
		var due string
		if err := e.raw.QueryRow(`SELECT handler_id, due_on FROM evaluation_checks WHERE case_id = $1`, id).
			Scan(&handler, &due); err != nil {
			t.Fatalf("no self-check task after closing: %v", err)
		}
		// 12 March 2026 (Thursday) + 10 working days = 26 March.
		if handler != e.f.User(t, "a_prosecutor").ID || due != "2026-03-26" {
			t.Errorf("self-check handler %d due %s, want a_prosecutor due 2026-03-26", handler, due)
		}
	})
}
