package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDeadlineCalc(t *testing.T) {
	in := `{"category":"prosecution_review","in_custody":false,"fast_track":false,"sentence_over_1y":false,
	"events":[{"type":"received","date":"2025-03-04"},{"type":"returned","date":"2025-03-20"},
	{"type":"resubmitted","date":"2025-04-18"}],"today":"2025-05-01"}`
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"deadline", "calc"}, env(nil), strings.NewReader(in), &out, &errb); err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	var res struct {
		Clocks []struct {
			Kind, State, Start, Due, Basis string
			Explanation                    []string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Clocks {
		got = append(got, c.Kind+":"+c.State+":"+c.Start+"→"+c.Due)
	}
	// The review restarts from zero on resubmission (CPL 175): 18 April + 1
	// month = 18 May, a Sunday, so 19 May; the first clock was due 4 April
	// but 4–6 April 2025 are holidays, so 7 April (CPL 105).
	for _, want := range []string{"prosecution_review:stopped:2025-03-04→2025-04-07",
		"supplementary_investigation:met:2025-03-20→2025-04-21", "prosecution_review:running:2025-04-18→2025-05-19"} {
		if !strings.Contains(strings.Join(got, " "), want) {
			t.Errorf("clocks %v lack %s", got, want)
		}
	}
	if !strings.Contains(out.String(), "4月4日至6日为法定节假日") {
		t.Errorf("explanation lacks the holiday step:\n%s", out.String())
	}

	for name, bad := range map[string]string{
		"unknown field":      `{"category":"prosecution_review","colour":"red","events":[]}`,
		"unknown category":   `{"category":"tax_review","events":[{"type":"received","date":"2025-03-04"}]}`,
		"resubmit no return": `{"category":"prosecution_review","events":[{"type":"received","date":"2025-03-04"},{"type":"resubmitted","date":"2025-03-10"}]}`,
		"impossible date":    `{"category":"prosecution_review","events":[{"type":"received","date":"2025-02-30"}]}`,
		"two objects":        `{"category":"prosecution_review","events":[]} {}`,
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"deadline", "calc"}, env(nil), strings.NewReader(bad), &out, &errb)
		var ex exitError
		if !errors.As(err, &ex) || ex != 2 || errb.Len() == 0 {
			t.Errorf("%s: err=%v stderr=%q stdout=%q", name, err, errb.String(), out.String())
		}
	}
}
