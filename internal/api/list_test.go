package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
)

type listedCase struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"unit_id"`
	Category   string `json:"category"`
	StageNo    string `json:"stage_no"`
	Name       string `json:"name"`
	ReceivedOn string `json:"received_on"`
	Status     string `json:"status"`
	HandlerID  int64  `json:"handler_id"`
	Sealed     bool   `json:"sealed"`
}

type casePage struct {
	Items []listedCase `json:"items"`
	Next  *string      `json:"next"`
}

// list walks every page of GET /api/v1/cases?query as user and returns the
// cases in order, failing on a duplicate.
func (e *env) list(t *testing.T, user, query string, limit int) []listedCase {
	t.Helper()
	var out []listedCase
	seen := map[int64]bool{}
	next := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		if limit > 0 {
			q.Set("limit", itoa(int64(limit)))
		}
		if next != "" {
			q.Set("next", next)
		}
		r := e.do(t, user, "GET", "/api/v1/cases?"+q.Encode(), nil)
		if r.status != http.StatusOK {
			t.Fatalf("list %q as %s: %s", query, user, r)
		}
		var p casePage
		r.decode(t, &p)
		if limit > 0 && len(p.Items) > limit {
			t.Fatalf("page of %d items, limit %d", len(p.Items), limit)
		}
		for _, c := range p.Items {
			if seen[c.ID] {
				t.Fatalf("case %d listed twice", c.ID)
			}
			seen[c.ID] = true
			out = append(out, c)
		}
		if p.Next == nil {
			return out
		}
		if *p.Next == "" {
			t.Fatal(`next is "" instead of null`)
		}
		if len(p.Items) == 0 {
			t.Fatal("empty page with a next cursor")
		}
		next = *p.Next
	}
}

func ids(cs []listedCase) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// sortedIDs orders ids like the list: newest receipt first, then id.
func sortedIDs(cs []listedCase) []int64 {
	c := slices.Clone(cs)
	slices.SortFunc(c, func(a, b listedCase) int {
		if a.ReceivedOn != b.ReceivedOn {
			return strings.Compare(b.ReceivedOn, a.ReceivedOn)
		}
		return int(b.ID - a.ID)
	})
	return ids(c)
}

// listFixture is 甲县院 with cases in several states, dates and categories,
// one case of 乙县院, and a sealed juvenile case handled by a_prosecutor2.
type listFixture struct {
	all                    []int64 // every unsealed case of 甲县院
	arrest, closed, byP3   int64
	sealed, named, other   int64
	sealedStage, namedName string
	stages                 map[int64]string
}

func buildListFixture(t *testing.T, e *env) listFixture {
	t.Helper()
	var lf listFixture
	days := []string{"2026-03-02", "2026-03-05", "2026-03-05", "2026-03-09", "2026-03-09", "2026-03-09", "2026-03-12",
		"2026-03-12", "2026-03-14"}
	for i, d := range days {
		in := apptest.Intake(20 + i)
		in.ReceivedOn = d
		lf.all = append(lf.all, e.register(t, in))
	}
	arrest := apptest.Intake(40)
	arrest.Category, arrest.ReceivedOn = "arrest_review", "2026-03-10"
	lf.arrest = e.register(t, arrest)
	lf.all = append(lf.all, lf.arrest)

	lf.byP3 = lf.all[1]
	e.designate(t, lf.byP3, "a_prosecutor3")
	lf.closed = lf.all[2]
	e.designate(t, lf.closed, "a_prosecutor")
	e.event(t, lf.closed, "a_prosecutor", "decided", "2026-03-10", "prosecute")
	e.event(t, lf.closed, "a_prosecutor", "closed", "2026-03-11", "")

	named := apptest.Intake(41)
	named.Parties[1].Name = "欧阳明月"
	named.ReceivedOn = "2026-03-03"
	lf.named, lf.namedName = e.register(t, named), "欧阳明月"
	lf.all = append(lf.all, lf.named)

	other, err := e.f.App.Cases.Register(t.Context(), e.f.Request(t, "b_case_manager"), apptest.Intake(42))
	if err != nil {
		t.Fatal(err)
	}
	lf.other = other

	// The sealed case goes in through the API, like the others would.
	sealed := apptest.Intake(43)
	sealed.Name, sealed.Minor, sealed.Sealed = "未成年人封存测试案", true, true
	sealed.Parties[0].Name = "封存某"
	r := e.do(t, "a_case_manager", "POST", "/api/v1/cases", intakeBody(sealed))
	if r.status != http.StatusCreated {
		t.Fatalf("register a sealed case: %s", r)
	}
	var c listedCase
	r.decode(t, &c)
	lf.sealed, lf.sealedStage = c.ID, c.StageNo
	r = e.do(t, "a_case_manager", "POST", casePath(lf.sealed, "/assign"), map[string]any{"mode": "designated",
		"handler_id": e.f.User(t, "a_prosecutor2").ID, "reason": "未成年人案件专人办理"})
	if r.status != http.StatusCreated {
		t.Fatalf("assign the sealed case: %s", r)
	}

	lf.stages = map[int64]string{}
	for _, c := range e.list(t, "a_case_manager", "", 0) {
		lf.stages[c.ID] = c.StageNo
	}
	return lf
}

// TestListPagination: walking the list with the next cursor returns every
// visible case once, in order, for any page size.
func TestListPagination(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		lf := buildListFixture(t, e)
		for _, limit := range []int{1, 2, 3, 5, 11, 50, 200} {
			got := e.list(t, "a_case_manager", "", limit)
			if !slices.Equal(ids(got), sortedIDs(got)) {
				t.Errorf("limit %d: order %v, want newest receipt first %v", limit, ids(got), sortedIDs(got))
			}
			want := slices.Sorted(slices.Values(lf.all))
			if g := slices.Sorted(slices.Values(ids(got))); !slices.Equal(g, want) {
				t.Errorf("limit %d: listed %v, want %v", limit, g, want)
			}
		}
		// A page of exactly the remaining cases has next: null.
		r := e.do(t, "a_case_manager", "GET", "/api/v1/cases?limit="+itoa(int64(len(lf.all))), nil)
		var p casePage
		r.decode(t, &p)
		if p.Next != nil || len(p.Items) != len(lf.all) {
			t.Errorf("exact page: %d items, next %v", len(p.Items), p.Next)
		}
		// The supervisor of 上级院 walks both units.
		up := e.list(t, "up_upper_supervisor", "", 4)
		if len(up) != len(lf.all)+1 || !slices.Contains(ids(up), lf.other) {
			t.Errorf("upper supervisor sees %d cases, want %d including 乙县院's", len(up), len(lf.all)+1)
		}
	})
}

// TestListFilters: each filter narrows the list to exactly the matching
// cases; q finds by party name and by stage number on both engines (FTS5
// trigram on SQLite for three characters or more, LIKE below; pg_trgm on
// PostgreSQL).
func TestListFilters(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		lf := buildListFixture(t, e)
		p3 := e.f.User(t, "a_prosecutor3").ID
		exclude := func(drop ...int64) []int64 {
			return slices.DeleteFunc(slices.Clone(lf.all), func(id int64) bool { return slices.Contains(drop, id) })
		}
		stage := lf.stages[lf.all[4]]
		for _, c := range []struct {
			name, query string
			want        []int64
		}{
			{"category", "category=arrest_review", []int64{lf.arrest}},
			{"category without cases", "category=pil_civil", nil},
			{"status", "status=in_progress", []int64{lf.byP3}},
			{"status closed", "status=closed", []int64{lf.closed}},
			{"handler", "handler_id=" + itoa(p3), []int64{lf.byP3}},
			{"open only", "open=true", exclude(lf.closed)},
			{"open=false means all", "open=false", lf.all},
			{"received from", "received_from=2026-03-12", []int64{lf.all[6], lf.all[7], lf.all[8]}},
			{"received to", "received_to=2026-03-03", []int64{lf.all[0], lf.named}},
			{"received range", "received_from=2026-03-05&received_to=2026-03-05", []int64{lf.all[1], lf.all[2]}},
			{"combined", "received_from=2026-03-05&received_to=2026-03-09&open=true&category=prosecution_review",
				[]int64{lf.all[1], lf.all[3], lf.all[4], lf.all[5]}},
			{"party name, 4 characters", "q=" + url.QueryEscape(lf.namedName), []int64{lf.named}},
			{"party name, 3 characters", "q=" + url.QueryEscape("欧阳明"), []int64{lf.named}},
			{"party name, 2 characters", "q=" + url.QueryEscape("欧阳"), []int64{lf.named}},
			{"suspect name", "q=" + url.QueryEscape("测某24"), []int64{lf.all[4]}},
			{"full stage number", "q=" + url.QueryEscape(stage), []int64{lf.all[4]}},
			{"stage number tail", "q=" + url.QueryEscape(stage[len(stage)-10:]), []int64{lf.all[4]}},
			{"case name", "q=" + url.QueryEscape("测某40盗窃案"), []int64{lf.arrest}},
			{"search with quotes and percent", "q=" + url.QueryEscape(`"%_\`), nil},
			{"search and filter", "q=" + url.QueryEscape("盗窃案") + "&category=arrest_review", []int64{lf.arrest}},
			{"nothing found", "q=" + url.QueryEscape("不存在的名字"), nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got := slices.Sorted(slices.Values(ids(e.list(t, "a_case_manager", c.query, 2))))
				want := slices.Sorted(slices.Values(c.want))
				if !slices.Equal(got, want) {
					t.Errorf("%s: got %v, want %v", c.query, got, want)
				}
			})
		}
	})
}

// TestListBadParameters: bad query parameters are 422 on the parameter.
func TestListBadParameters(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		for _, c := range []struct{ query, field, message string }{
			{"limit=0", "limit", "每页条数："},
			{"limit=201", "limit", "每页条数："},
			{"limit=ten", "limit", "每页条数："},
			{"handler_id=x", "handler_id", "承办人："},
			{"handler_id=-3", "handler_id", "承办人："},
			{"status=lost", "status", "状态：取值无效"},
			{"received_from=2026-02-30", "received_from", "受理日期起：不是有效日期"},
			{"received_to=2026-13-01", "received_to", "受理日期止："},
			{"next=" + url.QueryEscape("not a cursor!"), "next", "分页：分页参数无效"},
			{"q=" + strings.Repeat("案", 51), "q", "检索词：不能超过50个字"},
		} {
			t.Run(c.query, func(t *testing.T) {
				r := e.do(t, "a_case_manager", "GET", "/api/v1/cases?"+c.query, nil)
				checkRefused(t, e, badCase{status: 422, code: "validation", field: c.field, message: c.message}, r, e.counts(t))
			})
		}
	})
}

// TestSealedCases: a sealed juvenile case (CPL 286) appears in no list,
// search or count for anyone but its handler — not the case manager who
// registered it, not the unit's leaders, not the upper unit — and cannot be
// opened by them either.
func TestSealedCases(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		lf := buildListFixture(t, e)
		searches := []string{"", "q=" + url.QueryEscape("封存某"), "q=" + url.QueryEscape(lf.sealedStage),
			"q=" + url.QueryEscape("未成年人封存"), "status=in_progress", "handler_id=" + itoa(e.f.User(t, "a_prosecutor2").ID),
			"received_from=2026-03-02&received_to=2026-03-02"}
		for _, user := range []string{"a_case_manager", "a_prosecutor", "a_prosecutor3", "a_assistant", "a_dept_head",
			"a_chief", "a_upper_supervisor", "up_upper_supervisor"} {
			for _, q := range searches {
				if slices.Contains(ids(e.list(t, user, q, 3)), lf.sealed) {
					t.Errorf("%s sees the sealed case in the list %q", user, q)
				}
			}
			n, err := e.f.App.Cases.Count(t.Context(), e.f.Request(t, user), casefile.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(e.list(t, user, "", 0)) != n {
				t.Errorf("%s: count %d differs from the list", user, n)
			}
			if r := e.do(t, user, "GET", casePath(lf.sealed, ""), nil); r.status != http.StatusNotFound {
				t.Errorf("%s opens the sealed case: %d", user, r.status)
			}
		}
		// Its handler finds it like any other case.
		for _, q := range searches {
			if !slices.Contains(ids(e.list(t, "a_prosecutor2", q, 3)), lf.sealed) {
				t.Errorf("the handler does not find the sealed case with %q", q)
			}
		}
		if r := e.do(t, "a_prosecutor2", "GET", casePath(lf.sealed, ""), nil); r.status != http.StatusOK {
			t.Errorf("the handler cannot open the sealed case: %s", r)
		}
		if r := e.do(t, "a_prosecutor2", "POST", casePath(lf.sealed, "/events"),
			map[string]any{"code": "extended", "occurred_on": "2026-03-16"}); r.status != http.StatusCreated {
			t.Errorf("the handler cannot record an event on the sealed case: %s", r)
		}

		// Before it has a handler, a sealed case is in no one's list; the
		// unit's case managers (who registered it) can open it to assign it,
		// nobody else can.
		in := apptest.Intake(44)
		in.Minor, in.Sealed = true, true
		r := e.do(t, "a_case_manager", "POST", "/api/v1/cases", intakeBody(in))
		if r.status != http.StatusCreated {
			t.Fatalf("register: %s", r)
		}
		var pending listedCase
		r.decode(t, &pending)
		for _, user := range []string{"a_case_manager", "a_chief", "a_prosecutor", "up_upper_supervisor"} {
			if slices.Contains(ids(e.list(t, user, "", 0)), pending.ID) {
				t.Errorf("%s lists the unassigned sealed case", user)
			}
		}
		for user, want := range map[string]int{"a_case_manager": 200, "a_chief": 404, "a_dept_head": 404, "a_prosecutor": 404,
			"b_case_manager": 404, "up_case_manager": 404, "up_upper_supervisor": 404} {
			if r := e.do(t, user, "GET", casePath(pending.ID, ""), nil); r.status != want {
				t.Errorf("%s opens the unassigned sealed case: %d, want %d", user, r.status, want)
			}
		}
		if r := e.do(t, "a_case_manager", "POST", casePath(pending.ID, "/assign"), map[string]any{"mode": "rotation"}); r.status != http.StatusCreated {
			t.Fatalf("rotate the sealed case: %s", r)
		}
		if r := e.do(t, "a_case_manager", "GET", casePath(pending.ID, ""), nil); r.status != http.StatusNotFound {
			t.Errorf("the case manager still opens the sealed case once assigned: %d", r.status)
		}
	})
}
