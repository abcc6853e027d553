package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
)

type issued struct {
	ID        int64     `json:"id"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (e *env) issue(t *testing.T, body map[string]any) issued {
	t.Helper()
	r := e.do(t, "", "POST", "/api/v1/tokens", body)
	if r.status != http.StatusCreated {
		t.Fatalf("issue token: %s", r)
	}
	var tok issued
	r.decode(t, &tok)
	if tok.ID == 0 || !strings.HasPrefix(tok.Token, "ag_") {
		t.Fatalf("token response %s", r.body)
	}
	return tok
}

// sameAnswer compares two error answers without their request ids.
func sameAnswer(t *testing.T, what string, a, b response) {
	t.Helper()
	ea, eb := a.err(t), b.err(t)
	ea.Error.RequestID, eb.Error.RequestID = "", ""
	if a.status != b.status || ea.Error.Code != eb.Error.Code || ea.Error.Message != eb.Error.Message ||
		len(ea.Error.Fields)+len(eb.Error.Fields) != 0 {
		t.Errorf("%s: %s differs from %s", what, a, b)
	}
}

// TestTokenCredentials: a wrong password, an unknown user and a locked
// account all get the same 401 bad_credentials; five failures in a row lock
// the account for 15 minutes, during which even the right password fails
// with that same answer.
func TestTokenCredentials(t *testing.T) {
	clk := newClock()
	eachEngine(t, clk.now, func(t *testing.T, e *env) {
		wrong := e.do(t, "", "POST", "/api/v1/tokens", map[string]any{"username": "a_chief", "password": "Wrong@2026x"})
		if wrong.status != http.StatusUnauthorized || wrong.err(t).Error.Code != "bad_credentials" {
			t.Fatalf("wrong password: %s", wrong)
		}
		if wrong.header.Get("WWW-Authenticate") != "" {
			t.Error("bad credentials are not a missing token: no WWW-Authenticate")
		}
		unknown := e.do(t, "", "POST", "/api/v1/tokens", map[string]any{"username": "no_such_user", "password": "Wrong@2026x"})
		sameAnswer(t, "unknown user vs wrong password", unknown, wrong)

		// Lockout on a fresh account: four failures, the fifth locks.
		const user = "a_dept_head"
		bad := map[string]any{"username": user, "password": "Wrong@2026x"}
		for i := 1; i <= 5; i++ {
			sameAnswer(t, "failure", e.do(t, "", "POST", "/api/v1/tokens", bad), wrong)
		}
		locked := e.do(t, "", "POST", "/api/v1/tokens", credentials(user))
		sameAnswer(t, "right password on a locked account", locked, wrong)
		clk.advance(14 * time.Minute)
		sameAnswer(t, "still locked after 14 minutes", e.do(t, "", "POST", "/api/v1/tokens", credentials(user)), wrong)
		clk.advance(2 * time.Minute)
		e.issue(t, credentials(user)) // 16 minutes: the lock has expired

		// Four failures do not lock, and a success clears the count.
		const other = "a_assistant"
		badOther := map[string]any{"username": other, "password": "Wrong@2026x"}
		for i := 0; i < 4; i++ {
			e.do(t, "", "POST", "/api/v1/tokens", badOther)
		}
		e.issue(t, credentials(other))
		for i := 0; i < 4; i++ {
			e.do(t, "", "POST", "/api/v1/tokens", badOther)
		}
		e.issue(t, credentials(other))
	})
}

// TestTokenLifecycle: a token works until it is revoked (DELETE
// /api/v1/tokens/{id}, with the id from the create response) or expires;
// then it answers 401. Only one's own tokens can be revoked.
func TestTokenLifecycle(t *testing.T) {
	clk := newClock()
	eachEngine(t, clk.now, func(t *testing.T, e *env) {
		me := func(tok string) response { return e.doAuth(t, "Bearer "+tok, "GET", "/api/v1/me", nil) }

		tok := e.issue(t, map[string]any{"username": "a_prosecutor", "password": apptest.Password, "name": "脚本"})
		if want := clk.now().Add(24 * time.Hour); !tok.ExpiresAt.Equal(want) {
			t.Errorf("default expiry %v, want %v (24h)", tok.ExpiresAt, want)
		}
		if r := me(tok.Token); r.status != http.StatusOK || !strings.Contains(string(r.body), `"username":"a_prosecutor"`) {
			t.Fatalf("fresh token: %s", r)
		}

		// Someone else cannot revoke it (it is not theirs: 404, no leak).
		if r := e.do(t, "a_prosecutor2", "DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil); r.status != http.StatusNotFound {
			t.Errorf("revoke another user's token: %s", r)
		}
		if r := me(tok.Token); r.status != http.StatusOK {
			t.Fatalf("token dead after someone else's revoke attempt: %s", r)
		}

		// The owner revokes it with another token of theirs.
		if r := e.do(t, "a_prosecutor", "DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil); r.status != http.StatusNoContent {
			t.Fatalf("revoke: %s", r)
		}
		if r := me(tok.Token); r.status != http.StatusUnauthorized || r.err(t).Error.Code != "unauthenticated" {
			t.Errorf("revoked token: %s", r)
		}
		if r := e.do(t, "a_prosecutor", "DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil); r.status != http.StatusNotFound {
			t.Errorf("revoke twice: %s", r)
		}

		// A token can revoke itself.
		self := e.issue(t, credentials("a_prosecutor"))
		if r := e.doAuth(t, "Bearer "+self.Token, "DELETE", "/api/v1/tokens/"+itoa(self.ID), nil); r.status != http.StatusNoContent {
			t.Fatalf("self-revoke: %s", r)
		}
		if r := me(self.Token); r.status != http.StatusUnauthorized {
			t.Errorf("self-revoked token: %s", r)
		}

		// Expiry: a one-hour token dies after an hour, a default one after a day.
		short := e.issue(t, map[string]any{"username": "a_prosecutor", "password": apptest.Password, "ttl": "1h"})
		long := e.issue(t, credentials("a_prosecutor"))
		clk.advance(59 * time.Minute)
		if r := me(short.Token); r.status != http.StatusOK {
			t.Fatalf("one-hour token after 59 minutes: %s", r)
		}
		clk.advance(2 * time.Minute)
		if r := me(short.Token); r.status != http.StatusUnauthorized || r.err(t).Error.Code != "unauthenticated" {
			t.Errorf("expired token: %s", r)
		}
		if r := me(long.Token); r.status != http.StatusOK {
			t.Errorf("24-hour token after an hour: %s", r)
		}
		clk.advance(23 * time.Hour)
		if r := me(long.Token); r.status != http.StatusUnauthorized {
			t.Errorf("24-hour token after a day: %s", r)
		}
	})
}

// TestBearerHeader: anything but a live "Bearer ag_…" token is 401 with
// WWW-Authenticate, the same answer for every kind of wrong.
func TestBearerHeader(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		valid := e.token(t, "a_case_manager")
		none := e.doAuth(t, "", "GET", "/api/v1/me", nil)
		for _, c := range []struct{ name, auth string }{
			{"no header", ""},
			{"empty bearer", "Bearer "},
			{"basic", "Basic YV9jYXNlX21hbmFnZXI6VGVzdEAyMDI2eA=="},
			{"lower-case scheme", "bearer " + valid},
			{"token without prefix", "Bearer " + strings.TrimPrefix(valid, "ag_")},
			{"unknown token", "Bearer ag_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"token with a changed character", "Bearer " + valid[:len(valid)-1] + flip(valid[len(valid)-1])},
			{"session cookie value as token", "Bearer " + strings.Repeat("a", 43)},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.doAuth(t, c.auth, "GET", "/api/v1/me", nil)
				if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
					t.Fatalf("%s", r)
				}
				sameAnswer(t, c.name, r, none)
			})
		}
		if r := e.doAuth(t, "Bearer "+valid, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
			t.Errorf("valid token: %s", r)
		}
	})
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}
