package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// requestTimeout is the server's own write timeout (cmd/anguan serve): a
// request that takes longer has failed for the user too.
const requestTimeout = 60 * time.Second

// session is one signed-in browser: its own cookie jar over the shared
// connection pool.
type session struct {
	user   string
	base   *url.URL
	client *http.Client
	target *targets // what this session's user may open
}

// targets are the case ids and search terms harvested from a user's first
// list page, so detail and search ask for what that user really sees.
type targets struct {
	ids   []int64
	terms []string
}

func newSession(base *url.URL, user string, tr http.RoundTripper) (*session, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	return &session{user: user, base: base, client: &http.Client{
		Transport: tr,
		Jar:       jar,
		Timeout:   requestTimeout,
		// A redirect is an answer to measure (and count as an error when
		// it sends a lost session to /login), not one to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// login signs in the way a browser does: GET the form (any cookie and
// hidden field it carries, such as a CSRF token, go back with the post),
// then POST it. The server's CSRF defence is http.CrossOriginProtection,
// which trusts a request its browser marks same-origin, so the post
// carries the Origin and Sec-Fetch-Site headers a browser would send.
func (s *session) login(ctx context.Context, password string) error {
	page, status, err := s.fetch(ctx, "/login")
	if err != nil {
		return fmt.Errorf("login page: %w", err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("login page: status %d", status)
	}
	form := hiddenFields(page)
	form.Set("username", s.user)
	form.Set("password", password)
	form.Set("next", "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.JoinPath("/login").String(),
		strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.base.String())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("login of %s refused: wrong username or password (-password)", s.user)
	case resp.StatusCode != http.StatusSeeOther:
		return fmt.Errorf("login of %s: status %d, want 303", s.user, resp.StatusCode)
	case len(s.client.Jar.Cookies(s.base)) == 0:
		return fmt.Errorf("login of %s: no session cookie set", s.user)
	}
	return nil
}

// hiddenFields collects the login form's hidden inputs. The form has only
// "next" today; a token added later would be carried without a change here.
func hiddenFields(page string) url.Values {
	v := url.Values{}
	input := regexp.MustCompile(`<input\b[^>]*>`)
	attr := regexp.MustCompile(`\b(type|name|value)="([^"]*)"`)
	for _, tag := range input.FindAllString(page, -1) {
		a := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			a[m[1]] = html.UnescapeString(m[2])
		}
		if a["type"] == "hidden" && a["name"] != "" {
			v.Set(a["name"], a["value"])
		}
	}
	return v
}

// harvest reads the user's first case list page: the case links give the
// ids to open, and the case names the search terms. A case name starts
// with the suspect's or applicant's name (嫌疑人+罪名+案), so its first
// three characters are what a case manager types to find it, and three
// characters is the least the trigram index serves.
func (s *session) harvest(ctx context.Context) (*targets, error) {
	page, status, err := s.fetch(ctx, "/cases")
	if err != nil {
		return nil, fmt.Errorf("case list of %s: %w", s.user, err)
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("case list of %s: status %d (the user needs a case-reading role: case manager, "+
			"prosecutor, assistant, department head, chief or upper supervisor)", s.user, status)
	}
	t := &targets{}
	seen := map[string]bool{}
	link := regexp.MustCompile(`<a href="/cases/(\d+)">([^<]*)</a>`)
	for _, m := range link.FindAllStringSubmatch(page, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			continue
		}
		t.ids = append(t.ids, id)
		name := []rune(strings.TrimSpace(html.UnescapeString(m[2])))
		if len(name) < 3 {
			continue
		}
		if term := string(name[:3]); !seen[term] {
			seen[term] = true
			t.terms = append(t.terms, term)
		}
	}
	if len(t.ids) == 0 {
		return nil, fmt.Errorf("case list of %s shows no case: nothing to open or search", s.user)
	}
	if len(t.terms) == 0 {
		return nil, fmt.Errorf("case list of %s: no case name of three characters or more to search for", s.user)
	}
	return t, nil
}

// fetch GETs path and returns the body, for the set-up steps.
func (s *session) fetch(ctx context.Context, path string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.String()+path, nil)
	if err != nil {
		return "", 0, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode, err
}

// get is one measured request: the whole body is read, as a browser would,
// and anything but 200 is a failure.
func (s *session) get(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.String()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/html")
	resp, err := s.client.Do(req)
	if err != nil {
		return transportError(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err != nil {
		return transportError(err)
	}
	return nil
}

// transportError drops the URL from a client error, so failures group by
// cause in the report rather than one line per case id or search term.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return errors.New("timeout")
		}
		return ue.Err
	}
	return err
}

// path gives the URL of request kind k for the n-th request of a session:
// the detail and search requests walk the harvested ids and terms.
func (t *targets) path(k kind, n int) string {
	switch k {
	case kindList:
		return "/cases"
	case kindDetail:
		return "/cases/" + strconv.FormatInt(t.ids[n%len(t.ids)], 10)
	case kindSearch:
		return "/cases?q=" + url.QueryEscape(t.terms[n%len(t.terms)])
	case kindHome:
		return "/"
	case kindBoard:
		return "/board"
	case kindStats:
		return "/stats"
	}
	panic("unknown request kind")
}
