package dataquality

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/anguan/anguan/internal/casecard"
)

// testToday pins the scan date of every rule test.
const testToday = "2026-06-15"

// adultID is the baseline suspect's number (艾某某, born 17 May 1990). The
// cases in testdata use literal numbers; TestCaseIDs checks them.
const adultID = "110101199005170139"

var categoryCodes = []string{"arrest_review", "prosecution_review", "civil_supervision",
	"admin_supervision", "pil_admin", "pil_civil"}

func knownCategories() map[string]bool {
	m := map[string]bool{}
	for _, c := range categoryCodes {
		m[c] = true
	}
	return m
}

const uniformCriminal = "11010020260100012"

// prosecutionCard is a well-filled, closed prosecution-review card of an
// imported file: every item a rule reads is filled and consistent.
func prosecutionCard() casecard.Card {
	return casecard.Card{
		ID: 2, UnitID: 11, UnitLevel: 4, Source: casecard.SourceImport,
		StageNo: "安东院起诉受[2026]11010000012号", UniformNo: uniformCriminal, Category: "prosecution_review",
		Name: "艾某某盗窃案", Department: "第一检察部", Handler: "白某某", TransferringOrgan: "安东市公安局",
		Charges: "盗窃罪", ReceivedOn: "2026-03-02", SuspectName: "艾某某", SuspectID: adultID,
		Custody: casecard.Yes, Measure: "逮捕", Plea: casecard.Yes, PleaSignedOn: "2026-03-16",
		Sentencing: "确定刑", SentencingAdopted: "采纳", FastTrack: casecard.No, Minor: casecard.No,
		Decision: "起诉", DecidedOn: "2026-03-25", DocNo: "安东检刑诉〔2026〕12号",
		ClosedOn: "2026-03-26", EnteredOn: "2026-03-27",
	}
}

// arrestCard is the same suspect's arrest review, approved, in the same unit.
func arrestCard() casecard.Card {
	return casecard.Card{
		ID: 1, UnitID: 11, UnitLevel: 4, Source: casecard.SourceImport,
		StageNo: "安东院批捕受[2026]11010000003号", UniformNo: uniformCriminal, Category: "arrest_review",
		Name: "艾某某盗窃案", Department: "第一检察部", Handler: "白某某", TransferringOrgan: "安东市公安局",
		Charges: "盗窃罪", ReceivedOn: "2026-01-20", SuspectName: "艾某某", SuspectID: adultID,
		Custody: casecard.Yes, Measure: "刑事拘留", Plea: casecard.No, FastTrack: casecard.No, Minor: casecard.No,
		Decision: "批准逮捕", DecidedOn: "2026-01-26", DocNo: "安东检刑批捕〔2026〕3号",
		ClosedOn: "2026-01-26", EnteredOn: "2026-01-27",
	}
}

// civilCard and the others are well-filled non-criminal cards: the
// criminal items (custody, plea…) are left blank, as the national system
// leaves them.
func civilCard(category string) casecard.Card {
	c := casecard.Card{
		ID: 10, UnitID: 11, UnitLevel: 4, Source: casecard.SourceImport, Category: category,
		Department: "第三检察部", Handler: "邓某某", ReceivedOn: "2026-01-05",
		DecidedOn: "2026-03-20", ClosedOn: "2026-03-25", EnteredOn: "2026-03-26",
	}
	switch category {
	case "civil_supervision":
		c.StageNo, c.UniformNo = "安东院民监受[2026]11010000005号", "11010020260300005"
		c.Name, c.Decision, c.DocNo = "白某某与蔡某某民间借贷纠纷监督案", "不支持监督申请", "安东检民监〔2026〕5号"
	case "admin_supervision":
		c.StageNo, c.UniformNo = "安东院行监受[2026]11010000002号", "11010020260400002"
		c.Name, c.Decision, c.DocNo = "范某某诉安东市某局行政处罚监督案", "提出检察建议", "安东检行监〔2026〕2号"
	case "pil_admin":
		c.StageNo, c.UniformNo = "安东院行公受[2026]11010000004号", "11010020260500004"
		c.Name, c.Decision, c.DocNo = "安东市某河道污染行政公益诉讼案", "发出诉前检察建议", "安东检行公建〔2026〕4号"
		c.Department = "第五检察部"
	case "pil_civil":
		c.StageNo, c.UniformNo = "安东院民公受[2026]11010000001号", "11010020260600001"
		c.Name, c.Decision, c.DocNo = "某公司非法倾倒固体废物民事公益诉讼案", "提起公益诉讼", "安东检民公诉〔2026〕1号"
		c.Department = "第五检察部"
	}
	return c
}

// baseline is the clean card of a category and its related cards.
func baseline(category string) (casecard.Card, []casecard.Card) {
	switch category {
	case "prosecution_review":
		return prosecutionCard(), []casecard.Card{arrestCard()}
	case "arrest_review":
		return arrestCard(), []casecard.Card{prosecutionCard()}
	}
	return civilCard(category), nil
}

// relatedBase is what a case's related patch is applied to: the other
// criminal stage for criminal cards, a second card of the same case
// otherwise.
func relatedBase(category string) casecard.Card {
	switch category {
	case "prosecution_review":
		return arrestCard()
	case "arrest_review":
		return prosecutionCard()
	}
	c := civilCard(category)
	c.ID, c.StageNo, c.ReceivedOn = 99, c.StageNo+"-2", "2025-11-03"
	return c
}

// asCaseCard blanks the items anguan's own case form does not collect, so
// a baseline reads as a card projected from a registered case.
func asCaseCard(c casecard.Card) casecard.Card {
	c.Source, c.CaseID = casecard.SourceCase, c.ID
	c.Sentencing, c.SentencingAdopted, c.PleaSignedOn, c.DocNo = "", "", "", ""
	c.EnteredOn, c.SuspectID, c.Measure = "", "", ""
	return c
}

// importOnlyItems are the Card fields anguan's own form does not collect;
// a rule that reads one must be limited to imported cards.
var importOnlyItems = []string{"Sentencing", "SentencingAdopted", "PleaSignedOn", "DocNo", "EnteredOn", "SuspectID", "Measure"}

func mustLibrary(t testing.TB) *Library {
	t.Helper()
	lib, err := DefaultLibrary()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func hitIDs(hits []Hit) []string {
	var ids []string
	for _, h := range hits {
		if h.Err == nil {
			ids = append(ids, h.RuleID)
		}
	}
	return ids
}

func evalErrors(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		if h.Err != nil {
			out = append(out, h.Err.Error())
		}
	}
	return out
}

func TestShippedRules(t *testing.T) {
	rules, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 55 {
		t.Fatalf("only %d shipped rules", len(rules))
	}
	titles := map[string]string{}
	kinds, severities := map[string]int{}, map[string]int{}
	fieldRE := regexp.MustCompile(`\.(` + strings.Join(importOnlyItems, "|") + `)\b`)
	for i, r := range rules {
		if want := fmt.Sprintf("DQ-%03d", i+1); r.ID != want {
			t.Errorf("rule %d has id %s, want %s (ids are sequential)", i, r.ID, want)
		}
		if err := ValidateRule(r, knownCategories()); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		if r.Version != 1 {
			t.Errorf("%s: shipped version %d, want 1", r.ID, r.Version)
		}
		if r.Disabled {
			t.Errorf("%s: shipped disabled", r.ID)
		}
		if other, dup := titles[r.Title]; dup {
			t.Errorf("%s and %s share the title %q", other, r.ID, r.Title)
		}
		titles[r.Title] = r.ID
		kinds[r.Kind]++
		severities[r.Severity]++
		if m := fieldRE.FindString(r.When); m != "" && !slices.Equal(r.Sources, []string{casecard.SourceImport}) {
			t.Errorf("%s reads %s, which anguan's case form does not collect, but is not limited to imported cards", r.ID, m)
		}
		for _, text := range []string{r.Title, r.Hint, r.Reference} {
			if !strings.ContainsFunc(text, func(c rune) bool { return unicode.Is(unicode.Han, c) }) {
				t.Errorf("%s: %q is not Chinese", r.ID, text)
			}
		}
	}
	for _, k := range Kinds {
		if kinds[k] == 0 {
			t.Errorf("no shipped rule of kind %s", k)
		}
	}
	for _, s := range Severities {
		if severities[s] == 0 {
			t.Errorf("no shipped rule of severity %s", s)
		}
	}
}

// ruleCase is one rule's cards in testdata/rule_cases.json: patches over
// the clean baseline of a category that must hit the rule, and near misses
// that must not.
type ruleCase struct {
	Rule string     `json:"rule"`
	Base string     `json:"base"`
	Hit  []cardCase `json:"hit"`
	Miss []cardCase `json:"miss"`
}

type cardCase struct {
	Note string          `json:"note"`
	Card json.RawMessage `json:"card"`
	// Related: absent keeps the baseline's related cards; a list
	// replaces them with patches of relatedBase; [] means none.
	Related []json.RawMessage `json:"related"`
	Today   *string           `json:"today"`
}

func loadCases(t *testing.T) []ruleCase {
	t.Helper()
	b, err := os.ReadFile("testdata/rule_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var cases []ruleCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// patch overlays a JSON object of Card fields (Go names) on c. Unknown
// names fail, so a misspelt field cannot make a case pass vacuously.
func patch(t *testing.T, c casecard.Card, raw json.RawMessage) casecard.Card {
	t.Helper()
	if len(raw) == 0 {
		return c
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("patch %s: %v", raw, err)
	}
	return c
}

func (cc cardCase) env(t *testing.T, category string) *Env {
	card, related := baseline(category)
	card = patch(t, card, cc.Card)
	if cc.Related != nil {
		related = []casecard.Card{}
		for _, p := range cc.Related {
			related = append(related, patch(t, relatedBase(category), p))
		}
	}
	today := testToday
	if cc.Today != nil {
		today = *cc.Today
	}
	return &Env{Card: card, Related: related, Today: today}
}

func TestRuleCases(t *testing.T) {
	lib := mustLibrary(t)
	for _, rc := range loadCases(t) {
		if _, ok := lib.Rule(rc.Rule); !ok {
			t.Errorf("case for unknown rule %s", rc.Rule)
			continue
		}
		for i, cc := range rc.Hit {
			t.Run(fmt.Sprintf("%s/%s/hit%d", rc.Rule, rc.Base, i), func(t *testing.T) {
				hits := lib.Check(cc.env(t, rc.Base))
				if errs := evalErrors(hits); len(errs) > 0 {
					t.Fatalf("evaluation errors: %v", errs)
				}
				if !slices.Contains(hitIDs(hits), rc.Rule) {
					t.Errorf("%s not hit by %s; hits %v", rc.Rule, cc.Card, hitIDs(hits))
				}
			})
		}
		for i, cc := range rc.Miss {
			t.Run(fmt.Sprintf("%s/%s/miss%d", rc.Rule, rc.Base, i), func(t *testing.T) {
				hits := lib.Check(cc.env(t, rc.Base))
				if errs := evalErrors(hits); len(errs) > 0 {
					t.Fatalf("evaluation errors: %v", errs)
				}
				if slices.Contains(hitIDs(hits), rc.Rule) {
					t.Errorf("%s hit by its near miss %s", rc.Rule, cc.Card)
				}
			})
		}
	}
}

// Every shipped rule has at least one card it must hit and one it must
// not: a rule without both is untested knowledge.
func TestEveryRuleHasCases(t *testing.T) {
	rules, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	hit, miss := map[string]bool{}, map[string]bool{}
	for _, rc := range loadCases(t) {
		hit[rc.Rule] = hit[rc.Rule] || len(rc.Hit) > 0
		miss[rc.Rule] = miss[rc.Rule] || len(rc.Miss) > 0
	}
	for _, r := range rules {
		if !hit[r.ID] {
			t.Errorf("%s has no positive case", r.ID)
		}
		if !miss[r.ID] {
			t.Errorf("%s has no negative case", r.ID)
		}
	}
}

// A well-filled card of every category, closed or still open, imported
// or projected from a case, hits nothing: the rule set has no false
// positive on good data.
func TestCleanCardsHitNothing(t *testing.T) {
	lib := mustLibrary(t)
	for _, cat := range categoryCodes {
		card, related := baseline(cat)
		open := card
		open.Decision, open.DecidedOn, open.DocNo, open.ClosedOn, open.EnteredOn = "", "", "", "", ""
		open.SentencingAdopted = ""
		open.ReceivedOn = "2026-06-10"
		if cat == "prosecution_review" {
			open.PleaSignedOn, open.Sentencing = "", ""
		}
		variants := map[string]casecard.Card{"closed": card, "open": open,
			"closed-case": asCaseCard(card), "open-case": asCaseCard(open)}
		for name, c := range variants {
			rel := related
			if strings.HasSuffix(name, "-case") {
				rel = nil
				for _, r := range related {
					rel = append(rel, asCaseCard(r))
				}
			}
			for _, withRelated := range []bool{true, false} {
				env := &Env{Card: c, Today: testToday}
				if withRelated {
					env.Related = rel
				}
				hits := lib.Check(env)
				if len(hits) > 0 {
					t.Errorf("%s %s (related %v): hits %v, errors %v", cat, name, withRelated, hitIDs(hits), evalErrors(hits))
				}
			}
		}
	}
}

// The identity numbers the cases use are what their comments say.
func TestCaseIDs(t *testing.T) {
	for id, want := range map[string]string{
		adultID:              "1990-05-17",
		"110101198502030255": "1985-02-03",
		"110102200903010227": "2009-03-01",
		"110102200803020313": "2008-03-02",
		"110102200803010473": "2008-03-01",
		"110102200603050542": "2006-03-05",
	} {
		if got := birthDate(id); got != want {
			t.Errorf("birthDate(%s) = %q, want %s", id, got, want)
		}
	}
	if validID("110101199005170130") {
		t.Error("the bad-check-digit case number is valid")
	}
}

// projectedWords are the decision and measure names the store writes on
// cards projected from anguan cases (card_vocab in migration 0006). A
// projected card must never be reported for using anguan's own words.
var projectedWords = map[string][]string{
	"prosecution_review": {"起诉", "法定不起诉", "酌定不起诉", "存疑不起诉", "附条件不起诉", "移送其他机关"},
	"arrest_review":      {"批准逮捕", "不批准逮捕"},
	"pil_admin":          {"诉前检察建议", "提起诉讼", "终结审查"},
	"pil_civil":          {"诉前检察建议", "提起诉讼", "终结审查"},
	"civil_supervision":  {"提出抗诉", "提出再审检察建议", "提出检察建议", "不支持监督申请", "终结审查"},
	"admin_supervision":  {"提出抗诉", "提出再审检察建议", "提出检察建议", "不支持监督申请", "终结审查"},
}

func TestProjectedWordsAreKnown(t *testing.T) {
	lib := mustLibrary(t)
	vocabRules := []string{"DQ-044", "DQ-068", "DQ-069", "DQ-070", "DQ-071", "DQ-072", "DQ-073"}
	for cat, decisions := range projectedWords {
		for _, d := range decisions {
			card, related := baseline(cat)
			card.Decision = d
			for _, h := range hitIDs(lib.Check(&Env{Card: card, Related: related, Today: testToday})) {
				if slices.Contains(vocabRules, h) {
					t.Errorf("%s decision %s hits %s", cat, d, h)
				}
			}
		}
	}
	for _, m := range []string{"无", "拘传", "取保候审", "监视居住", "拘留", "逮捕", "留置"} {
		card, related := baseline("arrest_review")
		card.Measure = m
		if slices.Contains(hitIDs(lib.Check(&Env{Card: card, Related: related, Today: testToday})), "DQ-044") {
			t.Errorf("measure %s is not in the vocabulary", m)
		}
	}
}
