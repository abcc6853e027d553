package aid

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/monitor"
)

// Quizzes (测验) are generated from the system's own rule libraries, so
// the knowledge a trainee is tested on is the knowledge the system
// enforces, with the article behind it as the explanation: each deadline
// rule variant asks for its period, each monitoring rule for how its
// problem is put right, each data-quality rule for how its card error is
// corrected, and each evaluation item for its standard. The wrong options
// are the answers of sibling rules of the same library (same template,
// same kind of error first), chosen by a seeded generator, so the same
// seed always gives the same quiz.

// Question sources: the rule libraries a quiz draws from.
const (
	QuizDeadline    = "deadline"    // 办案期限规则
	QuizMonitor     = "monitor"     // 流程监控规则
	QuizDataQuality = "dataquality" // 数据质量规则
	QuizEvaluation  = "evaluation"  // 案件质量评查项目
)

// QuizSources lists the sources in display order.
func QuizSources() []string {
	return []string{QuizDeadline, QuizMonitor, QuizDataQuality, QuizEvaluation}
}

// QuizOptions is the number of options of every question.
const QuizOptions = 4

// QuizQuestion is one multiple-choice question: Options holds the answer
// at index Answer and three distractors; Explanation is the legal basis of
// the rule it was made from.
type QuizQuestion struct {
	Source      string   `json:"source"`
	Code        string   `json:"code"`
	Area        string   `json:"area"`
	Stem        string   `json:"stem"`
	Options     []string `json:"options"`
	Answer      int      `json:"answer"`
	Explanation string   `json:"explanation"`
}

// fact is one rule of a library as a question sees it: what is asked,
// the right answer, the basis, and the group whose answers make the best
// distractors.
type fact struct {
	source, code, area, group string
	stem, answer, basis       string
}

// QuestionBank turns every rule of the four libraries into a question,
// in library order. t renders names and stems (i18n); seed fixes the
// choice and order of the options.
func QuestionBank(t func(key string, args ...any) string, seed int64) ([]QuizQuestion, error) {
	var facts []fact
	facts = append(facts, deadlineFacts(t)...)
	facts = append(facts, monitorFacts(t)...)
	dq, err := dataQualityFacts(t)
	if err != nil {
		return nil, err
	}
	facts = append(facts, dq...)
	ev, err := evaluationFacts(t)
	if err != nil {
		return nil, err
	}
	facts = append(facts, ev...)
	return questionsOf(facts, seed)
}

// questionsOf builds the questions of facts: three distractors from the
// answers of the same group, then of the same source, never equal to the
// answer or to each other.
func questionsOf(facts []fact, seed int64) ([]QuizQuestion, error) {
	bySource := map[string][]string{}
	byGroup := map[string][]string{}
	for _, f := range facts {
		bySource[f.source] = append(bySource[f.source], f.answer)
		byGroup[f.source+"/"+f.group] = append(byGroup[f.source+"/"+f.group], f.answer)
	}
	out := make([]QuizQuestion, 0, len(facts))
	for _, f := range facts {
		rng := rand.New(rand.NewPCG(uint64(seed), hash(f.source+"/"+f.code)))
		var picked []string
		for _, pool := range [][]string{byGroup[f.source+"/"+f.group], bySource[f.source]} {
			cands := distinct(pool, append([]string{f.answer}, picked...))
			rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
			for _, c := range cands {
				if len(picked) == QuizOptions-1 {
					break
				}
				picked = append(picked, c)
			}
		}
		if len(picked) < QuizOptions-1 {
			return nil, fmt.Errorf("aid: quiz: %s %s has only %d distinct distractors", f.source, f.code, len(picked))
		}
		answer := rng.IntN(QuizOptions)
		opts := slices.Insert(picked, answer, f.answer)
		out = append(out, QuizQuestion{Source: f.source, Code: f.code, Area: f.area, Stem: f.stem, Options: opts,
			Answer: answer, Explanation: f.basis})
	}
	return out, nil
}

// distinct is pool without duplicates and without the excluded values,
// sorted so the shuffle that follows depends only on the seed.
func distinct(pool, exclude []string) []string {
	var out []string
	for _, p := range pool {
		if !slices.Contains(exclude, p) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func hash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// periodText renders a statutory period as the explanations of the
// deadline engine do ("7日", "1个月").
func periodText(t func(string, ...any) string, p deadline.Period) string {
	switch p.Unit {
	case deadline.UnitMonths:
		return t("deadline.unit.months", p.N)
	case deadline.UnitWorkingDays:
		return t("deadline.unit.working_days", p.N)
	case deadline.UnitHours:
		return t("deadline.unit.hours", p.N)
	}
	return t("deadline.unit.days", p.N)
}

// condFacts are the yes/no facts of a deadline condition by name.
func condFacts(c deadline.Cond) map[string]deadline.Tri {
	return map[string]deadline.Tri{"in_custody": c.InCustody, "major": c.Major, "fast_track": c.FastTrack,
		"sentence_over_one_year": c.SentenceOverOneYear, "urgent": c.Urgent}
}

var condOrder = []string{"in_custody", "major", "fast_track", "sentence_over_one_year", "urgent"}

// variantCondition describes when variant i of a rule applies: its own
// facts, and the negation of the one fact that would have made an earlier
// variant apply first (variants are tried in order).
func variantCondition(t func(string, ...any) string, vs []deadline.Variant, i int) string {
	if len(vs) == 1 {
		return ""
	}
	cur := map[string]deadline.Tri{}
	for k, v := range condFacts(vs[i].When) {
		if v != deadline.Any {
			cur[k] = v
		}
	}
	catNo := []string{}
	for _, e := range vs[:i] {
		if len(e.When.Categories) > 0 {
			catNo = append(catNo, e.When.Categories...)
			continue
		}
		var open []string
		contradicts := false
		for k, v := range condFacts(e.When) {
			if v == deadline.Any {
				continue
			}
			switch c, ok := cur[k]; {
			case !ok:
				open = append(open, k)
			case c != v:
				contradicts = true
			}
		}
		if !contradicts && len(open) == 1 {
			cur[open[0]] = 3 - condFacts(e.When)[open[0]] // Yes ↔ No
		}
	}
	var parts []string
	for _, c := range vs[i].When.Categories {
		parts = append(parts, t("aid.quiz.cond.category", t(deadline.CategoryKey(c))))
	}
	for _, c := range catNo {
		parts = append(parts, t("aid.quiz.cond.not_category", t(deadline.CategoryKey(c))))
	}
	for _, k := range condOrder {
		switch cur[k] {
		case deadline.Yes:
			parts = append(parts, t("aid.quiz.cond."+k+".yes"))
		case deadline.No:
			parts = append(parts, t("aid.quiz.cond."+k+".no"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return t("aid.quiz.cond", strings.Join(parts, t("aid.quiz.cond_sep")))
}

// deadlineFacts asks the period of every variant of every deadline rule.
func deadlineFacts(t func(string, ...any) string) []fact {
	var out []fact
	for _, r := range deadline.DefaultRules().Rules() {
		name := t(r.NameKey)
		if r.NameKey == "" {
			name = t("deadline.kind." + r.Kind)
		}
		for i, v := range r.Variants {
			out = append(out, fact{source: QuizDeadline, code: fmt.Sprintf("%s#%d", r.Kind, i+1), area: "monitoring",
				group: "deadline", stem: t("aid.quiz.stem.deadline", name, variantCondition(t, r.Variants, i)),
				answer: periodText(t, v.Base), basis: v.Basis})
		}
	}
	return out
}

// monitorArea maps a monitored area to the competency it tests.
func monitorArea(a monitor.Area) string {
	switch a {
	case monitor.AreaIntake:
		return "intake"
	case monitor.AreaDataEntry:
		return "data"
	case monitor.AreaDisclosure:
		return "disclosure"
	}
	return "monitoring"
}

// monitorFacts asks how the problem of every monitoring rule is put right.
func monitorFacts(t func(string, ...any) string) []fact {
	var out []fact
	for _, r := range monitor.DefaultRules() {
		out = append(out, fact{source: QuizMonitor, code: r.ID, area: monitorArea(r.Area), group: "monitor",
			stem: t("aid.quiz.stem.monitor", t(r.TitleKey)), answer: t(r.FixKey), basis: r.Basis})
	}
	return out
}

// dataQualityFacts asks how the card error of every data-quality rule is
// corrected; rules of the same kind of error are the siblings.
func dataQualityFacts(t func(string, ...any) string) ([]fact, error) {
	rules, err := dataquality.Default()
	if err != nil {
		return nil, err
	}
	var out []fact
	for _, r := range rules {
		if r.Disabled {
			continue
		}
		out = append(out, fact{source: QuizDataQuality, code: r.ID, area: "data", group: r.Kind,
			stem: t("aid.quiz.stem.dataquality", r.Title), answer: r.Hint, basis: r.Reference})
	}
	return out, nil
}

// evaluationFacts asks the standard of every item of the shipped
// evaluation templates; items of the same template are the siblings. An
// item without its own basis is explained by its template's.
func evaluationFacts(t func(string, ...any) string) ([]fact, error) {
	tpls, err := evaluation.DefaultTemplates()
	if err != nil {
		return nil, err
	}
	var out []fact
	for _, tp := range tpls {
		for _, sec := range tp.Sections {
			for _, it := range sec.Items {
				basis := it.Basis
				if strings.TrimSpace(basis) == "" {
					basis = tp.Basis
				}
				out = append(out, fact{source: QuizEvaluation, code: tp.Code + "/" + it.Code, area: "evaluation",
					group: tp.Code, stem: t("aid.quiz.stem.evaluation", tp.Name, it.Title), answer: it.Standard, basis: basis})
			}
		}
	}
	return out, nil
}

// errNoAnswer marks an attempt with a question left unanswered.
var errNoAnswer = errors.New("aid: question not answered")

// Score marks answers against questions: the number right and the score
// in whole percent, rounded half up (9 of 11 is 82). Every question must
// be answered with an option index.
func Score(qs []QuizQuestion, answers []int) (correct, score int, err error) {
	if len(qs) == 0 || len(answers) != len(qs) {
		return 0, 0, errNoAnswer
	}
	for i, q := range qs {
		if answers[i] < 0 || answers[i] >= len(q.Options) {
			return 0, 0, errNoAnswer
		}
		if answers[i] == q.Answer {
			correct++
		}
	}
	return correct, (200*correct + len(qs)) / (2 * len(qs)), nil
}
