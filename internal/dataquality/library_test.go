package dataquality

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/casecard"
)

// rule builds a minimal valid rule for library tests.
func rule(id, when string, categories ...string) Rule {
	return Rule{ID: id, Version: 1, Title: "测试规则" + id, Kind: KindWrong, Severity: SeverityNormal,
		Categories: categories, Item: "decision", When: when, Reference: "测试依据", Hint: "测试提示", FixDays: 3}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct{ name, when, want string }{
		{"syntax", `card.Decision ==`, "unexpected"},
		{"not bool", `card.Returns + 1`, "bool"},
		{"unknown item", `card.Verdict == "起诉"`, "Verdict"},
		{"unknown variable", `cards[0].Decision == ""`, "cards"},
		{"wrong helper arguments", `days(card.ReceivedOn) > 1`, "days"},
		{"wrong argument type", `blank(card.Returns)`, "blank"},
		{"bad regexp", `card.DocNo matches "("`, "regexp"},
		{"pattern not constant", `card.DocNo matches card.Name`, "matches"},
		{"clock", `now().Year() > 2000`, "now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile([]Rule{rule("DQ-901", tc.when)})
			if err == nil {
				t.Fatalf("%q compiled", tc.when)
			}
			if !strings.Contains(err.Error(), "DQ-901") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name the rule and mention %q", err, tc.want)
			}
		})
	}
	if _, err := Compile([]Rule{rule("DQ-901", "true"), rule("DQ-901", "false")}); err == nil {
		t.Error("a duplicate id compiled")
	}
	// A disabled rule is not compiled, so a broken one can be parked.
	off := rule("DQ-902", "card.Decision ==")
	off.Disabled = true
	lib, err := Compile([]Rule{off})
	if err != nil {
		t.Fatal(err)
	}
	if lib.Len() != 0 || len(lib.Rules()) != 1 {
		t.Errorf("disabled rule: Len %d, Rules %d", lib.Len(), len(lib.Rules()))
	}
}

// A rule that fails on one card reports an error hit and the others still
// run; nothing panics.
func TestRuntimeErrorIsReportedNotPanicked(t *testing.T) {
	lib, err := Compile([]Rule{
		rule("DQ-901", `related[0].Decision == "批准逮捕"`),
		rule("DQ-902", `card.Returns > 0`),
		rule("DQ-903", `1 / card.Returns == 1`),
	})
	if err != nil {
		t.Fatal(err)
	}
	card, _ := baseline("prosecution_review")
	card.Returns = 1
	hits := lib.Check(&Env{Card: card, Today: testToday})
	if got := hitIDs(hits); !slices.Equal(got, []string{"DQ-902", "DQ-903"}) {
		t.Errorf("hits = %v", got)
	}
	if errs := evalErrors(hits); len(errs) != 1 || !strings.Contains(errs[0], "DQ-901") {
		t.Errorf("errors = %v", errs)
	}
	card.Returns = 0
	hits, n := lib.CheckInto(nil, &Env{Card: card, Related: []casecard.Card{arrestCard()}, Today: testToday})
	if n != 3 || len(hitIDs(hits)) != 1 || len(evalErrors(hits)) != 0 {
		t.Errorf("with related: evaluated %d, hits %v, errors %v", n, hitIDs(hits), evalErrors(hits))
	}
}

func TestCategoriesAndSources(t *testing.T) {
	onlyImport := rule("DQ-903", "true")
	onlyImport.Sources = []string{casecard.SourceImport}
	lib, err := Compile([]Rule{
		rule("DQ-901", "true", "prosecution_review"),
		rule("DQ-902", "true"),
		onlyImport,
		rule("DQ-904", "true", "arrest_review", "prosecution_review"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		category, source string
		want             []string
	}{
		{"prosecution_review", casecard.SourceImport, []string{"DQ-901", "DQ-902", "DQ-903", "DQ-904"}},
		{"prosecution_review", casecard.SourceCase, []string{"DQ-901", "DQ-902", "DQ-904"}},
		{"arrest_review", casecard.SourceCase, []string{"DQ-902", "DQ-904"}},
		{"civil_supervision", casecard.SourceImport, []string{"DQ-902", "DQ-903"}}, // named by no rule: not indexed
		{"prosecution_review", "", []string{"DQ-901", "DQ-902", "DQ-904"}},         // unknown source: not indexed
	} {
		hits, n := lib.CheckInto(nil, &Env{Card: casecard.Card{Category: tc.category, Source: tc.source}})
		if got := hitIDs(hits); !slices.Equal(got, tc.want) || n != len(tc.want) {
			t.Errorf("%s/%s: hits %v (evaluated %d), want %v", tc.category, tc.source, got, n, tc.want)
		}
		if a := lib.Applicable(tc.category, tc.source); a != len(tc.want) {
			t.Errorf("Applicable(%s, %s) = %d, want %d", tc.category, tc.source, a, len(tc.want))
		}
	}
}

func TestHitCarriesRule(t *testing.T) {
	r := rule("DQ-901", "true")
	r.Version, r.Item, r.Kind, r.Severity = 4, "closed_on", KindLate, SeverityMinor
	lib, err := Compile([]Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	want := Hit{RuleID: "DQ-901", Version: 4, Item: "closed_on", Severity: SeverityMinor, Kind: KindLate}
	if hits := lib.Check(&Env{}); len(hits) != 1 || hits[0] != want {
		t.Errorf("hits = %+v", hits)
	}
	// CheckInto appends, so a scan reuses one buffer.
	buf := make([]Hit, 0, 4)
	buf, _ = lib.CheckInto(buf, &Env{})
	buf, _ = lib.CheckInto(buf, &Env{})
	if len(buf) != 2 {
		t.Errorf("CheckInto appended %d", len(buf))
	}
}

func TestRulesAreCopies(t *testing.T) {
	in := []Rule{rule("DQ-901", "true", "prosecution_review")}
	lib, err := Compile(in)
	if err != nil {
		t.Fatal(err)
	}
	in[0].Categories[0] = "arrest_review" // the caller's slice changes later
	got := lib.Rules()
	got[0].Categories[0] = "civil_supervision"
	r, ok := lib.Rule("DQ-901")
	if !ok || r.Categories[0] != "prosecution_review" {
		t.Errorf("Rule = %+v, %v", r, ok)
	}
	if _, ok := lib.Rule("DQ-999"); ok {
		t.Error("unknown rule found")
	}
	if hits := lib.Check(&Env{Card: casecard.Card{Category: "prosecution_review", Source: casecard.SourceCase}}); len(hits) != 1 {
		t.Errorf("the library changed with the caller's slice: %v", hits)
	}
	if !slices.Equal(lib.Rules()[0].Categories, lib.Rules()[0].Categories) {
		t.Error("All and Rules differ")
	}
}

// One library, many goroutines (the nightly scan): run with -race.
func TestConcurrentCheck(t *testing.T) {
	lib := mustLibrary(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			card, related := baseline(categoryCodes[g%len(categoryCodes)])
			var buf []Hit
			for i := 0; i < 200; i++ {
				env := &Env{Card: card, Related: related, Today: testToday}
				if i%2 == 1 {
					env.Card.Returns = 3
				}
				buf, _ = lib.CheckInto(buf[:0], env)
				if i%2 == 0 && len(buf) != 0 {
					t.Errorf("clean card hit: %v", hitIDs(buf))
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
