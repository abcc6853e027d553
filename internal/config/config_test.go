package config

import (
	"io"
	"strings"
	"testing"
)

func TestLoadListsEveryProblem(t *testing.T) {
	env := map[string]string{"ANGUAN_IDLE_TIMEOUT": "forever", "ANGUAN_LOCKOUT_FAILURES": "0"}
	_, _, err := Load("serve", []string{"--db", "mysql://x", "--addr", "nowhere"}, func(k string) string { return env[k] }, io.Discard, nil)
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"ANGUAN_IDLE_TIMEOUT", "db:", "addr:", "lockout failures"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	env := map[string]string{"ANGUAN_DB": "sqlite:env.db", "ANGUAN_ADDR": "127.0.0.1:9000"}
	c, rest, err := Load("serve", []string{"--db", "sqlite:flag.db", "x"}, func(k string) string { return env[k] }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "sqlite:flag.db" || c.Addr != "127.0.0.1:9000" || len(rest) != 1 {
		t.Errorf("got %+v %v", c, rest)
	}
}

func TestWarnDays(t *testing.T) {
	c, _, err := Load("serve", nil, func(k string) string {
		return map[string]string{"ANGUAN_WARN_DAYS": "prosecution_review=5, arrest_review=2/0,default=4"}[k]
	}, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if th := c.Warnings.For("prosecution_review"); th.Yellow != 5 || th.Orange != 1 {
		t.Errorf("prosecution review: %+v", th)
	}
	if th := c.Warnings.For("arrest_review"); th.Yellow != 2 || th.Orange != 0 {
		t.Errorf("arrest review: %+v", th)
	}
	if th := c.Warnings.For("civil_supervision"); th.Yellow != 4 {
		t.Errorf("default: %+v", th)
	}
	for _, bad := range []string{"nothing=3", "prosecution_review", "prosecution_review=x", "arrest_review=2/3", "default=-1"} {
		if _, _, err := Load("serve", nil, func(k string) string {
			return map[string]string{"ANGUAN_WARN_DAYS": bad}[k]
		}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "ANGUAN_WARN_DAYS") {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestJobsSetting(t *testing.T) {
	c, _, err := Load("serve", nil, func(string) string { return "" }, io.Discard, nil)
	if err != nil || !c.Jobs {
		t.Fatalf("jobs run by default: %+v %v", c.Jobs, err)
	}
	c, _, err = Load("serve", []string{"--jobs=false"}, func(string) string { return "" }, io.Discard, nil)
	if err != nil || c.Jobs {
		t.Errorf("--jobs=false: %v %v", c.Jobs, err)
	}
	env := map[string]string{"ANGUAN_JOBS": "no"}
	if _, _, err := Load("serve", nil, func(k string) string { return env[k] }, io.Discard, nil); err == nil ||
		!strings.Contains(err.Error(), "ANGUAN_JOBS") {
		t.Errorf("ANGUAN_JOBS=no: err %v", err)
	}
}
