package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

func boardCases() int {
	if n, err := strconv.Atoi(os.Getenv("ANGUAN_BENCH_BOARD_CASES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// openCases builds n open cases in the demo's receiving units: assigned to
// one of the unit's prosecutors, received over the last 100 days, with
// their clocks derived by the same engine as live cases, so the board has
// every colour in realistic proportions.
func openCases(r *rand.Rand, staff map[int64][]org.User, n int, today time.Time, k casefile.Clocker) ([]seed.Case, error) {
	units := make([]int64, 0, len(staff))
	for id := range staff {
		units = append(units, id)
	}
	slices.Sort(units)
	td := deadline.Today(today)
	cats := []string{"prosecution_review", "prosecution_review", "prosecution_review", "arrest_review",
		"civil_supervision", "admin_supervision"}
	out := make([]seed.Case, 0, n)
	for i := range n {
		unit := units[r.IntN(len(units))]
		h := staff[unit][r.IntN(len(staff[unit]))]
		cat := cats[r.IntN(len(cats))]
		recv := casefile.LegalDate(today.AddDate(0, 0, -r.IntN(100)))
		if cat == "arrest_review" {
			recv = casefile.LegalDate(today.AddDate(0, 0, -r.IntN(25)))
		}
		criminal := cat == "prosecution_review" || cat == "arrest_review"
		c := seed.Case{CreatedBy: h.ID}
		c.Case = casefile.Case{UnitID: unit, Category: cat, Name: fmt.Sprintf("基准%d号案", i), TransferringOrgan: "基准公安局",
			TransferDocNo: fmt.Sprintf("基准字〔2026〕%d号", i), ReceivedOn: recv, IntakeOutcome: casefile.OutcomeAccept,
			Status: casefile.StatusInProgress, HandlerID: h.ID, DepartmentID: h.DepartmentID, Version: 2}
		role, custody := "applicant", false
		if criminal {
			role, custody = "suspect", r.IntN(2) == 0
			c.Charges = []string{"盗窃罪"}
		}
		c.Parties = []casefile.Party{{Name: fmt.Sprintf("基准人%d", i), Gender: "male", Ethnicity: "汉族", IDType: "resident_id",
			IDNumber: apptest.IDNumber(i), Role: role, Custody: custody, Measure: map[bool]string{true: "arrest", false: "none"}[custody]}}
		c.Events = []casefile.Event{
			{Code: casefile.EventReceived, OccurredOn: recv, Outcome: casefile.OutcomeAccept, ActorID: h.ID},
			{Code: casefile.EventAssigned, OccurredOn: recv, ActorID: h.ID},
		}
		rows, _, err := k.Rows(casefile.FactsOf(c.Case, c.Parties, c.Events), td)
		if err != nil {
			return nil, err
		}
		c.Clocks = rows
		out = append(out, c)
	}
	return out, nil
}

// BenchmarkBoard measures the monitoring board over open cases (default
// 1,000,000): the store's board query for a unit's case manager and for
// the upper supervisor over every unit, a colour filter, the colour counts
// of the home page, and the whole page over HTTP; beside each, the bare
// indexed range query over case_clocks on the same engine. It also
// measures recomputing a case's clocks after an event.
func BenchmarkBoard(b *testing.B) {
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db, _ := e.Open(b)
			ctx := context.Background()
			f := apptest.New(b, db, nil)
			res, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Now: apptest.Now},
				seed.Options{Cases: 500, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			users, err := f.App.Org.AllUsers(ctx)
			if err != nil {
				b.Fatal(err)
			}
			staff := map[int64][]org.User{}
			for _, u := range users {
				if u.Principal().Has(access.Prosecutor) && len(u.Username) > 2 && u.Username[:2] != "a_" &&
					u.Username[:2] != "b_" && u.Username[:3] != "up_" {
					staff[u.UnitID] = append(staff[u.UnitID], u)
				}
			}
			start := time.Now()
			cases, err := openCases(rand.New(rand.NewPCG(7, 7)), staff, boardCases(), apptest.Now(), f.App.Cases.Clocker())
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < len(cases); i += 5000 {
				batch := cases[i:min(i+5000, len(cases))]
				if err := db.SeedCases(ctx, batch, audit.Record{Actor: audit.System("bench"), Action: "seed.cases",
					ObjectType: "case", Result: audit.ResultOK}); err != nil {
					b.Fatal(err)
				}
			}
			cases = nil
			if err := db.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d open cases with clocks in %s", e.Name, boardCases(), time.Since(start).Round(time.Second))

			cm, err := db.UserByName(ctx, "kashi_cm")
			if err != nil {
				b.Fatal(err)
			}
			upper, err := db.UserByName(ctx, "spp_upper")
			if err != nil {
				b.Fatal(err)
			}
			today := casefile.LegalDate(apptest.Now())
			unitScope, allScope := access.CaseScope(cm.Principal()), access.CaseScope(upper.Principal())
			measure := func(name string, fn func() error) {
				b.Run(name, func(b *testing.B) {
					var lat latencies
					for b.Loop() {
						t0 := time.Now()
						if err := fn(); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
					}
					lat.report(b)
				})
			}
			board := func(s access.Scope, f casefile.BoardFilter) func() error {
				return func() error {
					f.Limit = 50
					rows, _, err := db.Board(ctx, s, f, today)
					if err == nil && len(rows) == 0 {
						err = fmt.Errorf("empty board")
					}
					return err
				}
			}
			measure("store/board_unit", board(unitScope, casefile.BoardFilter{}))
			measure("store/board_unit_red", board(unitScope, casefile.BoardFilter{Colour: "red"}))
			measure("store/board_unit_yellow", board(unitScope, casefile.BoardFilter{Colour: "yellow",
				YellowHorizon: casefile.LegalDate(apptest.Now().AddDate(0, 0, 3))}))
			measure("store/board_all_units", board(allScope, casefile.BoardFilter{}))
			// The home page's counts (the three warning colours, bounded
			// ranges) and the board page's (with the total, a scan of the
			// unit's running clocks), through the board service.
			measure("service/colour_counts_home", func() error {
				_, err := f.App.Board.Counts(ctx, cm.Principal())
				return err
			})
			measure("service/colour_counts_board", func() error {
				_, err := f.App.Board.CountsFor(ctx, cm.Principal(), casefile.BoardFilter{})
				return err
			})
			// The reference: the same first page as a bare indexed range
			// scan of case_clocks, no join, no scope beyond the unit.
			raw := db.Reader()
			measure("bare_sql/range_unit", func() error {
				rows, err := raw.QueryContext(ctx, `SELECT id, case_id, kind, seq, start_on, due_on, yellow_on, orange_on,
					in_custody, beyond_calendar, category, handler_id, department_id FROM case_clocks
					WHERE watched = TRUE AND unit_id = $1 ORDER BY due_on, id LIMIT 50`, cm.UnitID)
				if err != nil {
					return err
				}
				// Scanned into variables like the store's rows are: the
				// reference is the same range and the same reading, without
				// the scope, the names and the domain.
				n := 0
				for rows.Next() {
					var id, caseID int64
					var seq int
					var kind, start, due, yellow, orange, category string
					var custody, beyond bool
					var handler, dept sql.NullInt64
					if err := rows.Scan(&id, &caseID, &kind, &seq, &start, &due, &yellow, &orange, &custody, &beyond,
						&category, &handler, &dept); err != nil {
						return err
					}
					n++
				}
				rows.Close()
				if n == 0 {
					return fmt.Errorf("empty range")
				}
				return rows.Err()
			})
			h, err := f.App.Handler()
			if err != nil {
				b.Fatal(err)
			}
			cookie := login(b, f.App.Accounts, "kashi_cm", res.Password)
			measure("page/board_unit", func() error {
				req := httptest.NewRequest(http.MethodGet, "/board", nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					return fmt.Errorf("status %d", rec.Code)
				}
				return nil
			})
			// Recomputing a case's clocks after an event: load its events,
			// derive, and replace its rows in one transaction.
			open, err := db.OpenClockCases(ctx, 0, 2000)
			if err != nil {
				b.Fatal(err)
			}
			k := f.App.Cases.Clocker()
			i := 0
			measure("recompute/per_case", func() error {
				c := open[i%len(open)]
				i++
				facts, err := db.ClockFacts(ctx, c)
				if err != nil {
					return err
				}
				rows, _, err := k.Rows(facts, deadline.Today(apptest.Now()))
				if err != nil {
					return err
				}
				_, err = db.ReplaceClocks(ctx, []casefile.CaseClocks{{Case: c, Clocks: rows}}, audit.Record{
					Actor: audit.System("bench"), Action: "clock.recompute", ObjectType: "case", Result: audit.ResultOK})
				if err == nil {
					open[(i-1)%len(open)].Version = c.Version // the version is unchanged by a recompute
				}
				return err
			})
			measure("recompute/derive_only", func() error {
				c := open[i%len(open)]
				i++
				facts, err := db.ClockFacts(ctx, c)
				if err != nil {
					return err
				}
				_, _, err = k.Rows(facts, deadline.Today(apptest.Now()))
				return err
			})
		})
	}
}

var _ = store.SQLite
