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
