package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/testdb"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// The operator flow on a real database: seed, list accounts as JSON, make a
// token, and use it against a running server that then shuts down cleanly.
func TestSeedUserListTokenServe(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			db.Close()
			ctx := context.Background()
			var out, errb bytes.Buffer
			if err := run(ctx, []string{"seed", "--demo", "--db", dsn, "--cases", "40", "--seed", "3"}, env(nil), nil, &out, &errb); err != nil {
				t.Fatalf("seed: %v %s", err, errb.String())
			}
			out.Reset()
			if err := run(ctx, []string{"seed", "--demo", "--db", dsn, "--cases", "40"}, env(nil), nil, &out, &errb); err != nil ||
				!strings.Contains(out.String(), "already present") {
				t.Fatalf("second seed: %v %s", err, out.String())
			}
			out.Reset()
			if err := run(ctx, []string{"user", "list", "--json", "--db", dsn}, env(nil), nil, &out, &errb); err != nil {
				t.Fatal(err)
			}
			var users []map[string]any
			if err := json.Unmarshal(out.Bytes(), &users); err != nil {
				t.Fatalf("user list --json: %v\n%s", err, out.String())
			}
			if len(users) < 50 {
				t.Fatalf("only %d accounts", len(users))
			}
			for _, k := range []string{"username", "name", "unit_code", "unit_name", "roles"} {
				if _, ok := users[0][k]; !ok {
					t.Errorf("account JSON lacks %q: %v", k, users[0])
				}
			}
			out.Reset()
			if err := run(ctx, []string{"token", "create", "--user", "kashi_cm", "--ttl", "1h", "--db", dsn}, env(nil), nil, &out, &errb); err != nil {
				t.Fatal(err)
			}
			token := strings.TrimSpace(out.String())

			sctx, cancel := context.WithCancel(ctx)
			ready := make(chan string, 1)
			done := make(chan error, 1)
			go func() {
				done <- cmdServe(sctx, []string{"--db", dsn, "--addr", "127.0.0.1:0", "--log-format", "text"}, env(nil), io.Discard, io.Discard, ready)
			}()
			addr := <-ready
			req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"username":"kashi_cm"`) {
				t.Fatalf("GET /api/v1/me: %d %s", resp.StatusCode, body)
			}
			for _, p := range []string{"/healthz", "/readyz"} {
				resp, err := http.Get("http://" + addr + p)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("%s: %v %v", p, err, resp)
				}
				resp.Body.Close()
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve did not stop cleanly: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
		})
	}
}

func TestBadArgumentsAreRefusedWithEveryProblem(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "x.db")
	cases := []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"nonsense"}, nil, []string{"unknown command"}},
		{[]string{"serve", "--db", "mysql://x", "--addr", "nowhere"}, map[string]string{"ANGUAN_IDLE_TIMEOUT": "soon"}, []string{"db:", "addr:", "ANGUAN_IDLE_TIMEOUT"}},
		{[]string{"seed", "--db", db}, nil, []string{"--demo"}},
		{[]string{"seed", "--demo", "--db", db, "--cases", "-5", "--password", ""}, nil, []string{"--cases", "--password"}},
		{[]string{"token", "create", "--db", db}, nil, []string{"--user"}},
		{[]string{"token", "create", "--db", db, "--user", "nobody"}, nil, []string{"nobody"}},
		{[]string{"migrate", "--db", db, "extra"}, nil, []string{"unexpected arguments"}},
	}
	for _, tc := range cases {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, env(tc.env), nil, &out, &errb)
		if err == nil {
			t.Errorf("%v: accepted", tc.args)
			continue
		}
		msg := err.Error() + errb.String()
		var ex exitError
		if errors.As(err, &ex) {
			msg += errb.String()
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: error %q does not mention %q", tc.args, msg, w)
			}
		}
	}
}
