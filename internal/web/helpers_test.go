package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/web"
)

// env is a fixture with realistic data and a server over the whole handler
// (middleware and cross-origin protection included).
type env struct {
	f   *apptest.Fixture
	srv *httptest.Server
	h   *web.Handler // the page handler, for Pages() and Routes()

	pending    int64 // 甲县院, registered and waiting for assignment
	assigned   int64 // 甲县院, assigned by rotation, with events
	awaiting   int64 // 甲县院, waiting for supplementary material
	byProsec   int64 // 甲县院, designated to a_prosecutor, in progress
	byAssist   int64 // 甲县院, designated to a_assistant, in progress
	caseB      int64 // 乙县院
	rotatedTo  string
	stagePend  string // stage number of pending
	stageAssig string // stage number of assigned
}

// newEnv builds the fixture (nil now: the fixed apptest.Now) and fills it
// with cases in every state the pages show.
func newEnv(t *testing.T, f *apptest.Fixture) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{f: f, srv: f.Server(t)}
	h, err := web.New(web.Deps{Accounts: f.App.Accounts, Org: f.App.Org, Cases: f.App.Cases, Assigner: f.App.Assigner,
		Pools: f.App.Pools, Audit: f.App.Audit, T: f.App.T, Log: f.App.Log, Now: f.App.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	cm := f.Request(t, "a_case_manager")
	register := func(req casefile.Request, in casefile.Intake) int64 {
		t.Helper()
		id, err := f.App.Cases.Register(ctx, req, in)
		if err != nil {
			t.Fatalf("register %s: %v", in.Name, err)
		}
		return id
	}
	e.pending = register(cm, apptest.Intake(1))
	e.assigned = register(cm, apptest.Intake(3))
	a, err := f.App.Assigner.Rotate(ctx, cm, e.assigned)
	if err != nil {
		t.Fatal(err)
	}
	for name, u := range f.Users {
		if u.ID == a.HandlerID {
			e.rotatedTo = name
		}
	}
	handler := f.Request(t, e.rotatedTo)
	for _, ev := range []casefile.Event{
		{Code: casefile.EventExtended, OccurredOn: "2026-03-05", Note: "案情复杂，经检察长批准延长十五日"},
		{Code: casefile.EventReturned, OccurredOn: "2026-03-09", Note: "证据不足，退回补充侦查"},
	} {
		if _, err := f.App.Cases.AddEvent(ctx, handler, e.assigned, ev); err != nil {
			t.Fatalf("event %s: %v", ev.Code, err)
		}
	}
	sup := apptest.Intake(5)
	sup.Checks[1].Passed, sup.Checks[1].Note = false, "缺少扣押物品清单"
	sup.Outcome, sup.OutcomeNote = casefile.OutcomeSupplement, "请于五日内补送扣押物品清单"
	e.awaiting = register(cm, sup)
	designate := func(i int, to string) int64 {
		t.Helper()
		id := register(cm, apptest.Intake(i))
		if _, err := f.App.Assigner.Designate(ctx, cm, id, f.User(t, to).ID, "测chief", "专业化办案，指定承办"); err != nil {
			t.Fatal(err)
		}
		return id
	}
	e.byProsec = designate(7, "a_prosecutor")
	e.byAssist = designate(9, "a_assistant")
	e.caseB = register(f.Request(t, "b_case_manager"), apptest.Intake(11))
	for id, dst := range map[int64]*string{e.pending: &e.stagePend, e.assigned: &e.stageAssig} {
		d, err := f.App.Cases.Get(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		*dst = d.Case.StageNo
	}
	return e
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// client is a browser-like HTTP client: a cookie jar, redirects not
// followed (the tests look at them).
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (e *env) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: e.srv.URL, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in through the form and fails the test unless it works.
func (e *env) login(t *testing.T, username string) *client {
	t.Helper()
	c := e.client(t)
	r := c.post("/login", url.Values{"username": {username}, "password": {apptest.Password}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, r.status, r.body)
	}
	return c
}

type response struct {
	status int
	body   string
	header http.Header
}

func (r response) location() string { return r.header.Get("Location") }

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// sessionCookie is the session cookie the jar holds, or nil.
func (c *client) sessionCookie() *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "anguan_session") {
			return ck
		}
	}
	return nil
}

// caseCount counts every case of every unit (the upper unit's supervisor
// sees the whole fixture).
func (e *env) caseCount(t *testing.T) int {
	t.Helper()
	n, err := e.f.App.Cases.Count(context.Background(), e.f.Request(t, "up_upper_supervisor"), casefile.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noMissingKeys fails when the page shows an untranslated key.
func noMissingKeys(t *testing.T, what string, r response) {
	t.Helper()
	if i := strings.Index(r.body, "⟦"); i >= 0 {
		end := min(len(r.body), i+80)
		t.Errorf("%s: missing i18n key: %s", what, r.body[i:end])
	}
}
