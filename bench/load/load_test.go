package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/testdb"
)

// TestDrive runs the driver against a whole in-process server over a small
// demo seed, at 1 and 4 sessions with the bare SQL reference, on every
// test engine: every kind is requested at every level and nothing fails.
// It checks the driver works, not how fast the app is (no timed
// assertions: the figures are for the report).
func TestDrive(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			ctx := context.Background()
			f := apptest.New(t, db, nil)
			res, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Now: apptest.Now},
				seed.Options{Cases: 200, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			srv := f.Server(t)
			out := filepath.Join(t.TempDir(), "load.md")
			// Three users: a case manager and a prosecutor (one unit) and
			// an upper supervisor (a subtree), so both scopes of the bare
			// SQL run.
			args := []string{"-url", srv.URL, "-users", "kashi_cm,shule_chief,spp_upper", "-password", res.Password,
				"-sessions", "1,4", "-duration", "1s", "-warmup", "200ms", "-think", "20ms", "-db", dsn,
				"-engine-label", e.Name + ", 200 demo cases", "-out", out}
			var stderr bytes.Buffer
			cfg, err := parseFlags(args, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			// Every kind at every level, however slow the machine (the
			// race detector on a busy CI runner made one session finish
			// only four requests in a second).
			cfg.minRounds = 1
			r, err := drive(ctx, cfg, &stderr)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			if len(r.levels) != 2 || r.levels[0].sessions != 1 || r.levels[1].sessions != 4 {
				t.Fatalf("levels: %+v", r.levels)
			}
			for _, l := range r.levels {
				for _, part := range []struct {
					name string
					s    *sample
				}{{"HTTP", l.http}, {"bare SQL", l.sql}} {
					if part.s == nil {
						t.Fatalf("%d sessions: no %s sample", l.sessions, part.name)
					}
					for k := range numKinds {
						if part.s.requests(k) == 0 {
							t.Errorf("%d sessions, %s: no %s request", l.sessions, part.name, k)
						}
						if n := part.s.failed(k); n > 0 {
							t.Errorf("%d sessions, %s, %s: %d failed: %v", l.sessions, part.name, k, n, part.s.errs[k])
						}
					}
				}
			}
			report := r.markdown(cfg, args)
			for _, want := range []string{"Machine (load driver): ", "| Request | Sessions | Requests | Errors |",
				"| search `GET /cases?q=` | 4 |", "| Sessions | HTTP req/s |", e.Name + ", 200 demo cases"} {
				if !strings.Contains(report, want) {
					t.Errorf("report lacks %q:\n%s", want, report)
				}
			}
			if strings.Contains(report, res.Password) {
				t.Error("the report shows the password")
			}
			if strings.Contains(report, "Failures:") {
				t.Errorf("report lists failures:\n%s", report)
			}
			t.Log("\n" + report)
		})
	}
}

// TestRunWrongPassword: a wrong password stops the run at the first login
// (before the lockout could count five) with status 1 and says why.
func TestRunWrongPassword(t *testing.T) {
	db, _ := testdb.Engines(t)[0].Open(t)
	f := apptest.New(t, db, nil)
	srv := f.Server(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-url", srv.URL, "-users", "a_case_manager", "-password", "Wrong@2026x",
		"-sessions", "3", "-duration", "1s"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "wrong username or password") {
		t.Fatalf("status %d, stderr %q", code, stderr.String())
	}
}

func TestFlags(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "anguan.db")
	if err := os.WriteFile(dbFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ok := []string{"-url", "http://127.0.0.1:8080"}
	bad := []struct {
		name string
		args []string
		want string // in the message
	}{
		{"no url", nil, "-url: required"},
		{"url without scheme", []string{"-url", "127.0.0.1:8080"}, "-url"},
		{"url scheme", []string{"-url", "ftp://127.0.0.1"}, "scheme must be http or https"},
		{"url without host", []string{"-url", "http://"}, "no host"},
		{"url with path", []string{"-url", "http://127.0.0.1:8080/cases"}, "site root only"},
		{"url with user", []string{"-url", "http://kashi_cm:x@127.0.0.1:8080"}, "no user information"},
		{"sessions zero", append(ok, "-sessions", "0"), "-sessions"},
		{"sessions negative", append(ok, "-sessions", "1,-5"), "between 1 and"},
		{"sessions word", append(ok, "-sessions", "1,many"), "not a whole number"},
		{"sessions empty item", append(ok, "-sessions", "1,,200"), "not a whole number"},
		{"sessions too many", append(ok, "-sessions", "20000"), "between 1 and"},
		{"duration zero", append(ok, "-duration", "0s"), "-duration 0s: must be positive"},
		{"duration negative", append(ok, "-duration", "-3s"), "must be positive"},
		{"duration unparsable", append(ok, "-duration", "20"), "invalid value"},
		{"warmup negative", append(ok, "-warmup", "-1s"), "-warmup"},
		{"think negative", append(ok, "-think", "-1s"), "-think"},
		{"think too long", append(ok, "-think", "2m"), "-think"},
		{"users empty", append(ok, "-users", ""), "empty username"},
		{"users empty item", append(ok, "-users", "kashi_cm,,x"), "empty username"},
		{"password empty", append(ok, "-password", ""), "-password"},
		{"db engine", append(ok, "-db", "mysql://root:secret@h/db"), "want sqlite:PATH or postgres://"},
		{"db password hidden", append(ok, "-db", "mysql://root:secret@h/db"), "xxxxx"},
		{"db missing file", append(ok, "-db", "sqlite:"+filepath.Join(dir, "none.db")), "does not exist"},
		{"db empty path", append(ok, "-db", "sqlite:"), "empty SQLite path"},
		{"out directory", append(ok, "-out", filepath.Join(dir, "no", "load.md")), "does not exist"},
		{"extra argument", append(ok, "200"), "unexpected arguments"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			_, err := parseFlags(c.args, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), c.want) {
				t.Fatalf("err %v, stderr %q: want %q", err, stderr.String(), c.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the message shows the DSN password: %v", err)
			}
			stderr.Reset()
			if code := run(context.Background(), c.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit status %d, want 2 (stderr %q)", code, stderr.String())
			}
		})
	}

	cfg, err := parseFlags([]string{"-url", "https://anguan.example:8443/", "-users", " kashi_cm , spp_upper",
		"-sessions", "200,1,50", "-db", "sqlite:" + dbFile}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.base.String() != "https://anguan.example:8443" || strings.Join(cfg.users, "|") != "kashi_cm|spp_upper" ||
		cfg.maxLevel() != 200 || len(cfg.levels) != 3 || cfg.duration != 20*time.Second ||
		cfg.warmup != 3*time.Second || cfg.password != "Demo@2026" {
		t.Errorf("parsed %+v", cfg)
	}
}

func TestPercentile(t *testing.T) {
	s := newSample()
	for i := 100; i >= 1; i-- { // unsorted on purpose
		s.add(kindList, time.Duration(i)*time.Millisecond, nil)
	}
	for p, want := range map[float64]time.Duration{0.50: 50 * time.Millisecond, 0.95: 95 * time.Millisecond,
		0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got, _ := s.percentile(kindList, p); got != want {
			t.Errorf("p%.0f = %s, want %s", p*100, got, want)
		}
	}
	if _, ok := s.percentile(kindBoard, 0.5); ok {
		t.Error("a percentile of no requests")
	}
}

func TestCommandLineHidesSecrets(t *testing.T) {
	got := commandLine([]string{"-url", "http://127.0.0.1:8080", "-password", "Demo@2026", "-password=Demo@2026",
		"-db=postgres://app:secret@db:5432/anguan", "-db", "postgres://app:secret@db/anguan", "-engine-label", "PostgreSQL 16"})
	if strings.Contains(got, "Demo@2026") || strings.Contains(got, "secret") {
		t.Errorf("secrets shown: %s", got)
	}
	if !strings.Contains(got, "'PostgreSQL 16'") || !strings.Contains(got, "-url http://127.0.0.1:8080") {
		t.Errorf("command line: %s", got)
	}
}
