package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// The middleware every request passes: health endpoints, request ids,
// security headers, and the 1 MiB body cap on both surfaces, with nothing
// written when a body is refused.
func TestMiddleware(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := apptest.New(t, db, nil)
		srv := f.Server(t)
		for _, p := range []string{"/healthz", "/readyz"} {
			resp, err := http.Get(srv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || len(resp.Header.Get("X-Request-Id")) != 16 ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s: %d %v", p, resp.StatusCode, resp.Header)
			}
		}

		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(srv.URL+"/login", url.Values{"username": {"a_case_manager"}, "password": {apptest.Password}})
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %v %v", err, resp)
		}
		resp.Body.Close()
		before, err := f.App.Cases.Count(context.Background(), f.Request(t, "a_case_manager"), casefile.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		big := "name=" + strings.Repeat("案", 1<<19) // 1.5 MiB of UTF-8
		resp, err = c.Post(srv.URL+"/cases", "application/x-www-form-urlencoded", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "1 MiB") {
			t.Errorf("oversized form: %d", resp.StatusCode)
		}
		after, _ := f.App.Cases.Count(context.Background(), f.Request(t, "a_case_manager"), casefile.Filter{})
		if after != before {
			t.Errorf("cases %d → %d after a refused body", before, after)
		}
	})
}
