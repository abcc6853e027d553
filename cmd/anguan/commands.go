package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/config"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/server"
	"github.com/anguan/anguan/internal/store"
)

// open loads the configuration of a sub-command, opens and migrates the
// database and wires the services.
func open(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer,
	extra func(*flag.FlagSet)) (*server.App, []string, error) {
	cfg, rest, err := config.Load(name, args, getenv, stderr, extra)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("configuration:\n%w", err)
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	var handler slog.Handler = slog.NewJSONHandler(stderr, nil)
	if cfg.LogFormat == "text" {
		handler = slog.NewTextHandler(stderr, nil)
	}
	app, err := server.NewApp(db, cfg, slog.New(handler), nil)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	// The working-day calendar is data: every command computes deadlines
	// with the years stored in the database.
	if err := app.Calendar.Load(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return app, rest, nil
}

func noArgs(rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(rest, " "))
	}
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	app, rest, err := open(ctx, "migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	if _, err := app.Evaluation.InstallDefaults(ctx); err != nil {
		return err
	}
	if _, err := app.Data.InstallRules(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated (%s)\n", app.DB.Engine())
	return nil
}

// serve runs the HTTP server until ctx ends, then drains in-flight
// requests. ready, when set, receives the bound address (tests use :0).
func serve(ctx context.Context, app *server.App, stdout io.Writer, ready chan<- string) error {
	// The shipped evaluation templates, once (a template in use is never
	// changed; an edited one is a new version).
	if _, err := app.Evaluation.InstallDefaults(ctx); err != nil {
		return err
	}
	// The shipped data-quality rules, once each (an edited rule is a new
	// version); then the stored library is the one in use.
	if _, err := app.Data.InstallRules(ctx); err != nil {
		return err
	}
	h, err := app.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", app.Config.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(stdout, "anguan serving http://%s (%s)\n", ln.Addr(), app.DB.Engine())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if app.Config.Jobs {
		go app.Jobs(instanceName()).Loop(ctx, time.Minute)
	} else {
		app.Log.Info("periodic jobs off in this instance (--jobs=false): another instance must run them")
	}
	// The planner's statistics follow the tables as they grow (see
	// store.Optimize); several instances doing it is harmless.
	go every(ctx, app, 6*time.Hour, "optimize", app.DB.Optimize)
	// A holiday year imported through another instance (or the command
	// line) is picked up within ten minutes.
	go every(ctx, app, 10*time.Minute, "calendar reload", app.Calendar.Load)
	// A rule edited through another instance is in use here within ten
	// minutes.
	go every(ctx, app, 10*time.Minute, "data-quality rules reload", app.Data.LoadRules)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), app.Config.ShutdownTimeout)
	defer cancel()
	app.Log.Info("shutting down")
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	return nil
}

// instanceName identifies this process in the jobs table.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// every runs fn every d until ctx ends, logging its errors: work each
// instance does for itself (unlike the claimed jobs).
func every(ctx context.Context, app *server.App, d time.Duration, name string, fn func(context.Context) error) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				app.Log.Error(name, "err", err.Error())
			}
		}
	}
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	app, rest, err := open(ctx, "serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	return serve(ctx, app, stdout, ready)
}

type seedFlags struct {
	demo     bool
	scale    string
	cases    int
	password string
	seed     uint64
	progress io.Writer // where a large seed reports progress; nil for none
}

func (s *seedFlags) register(withDemo bool) func(*flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		if withDemo {
			fs.BoolVar(&s.demo, "demo", false, "seed the demo organisation, accounts and synthetic cases")
		}
		if withDemo {
			fs.StringVar(&s.scale, "scale", "", "size of the synthetic data: "+strings.Join(seed.ScaleNames(), "|")+
				" (DOMAIN §12; province and nation add invented units)")
		}
		fs.IntVar(&s.cases, "cases", 0, fmt.Sprintf("number of synthetic cases (default %d, or the scale's size)",
			seed.DefaultCases))
		fs.StringVar(&s.password, "password", seed.DefaultPassword, "password of every demo account")
		fs.Uint64Var(&s.seed, "seed", seed.DefaultSeed, "random seed (same seed, same data)")
	}
}

func (s *seedFlags) validate() error {
	var errs []error
	if s.cases < 0 || s.cases > seed.MaxCases {
		errs = append(errs, fmt.Errorf("--cases %d: must be between 1 and %d", s.cases, seed.MaxCases))
	}
	if s.scale != "" {
		n, ok := seed.ScaleCases(s.scale)
		if !ok {
			errs = append(errs, fmt.Errorf("--scale %q: must be one of %s", s.scale, strings.Join(seed.ScaleNames(), ", ")))
		} else if s.cases == 0 {
			s.cases = n
		}
	}
	if s.password == "" {
		errs = append(errs, errors.New("--password: must not be empty"))
	}
	return errors.Join(errs...)
}

// runSeed seeds the demo with the calendar in force, then runs the first
// monitoring scan and a few graded responses over it.
func runSeed(ctx context.Context, app *server.App, s seedFlags) (seed.Result, error) {
	k := app.Cases.Clocker()
	deps := seed.Deps{Org: app.Org, Store: app.DB, T: app.T.T, Clocker: &k, Hash: app.Accounts.Policy().Hash}
	if s.progress != nil {
		start, step := time.Now(), max(s.cases/20, seed.BatchSize)
		deps.Progress = func(done, total int) {
			if done%step < seed.BatchSize || done == total {
				rate := float64(done) / time.Since(start).Seconds()
				fmt.Fprintf(s.progress, "seed: %d of %d cases (%.0f per second)\n", done, total, rate)
			}
		}
	}
	step := func(name string, began time.Time) {
		if s.progress != nil {
			fmt.Fprintf(s.progress, "seed: %s in %s\n", name, time.Since(began).Round(100*time.Millisecond))
		}
	}
	began := time.Now()
	res, err := seed.Demo(ctx, deps, seed.Options{Cases: s.cases, Password: s.password, Seed: s.seed, Scale: s.scale})
	if err != nil || res.AlreadySeeded {
		return res, err
	}
	step("organisation and cases", began)
	began = time.Now()
	if _, err = seed.Monitoring(ctx, seed.MonitorDeps{Org: app.Org, Monitor: app.Monitor}); err != nil {
		return res, err
	}
	step("monitoring scan", began)
	began = time.Now()
	if _, err = seed.Evaluation(ctx, seed.EvaluationDeps{Org: app.Org, Evaluation: app.Evaluation, Seed: int64(s.seed)}); err != nil {
		return res, err
	}
	step("self-checks and evaluations", began)
	began = time.Now()
	vocab, err := app.Data.Vocabulary(ctx)
	if err != nil {
		return res, err
	}
	if _, err = seed.DataQuality(ctx, seed.DataDeps{Org: app.Org, Data: app.Data, Vocab: vocab, Seed: s.seed, Now: app.Now()}); err != nil {
		return res, err
	}
	if _, err = seed.StatsShares(ctx, app.DB); err != nil {
		return res, err
	}
	step("card imports", began)
	began = time.Now()
	if _, err = seed.Aid(ctx, seed.AidDeps{Units: app.DB, Aid: app.Aid}); err != nil {
		return res, err
	}
	step("paired assistance", began)
	began = time.Now()
	// The indicator cache, so the first dashboard reads sums.
	_, err = app.Stats.Refresh(ctx)
	step("indicator cache", began)
	return res, err
}

func printAccounts(w io.Writer, t *i18n.Catalog, res seed.Result) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, t.T("cli.accounts_header"))
	for _, a := range res.Accounts {
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Username, a.Name, a.UnitName, strings.Join(roles, ","))
	}
	tw.Flush()
}

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s := seedFlags{progress: stderr}
	app, rest, err := open(ctx, "seed", args, getenv, stderr, s.register(true))
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := errors.Join(noArgs(rest), s.validate()); err != nil {
		return err
	}
	if !s.demo && s.scale == "" {
		return errors.New("seed: give --demo or --scale (only synthetic data is generated)")
	}
	began := time.Now()
	res, err := runSeed(ctx, app, s)
	if err != nil {
		return err
	}
	if res.AlreadySeeded {
		fmt.Fprintln(stdout, "demo data already present; nothing written")
		return nil
	}
	fmt.Fprintf(stdout, "seeded %d units, %d demo accounts, %d pools, %d cases (seed %d) in %s\n", res.Units,
		len(res.Accounts), res.Pools, res.Cases, res.Seed, time.Since(began).Round(time.Second))
	return nil
}

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var s seedFlags
	app, rest, err := open(ctx, "demo", args, getenv, stderr, s.register(false))
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := errors.Join(noArgs(rest), s.validate()); err != nil {
		return err
	}
	res, err := runSeed(ctx, app, s)
	if err != nil {
		return err
	}
	if res.AlreadySeeded {
		fmt.Fprintln(stdout, app.T.T("cli.demo_present"))
	} else {
		fmt.Fprintln(stdout, app.T.T("cli.demo_seeded", res.Units, len(res.Accounts), res.Cases, res.Seed))
		fmt.Fprintln(stdout, app.T.T("cli.demo_password", s.password))
		printAccounts(stdout, app.T, res)
	}
	return serve(ctx, app, stdout, nil)
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return errors.New("usage: anguan user list [--json]")
	}
	var asJSON bool
	app, rest, err := open(ctx, "user list", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON lines")
	})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	users, err := app.Org.AllUsers(ctx)
	if err != nil {
		return err
	}
	sort.SliceStable(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	if asJSON {
		type row struct {
			Username string   `json:"username"`
			Name     string   `json:"name"`
			UnitCode string   `json:"unit_code"`
			UnitName string   `json:"unit_name"`
			Roles    []string `json:"roles"`
		}
		out := make([]row, 0, len(users))
		for _, u := range users {
			j := api.UserJSON(u)
			out = append(out, row{Username: j.Username, Name: j.Name, UnitCode: j.UnitCode, UnitName: j.UnitName, Roles: j.Roles})
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, app.T.T("cli.accounts_header"))
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Name, u.UnitName, strings.Join(api.UserJSON(u).Roles, ","))
	}
	return tw.Flush()
}

func cmdToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: anguan token create --user NAME [--ttl 24h]")
	}
	var user, name string
	var ttl time.Duration
	app, rest, err := open(ctx, "token create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&user, "user", "", "username the token acts as (required)")
		fs.DurationVar(&ttl, "ttl", 24*time.Hour, "lifetime")
		fs.StringVar(&name, "name", "cli", "label")
	})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	if user == "" {
		return errors.New("--user is required")
	}
	tok, exp, err := app.Accounts.IssueTokenFor(ctx, user, name, ttl)
	if err != nil {
		return fmt.Errorf("token for %q: %w", user, err)
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintf(stderr, "expires %s\n", exp.UTC().Format(time.RFC3339))
	return nil
}

func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: anguan audit verify")
	}
	app, rest, err := open(ctx, "audit verify", args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	n, err := app.DB.VerifyAudit(ctx)
	var p *audit.Problem
	if errors.As(err, &p) {
		fmt.Fprintf(stdout, "audit chain BROKEN at entry %d (%s)\n", p.Seq, p.Reason)
		return exitError(3)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit chain intact: %d entries\n", n)
	return nil
}
