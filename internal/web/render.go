package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// Base is what every page's layout needs.
type Base struct {
	Title   string
	User    org.User
	Nav     []NavItem
	Flash   string
	Error   string            // a page-level error message
	Errors  map[string]string // field path → message
	Path    string
	IdleMin int
}

// NavItem is one entry of the navigation bar.
type NavItem struct {
	Href, Label string
	Active      bool
}

// Page is implemented by every page struct (they embed Base).
type Page interface{ base() *Base }

func (b *Base) base() *Base { return b }

func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"t":     h.T.T,
		"field": h.T.Field,
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
		},
		"err":  func(errs map[string]string, field string) string { return errs[field] },
		"role": func(r access.Role) string { return h.T.T("role." + string(r)) },
		"itoa": func(i int) string { return strconv.Itoa(i) },
		"list": func(s ...string) []string { return s },
		"add":  func(a, b int) int { return a + b },
		"has":  func(u org.User, r string) bool { return u.Principal().Has(access.Role(r)) },
	}
}

// nav builds the navigation for a user's roles.
func (h *Handler) nav(u org.User, path string) []NavItem {
	p := u.Principal()
	var items []NavItem
	add := func(href, key string) {
		items = append(items, NavItem{Href: href, Label: h.T.T(key), Active: path == href})
	}
	add("/", "ui.nav.home")
	if !access.CaseScope(p).None() {
		add("/cases", "ui.nav.cases")
	}
	if p.Has(access.CaseManager) {
		add("/cases/new", "ui.nav.intake")
	}
	if p.HasAny(access.CaseManager, access.DeptHead, access.Chief) {
		add("/pools", "ui.nav.pools")
		add("/workload", "ui.nav.workload")
	}
	if p.Has(access.SysAdmin) {
		add("/admin/units", "ui.nav.units")
	}
	if p.Has(access.SecAdmin) {
		add("/admin/users", "ui.nav.users")
	}
	if p.HasAny(access.SysAdmin, access.SecAdmin) {
		add("/admin/roles", "ui.nav.roles")
	}
	if p.Has(access.AuditAdmin) {
		add("/audit", "ui.nav.audit")
	}
	return items
}

// render writes a page with the status code. Rendering goes to a buffer
// first, so a template error never sends half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) error {
	t, ok := h.pages[name]
	if !ok {
		return errors.New("web: no page " + name)
	}
	b := p.base()
	if u, ok := reqctx.User(r.Context()); ok {
		b.User = u
		b.Nav = h.nav(u, r.URL.Path)
	}
	b.Path = r.URL.Path
	b.IdleMin = int(h.Accounts.Settings().IdleTimeout.Minutes())
	// Flash messages come as i18n keys in the query after a redirect;
	// only "flash." keys are shown, so a URL cannot inject text.
	if f := r.URL.Query().Get("flash"); b.Flash == "" && strings.HasPrefix(f, "flash.") && h.T.Has(f) {
		b.Flash = h.T.T(f)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// fragment renders one named template of a page without the layout (htmx
// partial updates).
func (h *Handler) fragment(w http.ResponseWriter, page, name string, data any) error {
	var buf bytes.Buffer
	if err := h.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(buf.Bytes())
	return err
}

// ErrorPage shows a failure.
type ErrorPage struct {
	Base
	Status int
}

// fail maps a domain error to a page, once, here. Validation errors are
// handled by the form handlers (they re-render the form).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, key := http.StatusInternalServerError, "err.internal"
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		status, key = http.StatusNotFound, "err.not_found"
	case errors.Is(err, apperr.ErrForbidden):
		status, key = http.StatusForbidden, "err.forbidden"
	case errors.Is(err, apperr.ErrConflict):
		status, key = http.StatusConflict, "err.conflict"
	}
	if v, ok := apperr.AsValidation(err); ok {
		status = http.StatusUnprocessableEntity
		p := &ErrorPage{Status: status}
		p.Title = h.T.T("err.validation")
		p.Errors = h.T.Messages(v)
		p.Error = h.T.T("err.validation")
		_ = h.render(w, r, status, "error", p)
		return
	}
	msg := h.T.T(key)
	if status == http.StatusInternalServerError {
		msg = h.T.T(key, reqctx.RequestID(r.Context()))
		h.Log.ErrorContext(r.Context(), "request failed", "request_id", reqctx.RequestID(r.Context()), "err", err.Error())
	}
	p := &ErrorPage{Status: status}
	p.Title, p.Error = msg, msg
	if rerr := h.render(w, r, status, "error", p); rerr != nil {
		http.Error(w, msg, status)
	}
}

// formErrors turns a validation error into field messages for a form, or
// reports false for any other error.
func (h *Handler) formErrors(err error) (map[string]string, bool) {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return nil, false
	}
	return h.T.Messages(v), true
}

func seeOther(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}
