// Package web is the HTML surface (网页): server-rendered pages in
// Simplified Chinese with html/template and htmx, over the same domain
// services as the JSON API. Handlers hold no business rules: they decode
// forms, call a service, and render its result or its error.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/calendar"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
)

//go:embed templates static
var assets embed.FS

// Deps are the services the pages use.
type Deps struct {
	Accounts      *account.Service
	Org           *org.Service
	Cases         *casefile.Service
	Board         *casefile.Board
	Calendar      *calendar.Service
	Monitor       *monitor.Service
	Evaluation    *evaluation.Service
	Data          *dataquality.Service
	Stats         *stats.Service
	Aid           *aid.Service
	Assigner      *casefile.Assigner
	Pools         *casefile.Pools
	Audit         *audit.Reader
	T             *i18n.Catalog
	Log           *slog.Logger
	SecureCookies bool
	Now           func() time.Time
}

// Handler serves the pages.
type Handler struct {
	Deps
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New parses every template (a broken template fails start-up) and
// registers the routes.
func New(d Deps) (*Handler, error) {
	h := &Handler{Deps: d, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(assets, "templates")
	if err != nil {
		return nil, err
	}
	// Files whose name starts with "partial_" hold templates shared by every
	// page (a leading "_" would keep them out of the embedded files).
	var partials []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "partial_") {
			b, err := fs.ReadFile(assets, "templates/"+e.Name())
			if err != nil {
				return nil, err
			}
			partials = append(partials, string(b))
		}
	}
	for _, e := range entries {
		name := e.Name()
		if name == "layout.html" || strings.HasPrefix(name, "partial_") || !strings.HasSuffix(name, ".html") {
			continue
		}
		body, err := fs.ReadFile(assets, "templates/"+name)
		if err != nil {
			return nil, err
		}
		t := template.New("layout").Funcs(h.funcs())
		if _, err := t.Parse(string(layout)); err != nil {
			return nil, fmt.Errorf("web: layout: %w", err)
		}
		for _, part := range partials {
			if _, err := t.Parse(part); err != nil {
				return nil, fmt.Errorf("web: partials: %w", err)
			}
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("web: %s: %w", name, err)
		}
		h.pages[strings.TrimSuffix(name, ".html")] = t
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	h.routes()
	return h, nil
}

// ServeHTTP dispatches to the routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Pages lists the parsed page names (for the render-every-page test).
func (h *Handler) Pages() []string {
	out := make([]string, 0, len(h.pages))
	for k := range h.pages {
		out = append(out, k)
	}
	return out
}

func cacheForever(next http.Handler) http.Handler {
	// Static file names carry their version, so they never change.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		next.ServeHTTP(w, r)
	})
}
