package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/config"
	"github.com/anguan/anguan/internal/server"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestTwoInstancesOneDatabase runs two complete instances (each its own
// connection pool, services and HTTP handler) against one PostgreSQL
// database, the scale-out deployment: a session opened on one is valid on
// the other and a logout on one ends it on both; concurrent intakes through
// both never repeat or skip a number; and when both offer their periodic
// jobs at the same moment, every job runs exactly once.
//
// Several instances are a PostgreSQL deployment; the embedded SQLite
// serves one instance (one writer per file), so the test runs on
// PostgreSQL only.
func TestTwoInstancesOneDatabase(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		if e.Name != "postgres" {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db1, dsn := e.Open(t)
			f := apptest.New(t, db1, nil)
			db2, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			app2, err := server.NewApp(db2, config.Defaults(), slog.New(slog.NewTextHandler(io.Discard, nil)), apptest.Now)
			if err != nil {
				t.Fatal(err)
			}
			srv1 := f.Server(t)
			h2, err := app2.Handler()
			if err != nil {
				t.Fatal(err)
			}
			srv2 := httptest.NewServer(h2)
			defer srv2.Close()

			// Sessions live in the database: one login serves both.
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.PostForm(srv1.URL+"/login", url.Values{"username": {"a_case_manager"}, "password": {apptest.Password}})
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("login on instance 1: %v %v", err, resp)
			}
			resp.Body.Close()
			get := func(base string) int {
				t.Helper()
				resp, err := c.Get(base + "/cases")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if got := get(srv2.URL); got != http.StatusOK {
				t.Fatalf("instance 2 with instance 1's session: %d", got)
			}
			resp, err = c.PostForm(srv2.URL+"/logout", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := get(srv1.URL); got != http.StatusSeeOther {
				t.Fatalf("instance 1 after logout on instance 2: %d, want a redirect to the login page", got)
			}

			// Concurrent intakes through both instances.
			const n = 24
			apps := []*server.App{f.App, app2}
			req := f.Request(t, "a_case_manager")
			ids := make([]int64, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ids[i], errs[i] = apps[i%2].Cases.Register(ctx, req, apptest.Intake(i+1))
				}()
			}
			wg.Wait()
			stages := map[string]bool{}
			uniforms := map[string]bool{}
			for i, id := range ids {
				if errs[i] != nil {
					t.Fatalf("intake %d: %v", i, errs[i])
				}
				c, err := f.App.DB.Case(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if stages[c.StageNo] || uniforms[c.UniformNo] {
					t.Fatalf("number used twice: %s / %s", c.StageNo, c.UniformNo)
				}
				stages[c.StageNo], uniforms[c.UniformNo] = true, true
			}
			for i := 1; i <= n; i++ {
				found := false
				for s := range stages {
					if len(s) > 0 && containsSeq(s, i) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("stage sequence %d missing: numbers skip", i)
				}
			}

			// Both instances offer every job at once: each runs once.
			ran := map[string]int{}
			var mu sync.Mutex
			for i := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					names, err := apps[i%2].Jobs(fmt.Sprintf("instance-%d", i)).RunDue(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, name := range names {
						ran[name]++
					}
					mu.Unlock()
				}()
			}
			wg.Wait()
			if len(ran) < 5 {
				t.Errorf("jobs run: %v; want every job", ran)
			}
			for name, k := range ran {
				if k != 1 {
					t.Errorf("job %s ran %d times", name, k)
				}
			}
		})
	}
}

// containsSeq reports whether a stage number ends with sequence i
// ({…}{unit code}{6-digit sequence}号).
func containsSeq(stage string, i int) bool {
	suffix := fmt.Sprintf("%06d号", i)
	return len(stage) >= len(suffix) && stage[len(stage)-len(suffix):] == suffix
}
