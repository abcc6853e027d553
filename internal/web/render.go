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
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// Base is what every page's layout needs.
type Base struct {
	Title  string
	User   org.User
	Nav    []NavItem
	Flash  string
	Error  string            // a page-level error message
	Errors map[string]string // field path → message, shown at its control
	// ErrorList holds the same messages in the order of the form, for the
	// summary above it (a map would list them alphabetically by field).
	ErrorList []string
	Path      string
	// NavPath names the navigation entry to mark when it is not the one of
	// the request's path (a form re-rendered after its POST).
	NavPath string
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
		// clockLines renders a deadline's step-by-step explanation.
		"clockLines": func(c deadline.Clock) []string { return c.Lines(h.T.T) },
		"add":        func(a, b int) int { return a + b },
		"neg":        func(a int) int { return -a },
		"has":        func(u org.User, r string) bool { return u.Principal().Has(access.Role(r)) },
	}
}

// nav builds the navigation for a user's roles. The entry whose address
// is the longest prefix of path is marked, so a case page marks 案件 and
// the intake form 受理登记.
func (h *Handler) nav(u org.User, path string) []NavItem {
	p := u.Principal()
	var items []NavItem
	add := func(href, key string) {
		items = append(items, NavItem{Href: href, Label: h.T.T(key)})
	}
	add("/", "ui.nav.home")
	if !access.CaseScope(p).None() {
		add("/cases", "ui.nav.cases")
		add("/board", "ui.nav.board")
		if !access.MonitorScope(p).None() {
			add(monitorNav, "ui.nav.monitor")
		}
	}
	if p.HasAny(qualityUsers...) {
		add(qualityNav, "ui.nav.quality")
	}
	// Business-data supervision: the cards in one's scope, or for the
	// system administrator the rule library they keep.
	if !access.DataScope(p).None() {
		add(dataNav, "ui.nav.data")
	} else if access.CanEditDataRules(p) {
		add("/data/rules", "ui.nav.data")
	}
	// Analysis: aggregates, which the aid partner may read too.
	if p.HasAny(analysisReaders...) {
		add(statsNav, "ui.nav.stats")
	}
	// Paired assistance: the units' offices and leaders, and those above.
	if p.HasAny(aidNavRoles...) {
		add(aidNav, "ui.nav.aid")
	}
	if p.Has(access.CaseManager) {
		add("/cases/new", "ui.nav.intake")
	}
	if p.HasAny(access.CaseManager, access.DeptHead, access.Chief) {
		add("/pools", "ui.nav.pools")
		add("/workload", "ui.nav.workload")
	}
	add("/deadlines/calc", "ui.nav.calculator")
	add("/calendar", "ui.nav.calendar")
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
	best := -1
	for i, it := range items {
		match := path == it.Href || (it.Href != "/" && strings.HasPrefix(path, it.Href+"/"))
		if match && (best < 0 || len(it.Href) > len(items[best].Href)) {
			best = i
		}
	}
	if best >= 0 {
		items[best].Active = true
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
		navPath := r.URL.Path
		if b.NavPath != "" {
			navPath = b.NavPath
		}
		b.Nav = h.nav(u, navPath)
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
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		status, key = http.StatusRequestEntityTooLarge, "err.body_too_large"
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
		p.invalid(h.messages(v, nil), h.T.T("err.validation"))
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

// fieldErrors are the messages of a refused form: by field for the
// controls, and in the order the domain reported them (the form's order)
// for the summary.
type fieldErrors struct {
	byField map[string]string
	list    []string
}

// add appends a message for field (the first one per field wins).
func (fe *fieldErrors) add(field, msg string) {
	if fe.byField == nil {
		fe.byField = map[string]string{}
	}
	if _, seen := fe.byField[field]; seen {
		return
	}
	fe.byField[field] = msg
	fe.list = append(fe.list, msg)
}

func (fe fieldErrors) empty() bool { return len(fe.list) == 0 }

// messages renders a validation error. labels gives, per field, an i18n
// key for a label that fits the form better than the shared field label.
func (h *Handler) messages(v *apperr.Validation, labels map[string]string) fieldErrors {
	var fe fieldErrors
	for _, f := range v.Fields {
		msg := h.T.Message(f)
		if key, ok := labels[f.Field]; ok {
			msg = h.T.T(key) + "：" + h.T.T(f.Key, f.Args...)
		}
		fe.add(f.Field, msg)
	}
	return fe
}

// formErrors turns a validation error into field messages for a form, or
// reports false for any other error.
func (h *Handler) formErrors(err error) (fieldErrors, bool) {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return fieldErrors{}, false
	}
	return h.messages(v, nil), true
}

// invalid shows a refused form: the summary line with every message under
// it, and each message at its control.
func (b *Base) invalid(fe fieldErrors, summary string) {
	b.Error, b.Errors, b.ErrorList = summary, fe.byField, fe.list
}

// refused shows a refused action that has no controls of its own (a
// button): its messages are the summary.
func (b *Base) refused(fe fieldErrors) {
	b.Error, b.Errors = strings.Join(fe.list, "；"), fe.byField
}

func seeOther(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}
