// Package config is the run-time configuration (配置): read once from the
// environment and command-line flags (flags win), validated with every
// problem listed at once, and passed down explicitly (no globals).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/deadline"
)

// Config is everything the binary can be told.
type Config struct {
	DB            string // sqlite:PATH or postgres://…
	Addr          string // listen address of serve and demo
	LogFormat     string // json or text
	SecureCookies bool   // behind TLS: __Host- cookie with Secure
	// Jobs runs the periodic work (scans, refreshes) in this instance;
	// false makes a web-only instance beside one that runs them.
	Jobs               bool
	IdleTimeout        time.Duration
	LockoutFailures    int
	LockoutDuration    time.Duration
	PasswordMinLength  int
	PasswordMinClasses int
	ShutdownTimeout    time.Duration
	// Warnings are the days before a due date a clock turns yellow and
	// orange, per case category (DOMAIN §5: practice differs by office).
	Warnings deadline.WarningSettings
}

// Defaults are the production defaults (DOMAIN §11 for the security ones).
func Defaults() Config {
	return Config{DB: "sqlite:data/anguan.db", Addr: "127.0.0.1:8080", LogFormat: "json", Jobs: true,
		IdleTimeout: 30 * time.Minute, LockoutFailures: 5, LockoutDuration: 15 * time.Minute,
		PasswordMinLength: 8, PasswordMinClasses: 3, ShutdownTimeout: 15 * time.Second,
		Warnings: deadline.DefaultWarningSettings()}
}

// Load reads the environment, then the flags of one sub-command. Unknown
// flags are errors. rest holds the arguments after the flags.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, []string, error) {
	c := Defaults()
	var errs []error
	env := func(key string, set func(string) error) {
		if v := getenv(key); v != "" {
			if err := set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
		}
	}
	str := func(p *string) func(string) error { return func(v string) error { *p = v; return nil } }
	dur := func(p *time.Duration) func(string) error {
		return func(v string) (err error) { *p, err = time.ParseDuration(v); return err }
	}
	num := func(p *int) func(string) error {
		return func(v string) (err error) { *p, err = strconv.Atoi(v); return err }
	}
	boolean := func(p *bool) func(string) error {
		return func(v string) (err error) { *p, err = strconv.ParseBool(v); return err }
	}
	env("ANGUAN_DB", str(&c.DB))
	env("ANGUAN_ADDR", str(&c.Addr))
	env("ANGUAN_LOG_FORMAT", str(&c.LogFormat))
	env("ANGUAN_SECURE_COOKIES", boolean(&c.SecureCookies))
	env("ANGUAN_JOBS", boolean(&c.Jobs))
	env("ANGUAN_IDLE_TIMEOUT", dur(&c.IdleTimeout))
	env("ANGUAN_LOCKOUT_FAILURES", num(&c.LockoutFailures))
	env("ANGUAN_LOCKOUT_DURATION", dur(&c.LockoutDuration))
	env("ANGUAN_PASSWORD_MIN_LENGTH", num(&c.PasswordMinLength))
	env("ANGUAN_PASSWORD_MIN_CLASSES", num(&c.PasswordMinClasses))
	env("ANGUAN_WARN_DAYS", func(v string) (err error) { c.Warnings, err = parseWarnings(v); return err })

	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", c.DB, "database: sqlite:PATH or postgres://… (ANGUAN_DB)")
	if name == "serve" || name == "demo" {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (ANGUAN_ADDR)")
		fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "json or text (ANGUAN_LOG_FORMAT)")
		fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "serve behind TLS: Secure __Host- cookie (ANGUAN_SECURE_COOKIES)")
		fs.BoolVar(&c.Jobs, "jobs", c.Jobs, "run the periodic scans and refreshes in this instance; --jobs=false for a web-only instance (ANGUAN_JOBS)")
	}
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, fs.Args(), errors.Join(errs...)
}

// Validate checks every setting and lists all problems.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		bad("db: %q is neither sqlite:PATH nor postgres://…", c.DB)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr: %v", err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		bad("log-format: %q is neither json nor text", c.LogFormat)
	}
	if c.IdleTimeout < time.Minute || c.IdleTimeout > 24*time.Hour {
		bad("idle timeout %s: must be between 1m and 24h", c.IdleTimeout)
	}
	if c.LockoutFailures < 1 || c.LockoutFailures > 100 {
		bad("lockout failures %d: must be between 1 and 100", c.LockoutFailures)
	}
	if c.LockoutDuration < time.Minute {
		bad("lockout duration %s: must be at least 1m", c.LockoutDuration)
	}
	if c.PasswordMinLength < 8 || c.PasswordMinLength > 64 {
		bad("password min length %d: must be between 8 and 64", c.PasswordMinLength)
	}
	if c.PasswordMinClasses < 1 || c.PasswordMinClasses > 4 {
		bad("password min classes %d: must be between 1 and 4", c.PasswordMinClasses)
	}
	if err := c.Warnings.Validate(); err != nil {
		bad("warn days: %v", err)
	}
	return errors.Join(errs...)
}

// Account turns the configuration into the account settings.
func (c Config) Account() account.Settings {
	s := account.DefaultSettings()
	s.Policy.MinLength, s.Policy.MinClasses = c.PasswordMinLength, c.PasswordMinClasses
	s.MaxFailures, s.LockFor, s.IdleTimeout = c.LockoutFailures, c.LockoutDuration, c.IdleTimeout
	return s
}

// parseWarnings reads ANGUAN_WARN_DAYS: comma-separated entries
// "category=yellow" or "category=yellow/orange" ("default" for every other
// category), over the defaults. Example: "prosecution_review=5,arrest_review=2/1".
func parseWarnings(v string) (deadline.WarningSettings, error) {
	w := deadline.DefaultWarningSettings()
	known := append(deadline.Categories(), "default")
	for _, entry := range strings.Split(v, ",") {
		cat, days, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok || !slices.Contains(known, cat) {
			return w, fmt.Errorf("%q: want category=yellow[/orange] with a category of %v", entry, known)
		}
		th := deadline.Thresholds{Orange: 1}
		yellow, orange, hasOrange := strings.Cut(days, "/")
		var err error
		if th.Yellow, err = strconv.Atoi(yellow); err != nil || th.Yellow < 0 || th.Yellow > 60 {
			return w, fmt.Errorf("%q: yellow days must be a number from 0 to 60", entry)
		}
		if hasOrange {
			if th.Orange, err = strconv.Atoi(orange); err != nil || th.Orange < 0 || th.Orange > th.Yellow {
				return w, fmt.Errorf("%q: orange days must be a number from 0 to the yellow days", entry)
			}
		}
		if cat == "default" {
			w.Default = th
		} else {
			w.Categories[cat] = th
		}
	}
	return w, nil
}
