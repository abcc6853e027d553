package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// cookieName: with TLS the __Host- prefix pins the cookie to this host and
// path and requires Secure; without TLS (local demo) a plain name.
func (h *Handler) cookieName() string {
	if h.SecureCookies {
		return "__Host-anguan_session"
	}
	return "anguan_session"
}

// authenticate resolves the session cookie; without one it redirects to the
// login page and reports false. A cookie whose session has ended (idle
// timeout, logout elsewhere) sends the user to the login page with a note
// that the session expired, so the lost page is not a mystery.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (org.User, bool) {
	expired := false
	c, err := r.Cookie(h.cookieName())
	if err == nil && c.Value != "" {
		u, err := h.Accounts.Session(r.Context(), c.Value)
		if err == nil {
			*r = *r.WithContext(reqctx.WithUser(r.Context(), u))
			return u, true
		}
		if !errors.Is(err, apperr.ErrUnauthenticated) {
			h.fail(w, r, err)
			return org.User{}, false
		}
		h.clearCookie(w)
		expired = true
	}
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = "/"
	}
	if r.Header.Get("HX-Request") != "" {
		// htmx follows redirects inside the page; ask for a full reload.
		w.Header().Set("HX-Redirect", "/login")
		w.WriteHeader(http.StatusUnauthorized)
		return org.User{}, false
	}
	q := url.Values{"next": {next}}
	if expired {
		q.Set("expired", "1")
	}
	http.Redirect(w, r, "/login?"+q.Encode(), http.StatusSeeOther)
	return org.User{}, false
}

func (h *Handler) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) failForbidden(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, apperr.ErrForbidden)
}

// LoginPage is the sign-in form.
type LoginPage struct {
	Base
	Username string
	Next     string
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, _ org.User) error {
	p := &LoginPage{Next: safeNext(r.URL.Query().Get("next"))}
	p.Title = h.T.T("ui.login.title")
	if r.URL.Query().Get("expired") != "" {
		p.Flash = h.T.T("ui.login.expired")
	}
	return h.render(w, r, http.StatusOK, "login", p)
}

// safeNext keeps redirects on this site (no open redirect).
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	return s
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request, _ org.User) error {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	token, err := h.Accounts.Login(r.Context(), account.Client{Addr: reqctx.Client(r.Context()),
		RequestID: reqctx.RequestID(r.Context())}, username, password)
	if errors.Is(err, account.ErrBadCredentials) {
		p := &LoginPage{Username: username, Next: next}
		p.Title = h.T.T("ui.login.title")
		p.Error = h.T.T("err.bad_credentials")
		return h.render(w, r, http.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return err
	}
	// No MaxAge: the cookie ends with the browser; the server ends the
	// session after the idle timeout either way.
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	return seeOther(w, r, next)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, u org.User) error {
	c, err := r.Cookie(h.cookieName())
	if err == nil {
		if err := h.Accounts.Logout(r.Context(), account.Client{Addr: reqctx.Client(r.Context()),
			RequestID: reqctx.RequestID(r.Context())}, u, c.Value); err != nil {
			return err
		}
	}
	h.clearCookie(w)
	return seeOther(w, r, "/login?flash=flash.logged_out")
}
