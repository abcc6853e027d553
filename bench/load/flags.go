package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxSessions bounds a level: each session is a login (an argon2 hash on
// the server) and a connection, and a typo such as 20000 for 200 would
// otherwise lock up the machine instead of failing.
const maxSessions = 5000

// config is the validated command line.
type config struct {
	base        *url.URL // scheme and host only
	users       []string
	password    string
	levels      []int // concurrent sessions per level, in the order given
	duration    time.Duration
	warmup      time.Duration
	think       time.Duration
	minRounds   int    // see worker; set by the driver's test only
	dsn         string // "" when no bare SQL reference is wanted
	engineLabel string
	out         string // "" for stdout
}

// maxLevel is the most sessions any level needs: all are logged in once.
func (c config) maxLevel() int {
	n := 0
	for _, l := range c.levels {
		n = max(n, l)
	}
	return n
}

// parseFlags parses and validates args. Every problem is reported at once,
// so an operator fixes the command line in one go.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "", "base URL of a running `anguan serve`, e.g. http://127.0.0.1:8080 (required)")
	users := fs.String("users", "kashi_cm", "comma-separated usernames; sessions are spread over them round-robin")
	password := fs.String("password", "Demo@2026", "password of every user")
	sessions := fs.String("sessions", "1,50,200", "comma-separated concurrent sessions, one level each")
	duration := fs.Duration("duration", 20*time.Second, "measured time per level")
	warmup := fs.Duration("warmup", 3*time.Second, "unmeasured time before each level's measurement")
	think := fs.Duration("think", 0, "mean pause between a session's requests (0: closed loop, measures capacity)")
	dsn := fs.String("db", "", "the server's database (sqlite:PATH or postgres://…) to measure the bare SQL reference; optional")
	label := fs.String("engine-label", "", "engine and data size for the report, e.g. 'SQLite, 1,000,000 cases'")
	out := fs.String("out", "", "Markdown report file (default stdout)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if fs.NArg() > 0 {
		bad("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	cfg := config{password: *password, duration: *duration, warmup: *warmup, think: *think, dsn: strings.TrimSpace(*dsn),
		engineLabel: strings.TrimSpace(*label), out: *out}
	var err error
	if cfg.base, err = parseBase(*rawURL); err != nil {
		bad("-url: %v", err)
	}
	if cfg.users, err = parseUsers(*users); err != nil {
		bad("-users: %v", err)
	}
	if cfg.password == "" {
		bad("-password: must not be empty")
	}
	if cfg.levels, err = parseLevels(*sessions); err != nil {
		bad("-sessions: %v", err)
	}
	if cfg.duration <= 0 {
		bad("-duration %s: must be positive", cfg.duration)
	}
	if cfg.think < 0 || cfg.think > time.Minute {
		bad("-think %s: must be between 0 and 1m", cfg.think)
	}
	if cfg.warmup < 0 {
		bad("-warmup %s: must not be negative", cfg.warmup)
	}
	if cfg.dsn != "" {
		if err := checkDSN(cfg.dsn); err != nil {
			bad("-db: %v", err)
		}
	}
	if cfg.out != "" {
		// Checked now, not after a run of several minutes.
		if st, err := os.Stat(filepath.Dir(cfg.out)); err != nil || !st.IsDir() {
			bad("-out %s: directory %s does not exist", cfg.out, filepath.Dir(cfg.out))
		}
	}
	if len(errs) > 0 {
		return config{}, fmt.Errorf("invalid flags:\n%w", errors.Join(errs...))
	}
	return cfg, nil
}

// parseBase accepts the site root only: the app's pages link with absolute
// paths, so it cannot live under a path prefix.
func parseBase(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("required (e.g. http://127.0.0.1:8080)")
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", s)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: scheme must be http or https", s)
	case u.Host == "":
		return nil, fmt.Errorf("%q: no host", s)
	case u.User != nil:
		return nil, fmt.Errorf("%q: no user information in the URL (use -users and -password)", s)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("%q: give the site root only (scheme://host:port)", s)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func parseUsers(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("%q: empty username", s)
		}
		out = append(out, f)
	}
	return out, nil
}

func parseLevels(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q: %q is not a whole number", s, f)
		}
		if n < 1 || n > maxSessions {
			return nil, fmt.Errorf("%q: %d must be between 1 and %d", s, n, maxSessions)
		}
		out = append(out, n)
	}
	return out, nil
}

// engineOf names the engine of a DSN in the app's own form (see
// internal/store.Open): "sqlite:PATH" or a bare path ending in .db, or
// "postgres://…".
func engineOf(dsn string) string {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres"
	case strings.HasPrefix(dsn, "sqlite:"), strings.HasSuffix(dsn, ".db"):
		return "sqlite"
	}
	return ""
}

func checkDSN(dsn string) error {
	switch engineOf(dsn) {
	case "postgres":
		if _, err := url.Parse(dsn); err != nil {
			return errors.New("not a valid postgres:// URL")
		}
		return nil
	case "sqlite":
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return errors.New("empty SQLite path")
		}
		// The reference reads the server's file; opening a missing one
		// would create an empty database and measure nothing.
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			return fmt.Errorf("SQLite file %s does not exist", path)
		}
		return nil
	}
	return fmt.Errorf("%q: want sqlite:PATH or postgres://…", redact(dsn))
}

// redact hides a password in a DSN, which ends up in messages and in the
// report's command line.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
