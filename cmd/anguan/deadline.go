package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/i18n"
)

// calcInput is the calculator's input: a case (category, flags, events)
// and, optionally, the day to compute states for.
type calcInput struct {
	deadline.Case
	Today string `json:"today,omitempty"`
}

// calcClock is one clock of the output: the engine's fields plus the
// explanation in Chinese, step by step.
type calcClock struct {
	deadline.Clock
	Name        string   `json:"name"`
	Explanation []string `json:"explanation"`
}

// cmdDeadline is `anguan deadline calc`: one JSON object on stdin, the
// clocks as JSON on stdout — the same engine the case pages use. Bad input
// (unknown fields, unknown kinds, impossible sequences) exits 2 naming the
// problem.
func cmdDeadline(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "calc" {
		fmt.Fprintln(stderr, "usage: anguan deadline calc < case.json")
		return exitError(2)
	}
	t, err := i18n.Load(i18n.DefaultLang)
	if err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		fmt.Fprintf(stderr, format+"\n", a...)
		return exitError(2)
	}
	dec := json.NewDecoder(io.LimitReader(stdin, 1<<20))
	dec.DisallowUnknownFields()
	var in calcInput
	if err := dec.Decode(&in); err != nil {
		return bad("%s", t.T("cli.calc_bad_json", err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad("%s", t.T("cli.calc_one_object"))
	}
	today := deadline.Today(time.Now())
	if in.Today != "" {
		if today, err = deadline.ParseDate(in.Today); err != nil {
			return bad("%s", t.T("cli.calc_today", err))
		}
	}
	res := deadline.DefaultEngine().Derive(in.Case, today)
	if len(res.Problems) > 0 {
		msgs := make([]string, len(res.Problems))
		for i, p := range res.Problems {
			msgs[i] = p.Message(t.T)
		}
		return bad("%s", strings.Join(msgs, "\n"))
	}
	out := struct {
		Today  string      `json:"today"`
		Clocks []calcClock `json:"clocks"`
	}{Today: today.String(), Clocks: []calcClock{}}
	for _, c := range res.Clocks {
		out.Clocks = append(out.Clocks, calcClock{Clock: c, Name: c.Name(t.T), Explanation: c.Lines(t.T)})
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
