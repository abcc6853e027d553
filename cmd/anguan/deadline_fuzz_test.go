package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDeadlineCalc: whatever arrives on stdin, `anguan deadline calc`
// either prints one JSON object with clocks (exit 0) or names the problem
// on stderr (exit 2) — never another error, a panic, or output on both.
func FuzzDeadlineCalc(f *testing.F) {
	for _, s := range []string{
		`{"category":"prosecution_review","in_custody":false,"fast_track":false,"sentence_over_1y":false,"events":[{"type":"received","date":"2025-03-04"},{"type":"returned","date":"2025-03-20"},{"type":"resubmitted","date":"2025-04-18"}],"today":"2025-05-01"}`,
		`{"category":"arrest_review","in_custody":true,"events":[{"type":"received","date":"2026-09-30"}],"today":"2026-10-01"}`,
		`{"category":"civil_supervision","events":[{"type":"received","date":"2025-03-04"},{"type":"assessment_started","date":"2025-03-10"},{"type":"assessment_ended","date":"2025-03-05"}]}`,
		`{"category":"pil_reply","urgent":true,"events":[{"type":"received","date":"2027-12-20"}],"today":"2028-01-02"}`,
		`{"category":"nothing","events":[]}`, `{"category":"prosecution_review","colour":"red"}`, `[]`, `{`, ``, `{} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"deadline", "calc"}, func(string) string { return "" },
			bytes.NewReader(in), &out, &errb)
		var ex exitError
		switch {
		case err == nil:
			var got struct {
				Today  string            `json:"today"`
				Clocks []json.RawMessage `json:"clocks"`
			}
			if jerr := json.Unmarshal(out.Bytes(), &got); jerr != nil || got.Today == "" || got.Clocks == nil {
				t.Fatalf("exit 0 with output that is not the clocks object (%v): %q", jerr, out.String())
			}
			if errb.Len() != 0 {
				t.Fatalf("exit 0 with a message: %q", errb.String())
			}
		case errors.As(err, &ex) && ex == 2:
			if errb.Len() == 0 || out.Len() != 0 {
				t.Fatalf("exit 2: stderr %q, stdout %q", errb.String(), out.String())
			}
		default:
			t.Fatalf("unexpected error %v for %q", err, in)
		}
	})
}
