package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("ANGUAN_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// latencies records each request and reports percentiles as metrics, so
// the README can quote p95 rather than a mean.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op") // the percentiles are the figures
}

// BenchmarkCaseList measures the case list page over the seeded data:
// a unit's case manager (own unit), the SPP upper supervisor (every case
// below, path-prefix scope), a text search, and a deep page; each beside
// the bare store query.
func BenchmarkCaseList(b *testing.B) {
	for _, e := range testdb.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db, _ := e.Open(b)
			ctx := context.Background()
			f := apptest.New(b, db, nil) // wiring only; seed adds the demo organisation beside it
			start := time.Now()
			res, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Now: apptest.Now},
				seed.Options{Cases: benchCases(), Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d cases in %s", e.Name, res.Cases, time.Since(start).Round(time.Millisecond))
			h, err := f.App.Handler()
			if err != nil {
				b.Fatal(err)
			}
			scenarios := []struct {
				name, user, path string
			}{
				{"page/unit_case_manager", "kashi_cm", "/cases"},
				{"page/upper_supervisor_all", "spp_upper", "/cases"},
				{"page/search_name", "spp_upper", "/cases?q=" + url.QueryEscape("盗窃")},
				{"page/filter_status", "kashi_cm", "/cases?status=in_progress&category=prosecution_review"},
			}
			for _, sc := range scenarios {
				b.Run(sc.name, func(b *testing.B) {
					cookie := login(b, f.App.Accounts, sc.user, res.Password)
					var lat latencies
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, sc.path, nil)
						req.AddCookie(cookie)
						rec := httptest.NewRecorder()
						t0 := time.Now()
						h.ServeHTTP(rec, req)
						lat = append(lat, time.Since(t0))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d", sc.path, rec.Code)
						}
					}
					lat.report(b)
				})
			}
			// The reference: the same list query and count, straight on the
			// store, no HTTP, no templates, no session.
			u, err := db.UserByName(ctx, "spp_upper")
			if err != nil {
				b.Fatal(err)
			}
			scope := access.CaseScope(u.Principal())
			b.Run("bare_sql/upper_supervisor_all", func(b *testing.B) {
				var lat latencies
				for b.Loop() {
					t0 := time.Now()
					if _, _, err := db.ListCases(ctx, scope, casefile.Filter{Limit: 50}); err != nil {
						b.Fatal(err)
					}
					if _, err := db.CountCases(ctx, scope, casefile.Filter{}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				lat.report(b)
			})
		})
	}
}

func login(b *testing.B, accounts *account.Service, user, password string) *http.Cookie {
	tok, err := accounts.Login(context.Background(), account.Client{Addr: "127.0.0.1"}, user, password)
	if err != nil {
		b.Fatalf("login %s: %v", user, err)
	}
	return &http.Cookie{Name: "anguan_session", Value: tok}
}

var _ = store.SQLite
