// Package server assembles the application (服务): it wires the domain
// services over one store, mounts the web pages and the JSON API, and adds
// the cross-cutting middleware (request ids, logging without personal data,
// panic recovery, cross-origin protection, body limits) and the health
// endpoints.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/calendar"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/config"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/jobs"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/web"
)

// MaxBody caps every request body (1 MiB): nothing anguan accepts is larger.
const MaxBody = 1 << 20

// App holds the wired services.
type App struct {
	DB         *store.DB
	T          *i18n.Catalog
	Accounts   *account.Service
	Org        *org.Service
	Cases      *casefile.Service
	Board      *casefile.Board
	Calendar   *calendar.Service
	Monitor    *monitor.Service
	Evaluation *evaluation.Service
	Data       *dataquality.Service
	Stats      *stats.Service
	Aid        *aid.Service
	Assigner   *casefile.Assigner
	Pools      *casefile.Pools
	Audit      *audit.Reader
	Log        *slog.Logger
	Config     config.Config
	Now        func() time.Time
}

// NewApp wires the services over db.
func NewApp(db *store.DB, cfg config.Config, log *slog.Logger, now func() time.Time) (*App, error) {
	t, err := i18n.Load(i18n.DefaultLang)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	a := &App{DB: db, T: t, Log: log, Config: cfg, Now: now}
	a.Accounts = account.NewService(db, cfg.Account(), now)
	a.Org = org.NewService(db, a.Accounts.Policy())
	a.Cases = casefile.NewService(db, now)
	a.Cases.SetWarnings(cfg.Warnings)
	a.Board = casefile.NewBoard(db, a.Cases)
	a.Calendar = calendar.NewService(db, a.Cases, a.Board, now)
	a.Monitor = monitor.NewService(db, now, func() *deadline.Engine { return a.Cases.Clocker().Engine })
	a.Evaluation = evaluation.NewService(db, now, func() *deadline.Engine { return a.Cases.Clocker().Engine }, t.T)
	// Every closed case is checked (每案必检): its self-check task is opened
	// when it closes. Best effort: the hourly scan opens any task missed.
	a.Cases.OnClosed(func(ctx context.Context, caseID int64) {
		if _, err := a.Evaluation.OpenSelfCheck(ctx, caseID); err != nil {
			log.WarnContext(ctx, "self-check task", "case", caseID, "err", err)
		}
	})
	a.Data, err = dataquality.NewService(db, now, func() *deadline.Calendar { return a.Cases.Clocker().Engine.Calendar() })
	if err != nil {
		return nil, err
	}
	// Every change of a case rewrites its card in the same transaction,
	// and checks it there: the card and its problem list commit together.
	db.SetCardCheck(a.Data.CheckCaseCard)
	a.Stats, err = stats.NewService(db, now)
	if err != nil {
		return nil, err
	}
	a.Aid = aid.NewService(db, now, t.T)
	// The goals' measures: indicators for goal (2), working days for (3).
	a.Aid.SetIndicators(aidIndicators{a.Stats})
	a.Aid.SetWorkingDays(workingDay(func() *deadline.Calendar { return a.Cases.Clocker().Engine.Calendar() }))
	a.Assigner = casefile.NewAssigner(a.Cases, db, t.T)
	a.Pools = casefile.NewPools(db, a.Cases, func(ctx context.Context, unitID int64) ([]int64, error) {
		deps, err := db.Departments(ctx, unitID)
		ids := make([]int64, len(deps))
		for i, d := range deps {
			ids[i] = d.ID
		}
		return ids, err
	})
	a.Audit = audit.NewReader(db)
	return a, nil
}

// Jobs is the periodic work every instance offers to do; the database
// decides which instance does each run (see package jobs). holder names
// this instance.
func (a *App) Jobs(holder string) *jobs.Runner {
	return jobs.NewRunner(a.DB, holder, a.Log,
		// Daily: states and due dates of suspended clocks follow the days
		// that pass, and a calendar imported on another instance reaches
		// every clock.
		jobs.Job{Name: "clocks.refresh", Every: 24 * time.Hour, Lease: time.Hour, Run: func(ctx context.Context) (string, error) {
			if err := a.Calendar.Load(ctx); err != nil {
				return "", err
			}
			n, err := a.Board.Recompute(ctx, audit.System("clocks.refresh"))
			return fmt.Sprintf("cases=%d", n), err
		}},
		// Every few minutes: the monitoring rules over the open cases
		// (R665: real-time supervision), then the automatic escalation
		// of notices whose reply is overdue.
		jobs.Job{Name: "monitor.scan", Every: 5 * time.Minute, Lease: 30 * time.Minute, Run: func(ctx context.Context) (string, error) {
			run, err := a.Monitor.Scan(ctx, a.Monitor.Today())
			return fmt.Sprintf("cases=%d hits=%d created=%d", run.Cases, run.Hits, run.Created), err
		}},
		jobs.Job{Name: "monitor.escalate", Every: 5 * time.Minute, Run: func(ctx context.Context) (string, error) {
			n, err := a.Monitor.EscalateOverdue(ctx)
			return fmt.Sprintf("escalated=%d", n), err
		}},
		// Hourly: self-check tasks for cases closed without one (the
		// closing hook is best effort), and evaluation responses whose
		// objection period ran out.
		jobs.Job{Name: "evaluation.scan", Every: time.Hour, Lease: 30 * time.Minute, Run: func(ctx context.Context) (string, error) {
			since := a.Now().AddDate(0, 0, -31).Format(time.DateOnly)
			sc, err := a.Evaluation.ScanSelfChecks(ctx, since)
			if err != nil {
				return "", err
			}
			n, err := a.Evaluation.LapseOverdue(ctx)
			return fmt.Sprintf("selfchecks=%d lapsed=%d", sc.Created, n), err
		}},
		// Nightly: every case card against every rule (DOMAIN §8: the
		// automated daily scan that pushes a problem list to each
		// handler), and previews nobody confirmed.
		// Every two minutes: the daily indicator cache catches up with
		// the days whose cases changed, so dashboards read sums.
		jobs.Job{Name: "stats.refresh", Every: 2 * time.Minute, Lease: 30 * time.Minute, Run: func(ctx context.Context) (string, error) {
			n, err := a.Stats.Refresh(ctx)
			return fmt.Sprintf("rows=%d", n), err
		}},
		jobs.Job{Name: "dataquality.scan", Every: 24 * time.Hour, Lease: 2 * time.Hour, Run: func(ctx context.Context) (string, error) {
			if _, err := a.Data.PurgeUploads(ctx); err != nil {
				return "", err
			}
			rec, err := a.Data.ScanAll(ctx)
			return fmt.Sprintf("cards=%d evaluations=%d hits=%d opened=%d fixed=%d", rec.Cards, rec.Evaluations,
				rec.Hits, rec.Opened, rec.Fixed), err
		}},
	)
}

// Handler builds the whole HTTP handler.
func (a *App) Handler() (http.Handler, error) {
	pages, err := web.New(web.Deps{Accounts: a.Accounts, Org: a.Org, Cases: a.Cases, Board: a.Board,
		Calendar: a.Calendar, Monitor: a.Monitor, Evaluation: a.Evaluation, Data: a.Data, Stats: a.Stats, Aid: a.Aid, Assigner: a.Assigner,
		Pools: a.Pools, Audit: a.Audit, T: a.T, Log: a.Log, SecureCookies: a.Config.SecureCookies, Now: a.Now})
	if err != nil {
		return nil, err
	}
	jsonAPI := api.New(api.Deps{Accounts: a.Accounts, Org: a.Org, Cases: a.Cases, Board: a.Board, Monitor: a.Monitor,
		Evaluation: a.Evaluation,
		Data:       a.Data,
		Stats:      a.Stats,
		Aid:        a.Aid,
		Assigner:   a.Assigner,
		T:          a.T, Log: a.Log})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.DB.Ping(ctx); err != nil {
			http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("/api/", jsonAPI)
	mux.Handle("/", pages)
	// Cross-origin protection (Go 1.25): unsafe requests from another
	// origin are refused, which is the CSRF defence for the cookie session.
	cop := http.NewCrossOriginProtection()
	return a.middleware(cop.Handler(mux)), nil
}

// UploadBody is the body limit of a case-card upload: the largest file
// accepted (casecard.MaxFileBytes) and room for the multipart envelope.
// Every other request is held to MaxBody.
const UploadBody = casecard.MaxFileBytes + 1<<20

// AidUploadBody is the body limit of a fund entry with its attachment
// (and of a course's material):
// the largest attachment, base64-encoded as the API takes it, and room for
// the rest of the entry.
const AidUploadBody = aid.MaxAttachmentBytes/3*4 + 1<<20

func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost {
		switch p := r.URL.Path; {
		case p == "/data/import", p == "/api/v1/data/imports":
			return UploadBody
		case strings.HasSuffix(p, "/ledger") && (strings.HasPrefix(p, "/aid/pairings/") || strings.HasPrefix(p, "/api/v1/aid/pairings/")):
			return AidUploadBody
		case strings.HasSuffix(p, "/materials") && (strings.HasPrefix(p, "/aid/courses/") || strings.HasPrefix(p, "/api/v1/aid/courses/")):
			return AidUploadBody
		}
	}
	return MaxBody
}

// middleware adds the request id, the client address, the body limit,
// panic recovery and one access-log line per request.
func (a *App) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		client, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			client = r.RemoteAddr
		}
		r = r.WithContext(reqctx.WithRequest(r.Context(), id, client))
		r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		sw.Header().Set("X-Request-Id", id)
		sw.Header().Set("X-Content-Type-Options", "nosniff")
		sw.Header().Set("X-Frame-Options", "DENY")
		sw.Header().Set("Referrer-Policy", "same-origin")
		defer func() {
			if rec := recover(); rec != nil {
				a.Log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", rec)
				if !sw.wrote {
					http.Error(sw, a.T.T("err.internal", id), http.StatusInternalServerError)
				}
			}
			// The path pattern, not the URL: no case ids or search words
			// (personal data) in the log.
			a.Log.InfoContext(r.Context(), "request", "request_id", id, "method", r.Method, "route", r.Pattern,
				"status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
