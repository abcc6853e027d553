package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// Account care by the security administrator and by the user: a reset ends
// the user's sessions; a disabled account cannot sign in; a user changes
// their own password only with the old one and within the policy.
func TestPasswordAndDisable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		target := e.f.User(t, "a_prosecutor2")
		victim := e.login(t, "a_prosecutor2")
		sec := e.login(t, "a_secadmin")

		if r := sec.post("/admin/users/"+itoa(target.ID)+"/password", url.Values{"password": {"short"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "密码至少8位") {
			t.Fatalf("weak reset: %d", r.status)
		}
		if r := sec.post("/admin/users/"+itoa(target.ID)+"/password", url.Values{"password": {"New@Pass2026"}}); r.status != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if r := victim.get("/"); r.status != http.StatusSeeOther {
			t.Fatalf("old session survived the reset: %d", r.status)
		}
		c := e.client(t)
		if r := c.post("/login", url.Values{"username": {"a_prosecutor2"}, "password": {"New@Pass2026"}}); r.status != http.StatusSeeOther {
			t.Fatalf("login with the new password: %d", r.status)
		}

		// The user changes it back: wrong old password, mismatch, then right.
		bad := c.post("/account/password", url.Values{"old_password": {"nope"}, "new_password": {"Other@Pass2026"}, "confirm_password": {"Other@Pass202"}})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "原密码不正确") || !strings.Contains(bad.body, "两次输入的新密码不一致") {
			t.Fatalf("bad change: %d", bad.status)
		}
		if r := c.post("/account/password", url.Values{"old_password": {"New@Pass2026"}, "new_password": {"Other@Pass2026"}, "confirm_password": {"Other@Pass2026"}}); r.status != http.StatusSeeOther {
			t.Fatalf("change: %d %s", r.status, r.body)
		}

		// Disabled: no sign-in, with the same answer as a wrong password.
		if r := sec.post("/admin/users/"+itoa(target.ID)+"/disabled", url.Values{"disabled": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.status)
		}
		r := e.client(t).post("/login", url.Values{"username": {"a_prosecutor2"}, "password": {"Other@Pass2026"}})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("disabled account signed in: %d", r.status)
		}
		if r := sec.post("/admin/users/"+itoa(e.f.User(t, "a_secadmin").ID)+"/disabled", url.Values{"disabled": {"1"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("disabling oneself: %d", r.status)
		}
		if r := sec.post("/admin/users/"+itoa(target.ID)+"/disabled", url.Values{"disabled": {"0"}}); r.status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.status)
		}
		if r := e.client(t).post("/login", url.Values{"username": {"a_prosecutor2"}, "password": {"Other@Pass2026"}}); r.status != http.StatusSeeOther {
			t.Fatalf("re-enabled account: %d", r.status)
		}
		// Another unit's security administrator cannot touch the account.
		if r := e.login(t, "b_secadmin").post("/admin/users/"+itoa(target.ID)+"/password", url.Values{"password": {"New@Pass2026"}}); r.status != http.StatusNotFound {
			t.Fatalf("b_secadmin reset a 甲县院 account: %d", r.status)
		}
	})
}
