package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/web"
)

// TestRouteRoleMatrix calls every page route as nobody and as each role of
// 甲县院, and checks the gate: signed out → 303 to the login page (public
// routes excepted), role not allowed → 403, allowed → the handler's own
// answer (200 for pages; 422 for a POST with an empty form, which writes
// nothing, so the matrix leaves the data as it found it).
func TestRouteRoleMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		mon := seedMonitor(t, e)
		ev := seedEvaluation(t, e)
		df := seedData(t, e)
		af := seedAid(t, e)
		routes := e.h.Routes()
		// POST /logout ends the session: keep it last.
		slices.SortStableFunc(routes, func(a, b web.Route) int {
			return boolCmp(a.Pattern == "POST /logout", b.Pattern == "POST /logout")
		})
		before := e.caseCount(t)

		// The object each route is called on, per user where it matters:
		// events on a case the caller handles, assignment on a case that is
		// already assigned (so nothing is written).
		path := func(rt web.Route, username string) string {
			_, p, _ := strings.Cut(rt.Pattern, " ")
			p = strings.TrimSuffix(p, "{$}")
			id := ""
			switch {
			case strings.HasPrefix(p, "/cases/{id}/events"):
				id = itoa(e.byProsec)
				if username == "a_assistant" {
					id = itoa(e.byAssist)
				}
			case strings.HasPrefix(p, "/cases/{id}/intake"):
				id = itoa(e.pending)
			case strings.HasPrefix(p, "/cases/{id}"):
				id = itoa(e.assigned)
			case strings.HasPrefix(p, "/pools/{id}"):
				id = itoa(e.f.Pool)
			case strings.HasPrefix(p, "/admin/units/{id}"):
				id = itoa(e.f.UnitA.ID)
			case strings.HasPrefix(p, "/admin/users/{id}"):
				id = itoa(e.f.User(t, "a_prosecutor3").ID)
			case strings.HasPrefix(p, "/monitor/findings/{id}"):
				id = itoa(mon.findingFor(username))
			case strings.HasPrefix(p, "/quality/"):
				id, p = ev.matrixObject(t, e, p, username)
			case strings.HasPrefix(p, "/data/"):
				id, p = df.matrixObject(p, username)
			case strings.HasPrefix(p, "/aid/"):
				id, p = af.matrixObject(p)
			case strings.HasPrefix(p, "/stats/drill"):
				p += "?measure=an" // the cases behind 案件比's denominator
			}
			if strings.Contains(p, "{") && id == "" {
				t.Fatalf("route %s: no object for its path parameter", rt.Pattern)
			}
			return strings.Replace(p, "{id}", id, 1)
		}
		call := func(c *client, rt web.Route, username string) response {
			method, _, _ := strings.Cut(rt.Pattern, " ")
			p := path(rt, username)
			if method == http.MethodPost {
				return c.post(p, url.Values{})
			}
			return c.get(p)
		}

		t.Run("signed out", func(t *testing.T) {
			c := e.client(t)
			for _, rt := range routes {
				r := call(c, rt, "")
				switch {
				case rt.Pattern == "GET /login":
					if r.status != http.StatusOK {
						t.Errorf("%s: status %d, want 200", rt.Pattern, r.status)
					}
				case rt.Pattern == "POST /login":
					if r.status != http.StatusUnauthorized {
						t.Errorf("%s: status %d, want 401 for empty credentials", rt.Pattern, r.status)
					}
				case rt.Public:
					t.Errorf("%s: public route without an expectation in this test", rt.Pattern)
				default:
					if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login?") {
						t.Errorf("%s: status %d location %q, want 303 to /login", rt.Pattern, r.status, r.location())
					}
				}
				noMissingKeys(t, rt.Pattern, r)
			}
		})

		for _, role := range access.AllRoles() {
			username := "a_" + string(role)
			t.Run(string(role), func(t *testing.T) {
				c := e.login(t, username)
				for _, rt := range routes {
					r := call(c, rt, username)
					method, _, _ := strings.Cut(rt.Pattern, " ")
					allowed := rt.Public || rt.Roles == nil || slices.Contains(rt.Roles, role)
					var want int
					switch {
					case rt.Pattern == "POST /login":
						want = http.StatusUnauthorized // empty credentials
					case rt.Pattern == "POST /logout":
						want = http.StatusSeeOther
					case !allowed:
						want = http.StatusForbidden
					case method == http.MethodGet:
						want = http.StatusOK
					default:
						want = http.StatusUnprocessableEntity
					}
					if r.status != want {
						t.Errorf("%s as %s: status %d, want %d\n%s", rt.Pattern, username, r.status, want, excerpt(r.body))
					}
					if want == http.StatusForbidden && !strings.Contains(r.body, "没有执行此操作的权限") {
						t.Errorf("%s as %s: 403 page without its message", rt.Pattern, username)
					}
					noMissingKeys(t, rt.Pattern+" as "+username, r)
				}
				// After POST /logout the session is gone.
				if r := c.get("/"); r.status != http.StatusSeeOther {
					t.Errorf("after logout: GET / status %d, want 303", r.status)
				}
			})
		}
		if after := e.caseCount(t); after != before {
			t.Errorf("the matrix changed the number of cases: %d → %d", before, after)
		}
	})
}

// TestOutOfScope: objects of another unit answer 404 (no existence leak);
// the upper unit reads but does not act.
func TestOutOfScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		caseA := "/cases/" + itoa(e.pending)
		event := url.Values{"code": {"extended"}, "occurred_on": {"2026-03-10"}}
		checks := []struct {
			user, method, path string
			form               url.Values
			want               int
		}{
			{"b_case_manager", "GET", caseA, nil, http.StatusNotFound},
			{"b_case_manager", "POST", caseA + "/assign", url.Values{}, http.StatusNotFound},
			{"b_case_manager", "POST", caseA + "/designate", url.Values{"handler_id": {itoa(e.f.User(t, "b_prosecutor").ID)}, "reason": {"测试"}}, http.StatusNotFound},
			{"b_case_manager", "POST", caseA + "/intake", url.Values{"outcome": {"accept"}}, http.StatusNotFound},
			{"b_prosecutor", "POST", "/cases/" + itoa(e.byProsec) + "/events", event, http.StatusNotFound},
			{"b_chief", "GET", "/cases/" + itoa(e.assigned), nil, http.StatusNotFound},
			{"a_case_manager", "GET", "/cases/" + itoa(e.caseB), nil, http.StatusNotFound},
			{"up_upper_supervisor", "GET", caseA, nil, http.StatusOK},
			{"up_upper_supervisor", "GET", "/cases/" + itoa(e.caseB), nil, http.StatusOK},
			{"up_upper_supervisor", "POST", "/cases/" + itoa(e.byProsec) + "/events", event, http.StatusForbidden},
			{"up_upper_supervisor", "POST", caseA + "/assign", url.Values{}, http.StatusForbidden},
			{"up_upper_supervisor", "POST", caseA + "/designate", url.Values{"handler_id": {itoa(e.f.User(t, "a_prosecutor").ID)}, "reason": {"测试"}}, http.StatusForbidden},
			{"up_upper_supervisor", "GET", "/cases/new", nil, http.StatusForbidden},
			// In the unit but not the handler: the domain service refuses.
			{"a_prosecutor2", "POST", "/cases/" + itoa(e.byProsec) + "/events", event, http.StatusForbidden},
			{"a_chief", "POST", caseA + "/designate", url.Values{"handler_id": {itoa(e.f.User(t, "a_prosecutor").ID)}}, http.StatusUnprocessableEntity},
			// Not a number, or no such case.
			{"a_case_manager", "GET", "/cases/abc", nil, http.StatusNotFound},
			{"a_case_manager", "GET", "/cases/0", nil, http.StatusNotFound},
			{"a_case_manager", "POST", "/pools/999999/members", url.Values{"user_id": {"1"}, "m": {"1"}, "n": {"1"}}, http.StatusNotFound},
		}
		before := e.caseCount(t)
		clients := map[string]*client{}
		for _, ck := range checks {
			c, ok := clients[ck.user]
			if !ok {
				c = e.login(t, ck.user)
				clients[ck.user] = c
			}
			var r response
			if ck.method == "POST" {
				r = c.post(ck.path, ck.form)
			} else {
				r = c.get(ck.path)
			}
			if r.status != ck.want {
				t.Errorf("%s %s as %s: status %d, want %d\n%s", ck.method, ck.path, ck.user, r.status, ck.want, excerpt(r.body))
			}
			if ck.want == http.StatusNotFound && !strings.Contains(r.body, "对象不存在或无权访问") {
				t.Errorf("%s %s as %s: 404 without its message", ck.method, ck.path, ck.user)
			}
			noMissingKeys(t, ck.path, r)
		}
		// Lists filter in SQL: 乙县院 sees none of 甲县院's cases.
		r := clients["b_case_manager"].get("/cases?q=" + url.QueryEscape(e.stagePend))
		if !strings.Contains(r.body, "共 0 件") || strings.Contains(r.body, `href="/cases/`+itoa(e.pending)+`"`) {
			t.Errorf("乙县院's case list shows 甲县院's case\n%s", excerpt(r.body))
		}
		if after := e.caseCount(t); after != before {
			t.Errorf("refused requests changed the number of cases: %d → %d", before, after)
		}
		d, err := e.f.App.Cases.Get(t.Context(), e.f.Request(t, "a_case_manager"), e.pending)
		if err != nil {
			t.Fatal(err)
		}
		if d.Case.HandlerID != 0 || len(d.Events) != 1 {
			t.Errorf("refused requests changed the case: handler %d, %d events", d.Case.HandlerID, len(d.Events))
		}
	})
}

// TestCrossOrigin: an unsafe request from another site is refused before
// any handler runs (CSRF defence for the cookie session).
func TestCrossOrigin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		before := e.caseCount(t)
		for _, hdr := range []struct{ name, value string }{
			{"Sec-Fetch-Site", "cross-site"},
			{"Origin", "http://evil.example"},
		} {
			in := intakeForm(apptest.Intake(20))
			req, _ := http.NewRequest(http.MethodPost, c.base+"/cases", strings.NewReader(in.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(hdr.name, hdr.value)
			if r := c.do(req); r.status != http.StatusForbidden {
				t.Errorf("%s: %s: status %d, want 403", hdr.name, hdr.value, r.status)
			}
		}
		if after := e.caseCount(t); after != before {
			t.Errorf("a cross-origin intake was written: %d → %d", before, after)
		}
		// The same form from the same origin goes through.
		req, _ := http.NewRequest(http.MethodPost, c.base+"/cases", strings.NewReader(intakeForm(apptest.Intake(20)).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if r := c.do(req); r.status != http.StatusSeeOther {
			t.Errorf("same-origin intake: status %d, want 303\n%s", r.status, excerpt(r.body))
		}
	})
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// excerpt keeps failure output readable: the messages of the page.
func excerpt(body string) string {
	if i := strings.Index(body, "<main>"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500] + "…"
	}
	return body
}

// TestStatic: assets are public, versioned by name and cached for good;
// every answer carries the protective headers of the server.
func TestStatic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.client(t)
		for path, ctype := range map[string]string{
			"/static/anguan.css":         "text/css",
			"/static/htmx-2.0.11.min.js": "javascript",
		} {
			r := c.get(path)
			if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), ctype) {
				t.Errorf("%s: status %d type %q", path, r.status, r.header.Get("Content-Type"))
			}
			if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: Cache-Control %q", path, r.header.Get("Cache-Control"))
			}
		}
		// The layout links exactly the assets that exist.
		page := c.get("/login")
		for _, ref := range []string{`href="/static/anguan.css"`, `src="/static/htmx-2.0.11.min.js"`} {
			if !strings.Contains(page.body, ref) {
				t.Errorf("layout lacks %s", ref)
			}
		}
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
			if got := page.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		if r := c.get("/static/missing.css"); r.status != http.StatusNotFound {
			t.Errorf("missing asset: status %d", r.status)
		}
	})
}
