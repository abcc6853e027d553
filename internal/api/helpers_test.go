package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/testdb"
)

// env is one fixture (apptest: 甲县院, 乙县院 and 上级院 with one account per
// role) served over the whole HTTP handler, with a second, read-only
// connection to the same database so tests can count rows the API must not
// have written.
type env struct {
	f      *apptest.Fixture
	srv    *httptest.Server
	raw    *sql.DB
	engine string
	doc    *openAPIDoc

	mu     sync.Mutex
	tokens map[string]string // username → bearer token
}

// eachEngine runs fn on a fresh fixture on every engine (SQLite always,
// PostgreSQL when ANGUAN_TEST_POSTGRES is set), like testdb.Each, keeping
// the DSN for the row counts. now may be nil for apptest.Now.
func eachEngine(t *testing.T, now func() time.Time, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			db, dsn := eng.Open(t)
			e := &env{f: apptest.New(t, db, now), engine: eng.Name, tokens: map[string]string{}, doc: loadDoc(t)}
			e.srv = e.f.Server(t)
			e.raw = openRaw(t, dsn)
			// Every account's token up front, so that issuing one is never
			// counted as a write by the request under test.
			for username := range e.f.Users {
				e.token(t, username)
			}
			fn(t, e)
		})
	}
}

func openRaw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err = sql.Open("sqlite", "file:"+url.PathEscape(path)+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	} else {
		db, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// clock is a settable "now" for fixtures whose time the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: apptest.Now()} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// counts are the row counts of the tables a refused request must leave
// alone.
type counts map[string]int

var countedTables = []string{"cases", "parties", "intake_checks", "case_events", "assignments", "number_sequences",
	"api_tokens", "case_clocks"}

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	out := counts{}
	for _, tbl := range countedTables {
		var n int
		if err := e.raw.QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

func (e *env) unchanged(t *testing.T, before counts) {
	t.Helper()
	after := e.counts(t)
	for _, tbl := range countedTables {
		if before[tbl] != after[tbl] {
			t.Errorf("table %s: %d rows before, %d after: a refused request wrote data", tbl, before[tbl], after[tbl])
		}
	}
}

// token returns a bearer token of a fixture user (issued once, as the
// operator CLI does).
func (e *env) token(t *testing.T, username string) string {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	e.f.User(t, username)
	tok, _, err := e.f.App.Accounts.IssueTokenFor(context.Background(), username, "test", 0)
	if err != nil {
		t.Fatalf("token for %s: %v", username, err)
	}
	e.tokens[username] = tok
	return tok
}

// response is one HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return strconv.Itoa(r.status) + " " + string(r.body) }

// apiError is the error envelope.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
		Fields    map[string]struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

func (r response) err(t *testing.T) apiError {
	t.Helper()
	var a apiError
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, r.body)
	}
	return a
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body: %v: %s", err, r.body)
	}
}

// do sends one request as a user ("" for none) and checks the answer
// against the OpenAPI document: its status must be documented for the
// operation and its body must match the documented schema. body is sent
// raw when it is a string or []byte, as JSON otherwise.
func (e *env) do(t *testing.T, username, method, path string, body any) response {
	t.Helper()
	auth := ""
	if username != "" {
		auth = "Bearer " + e.token(t, username)
	}
	return e.doAuth(t, auth, method, path, body)
}

func (e *env) doAuth(t *testing.T, auth, method, path string, body any) response {
	t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case upload: // a file sent as itself, with its own media type
		rd, contentType = b.data, b.ctype
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: b}
	e.doc.conform(t, method, path, r)
	return r
}

// Domain shortcuts to build the state a test needs (the API is what is
// under test; the set-up goes through the same services).

func (e *env) register(t *testing.T, in casefile.Intake) int64 {
	t.Helper()
	id, err := e.f.App.Cases.Register(context.Background(), e.f.Request(t, "a_case_manager"), in)
	if err != nil {
		t.Fatalf("register %s: %v", in.Name, err)
	}
	return id
}

// designate gives a case of 甲县院 to a handler of 甲县院.
func (e *env) designate(t *testing.T, caseID int64, handler string) {
	t.Helper()
	_, err := e.f.App.Assigner.Designate(context.Background(), e.f.Request(t, "a_case_manager"), caseID,
		e.f.User(t, handler).ID, "测检察长", "测试指定")
	if err != nil {
		t.Fatalf("designate %d to %s: %v", caseID, handler, err)
	}
}

func (e *env) event(t *testing.T, caseID int64, handler, code, on, outcome string) {
	t.Helper()
	_, err := e.f.App.Cases.AddEvent(context.Background(), e.f.Request(t, handler), caseID,
		casefile.Event{Code: code, OccurredOn: on, Outcome: outcome})
	if err != nil {
		t.Fatalf("event %s on %d: %v", code, caseID, err)
	}
}

// inProgress registers intake i in 甲县院 and designates it to handler.
func (e *env) inProgress(t *testing.T, i int, handler string) int64 {
	t.Helper()
	id := e.register(t, apptest.Intake(i))
	e.designate(t, id, handler)
	return id
}

func (e *env) status(t *testing.T, caseID int64) string {
	t.Helper()
	var s string
	if err := e.raw.QueryRow(`SELECT status FROM cases WHERE id = $1`, caseID).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// intakeBody is the API body of an intake, as a map so tests can break it.
func intakeBody(in casefile.Intake) map[string]any {
	parties := []any{}
	for _, p := range in.Parties {
		parties = append(parties, map[string]any{"name": p.Name, "gender": p.Gender, "ethnicity": p.Ethnicity,
			"id_type": p.IDType, "id_number": p.IDNumber, "birth_date": p.BirthDate, "role": p.Role,
			"custody": p.Custody, "measure": p.Measure})
	}
	checks := []any{}
	for _, c := range in.Checks {
		checks = append(checks, map[string]any{"item": c.Item, "passed": c.Passed, "note": c.Note})
	}
	charges := []any{}
	for _, c := range in.Charges {
		charges = append(charges, c)
	}
	return map[string]any{"category": in.Category, "name": in.Name, "transferring_organ": in.TransferringOrgan,
		"transfer_doc_no": in.TransferDocNo, "received_on": in.ReceivedOn, "parties": parties, "charges": charges,
		"plea": in.Plea, "fast_track": in.FastTrack, "minor": in.Minor, "sealed": in.Sealed, "checks": checks,
		"outcome": in.Outcome, "outcome_note": in.OutcomeNote}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func casePath(id int64, rest string) string { return "/api/v1/cases/" + itoa(id) + rest }
