package evaluation

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Scale is a grade scale (评查等次) with the rule that maps findings to a
// suggested grade. It belongs to a template version and so to every record
// scored against it: a record graded under the 2017 scale keeps it after the
// 2026 scale replaces it.
//
// The two standard scales (StandardScales, templates/scales.json):
//   - 2017: 优质 / 合格 / 瑕疵 / 不合格 — 《人民检察院案件质量评查工作规定
//     （试行）》 (SPP, December 2017, in force 1 January 2018).
//   - 2026: 优质 / 合格 / 基本合格 / 不合格 — 《人民检察院案件质量检查与评查
//     工作规定》 (SPP, January 2026; reported by 检察日报 18 January 2026).
//
// The mapping rules are data. What the shipped rules encode — any serious
// problem makes the case 不合格; any flaw makes it 瑕疵 (2017) or 基本合格
// (2026); no problem is 合格; 优质 only when the evaluator proposes it with
// reasons and no problem was found — is this project's reading of the grade
// definitions, not a quotation (verify against the official texts: the
// 2026 rules are reported to use quantitative scoring, whose thresholds are
// not public here, so a unit may add MinDeduction steps). The points per
// grade follow the local rule quoted in DOMAIN §7 (excellent +5, flawed −5,
// unqualified −8 of a 40-point quality block) and are marked verify.
type Scale struct {
	// Code names the scale ("2017", "2026").
	Code string `json:"code"`
	// Name is its title (2026年等次标准).
	Name string `json:"name"`
	// Basis cites the rules that define it.
	Basis string `json:"basis"`
	// Grades are the grades from the best.
	Grades []Grade `json:"grades"`
	// Rule maps findings to a suggested grade.
	Rule GradeRule `json:"rule"`
}

// Grade is one grade of a scale.
type Grade struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Points is what the grade adds to the handler's performance file
	// (司法业绩档案), by the unit's rule (verify).
	Points int `json:"points"`
	// Fails marks the failing grade (不合格): the only one that may be
	// referred for responsibility, and one that cannot be closed without a
	// correction.
	Fails bool `json:"fails,omitempty"`
}

// GradeRule maps the findings of a case to the suggested grade: the first
// step whose conditions all hold gives the grade; if none holds, Default.
// Excellent is never suggested: the evaluator may propose it, with
// reasons, when the suggestion is Default and the flaws do not exceed
// ExcellentMaxFlaws.
type GradeRule struct {
	Steps             []RuleStep `json:"steps"`
	Default           string     `json:"default"`
	Excellent         string     `json:"excellent"`
	ExcellentMaxFlaws int        `json:"excellent_max_flaws"`
}

// RuleStep is one step of a grade rule; its set conditions must all hold
// (a zero condition is not checked, and a step needs at least one).
type RuleStep struct {
	MinSerious   int    `json:"min_serious,omitempty"`
	MinFlaws     int    `json:"min_flaws,omitempty"`
	MinDeduction int    `json:"min_deduction,omitempty"`
	Grade        string `json:"grade"`
}

// matches reports whether the tally meets every set condition.
func (s RuleStep) matches(t Tally) bool {
	return (s.MinSerious == 0 || t.Serious >= s.MinSerious) &&
		(s.MinFlaws == 0 || t.Flaws >= s.MinFlaws) &&
		(s.MinDeduction == 0 || t.Deduction >= s.MinDeduction)
}

// Tally counts the problems among findings.
type Tally struct {
	Flaws     int
	Serious   int
	Deduction int
}

// TallyOf counts findings; overturned findings (decided on objection) no
// longer count.
func TallyOf(fs []Finding) Tally {
	var t Tally
	for _, f := range fs {
		if f.Overturned {
			continue
		}
		switch f.Class {
		case ClassFlaw:
			t.Flaws++
		case ClassSerious:
			t.Serious++
		}
		t.Deduction += f.Deduction
	}
	return t
}

// Grade finds a grade of the scale.
func (s Scale) Grade(code string) (Grade, bool) {
	i := s.rank(code)
	if i < 0 {
		return Grade{}, false
	}
	return s.Grades[i], true
}

// Label is the grade's label, or the code for an unknown grade.
func (s Scale) Label(code string) string {
	if g, ok := s.Grade(code); ok {
		return g.Label
	}
	return code
}

// rank is the grade's position from the best; -1 if unknown.
func (s Scale) rank(code string) int {
	return slices.IndexFunc(s.Grades, func(g Grade) bool { return g.Code == code })
}

// Suggest is the grade the rule gives a tally, and the index of the step
// that gave it (-1: the default).
func (s Scale) Suggest(t Tally) (string, int) {
	for i, st := range s.Rule.Steps {
		if st.matches(t) {
			return st.Grade, i
		}
	}
	return s.Rule.Default, -1
}

// CheckGrade checks a grade proposed (or decided) for findings that tally
// t, and returns the i18n key of the refusal, or "": the grade must be on
// the scale; it may be the suggested grade or a worse one (the evaluator
// judges the findings together, and says why); it may be excellent only
// where the suggestion is the default grade and the flaws are within the
// rule's allowance; it may never be better than the findings allow.
func (s Scale) CheckGrade(grade string, t Tally) string {
	r := s.rank(grade)
	if r < 0 {
		return "err.evaluation_grade_unknown"
	}
	suggested, _ := s.Suggest(t)
	if grade == s.Rule.Excellent && grade != suggested {
		if suggested != s.Rule.Default || t.Flaws > s.Rule.ExcellentMaxFlaws || t.Serious > 0 {
			return "err.evaluation_excellent_not_eligible"
		}
		return ""
	}
	if r < s.rank(suggested) {
		return "err.evaluation_grade_above_findings"
	}
	return ""
}

// Fails reports whether grade is the scale's failing grade.
func (s Scale) Fails(grade string) bool {
	g, ok := s.Grade(grade)
	return ok && g.Fails
}

// standardScales parses the embedded standard scales once per call.
func standardScales() ([]Scale, error) {
	b, err := files.ReadFile("templates/scales.json")
	if err != nil {
		return nil, err
	}
	var out []Scale
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("evaluation: scales.json: %w", err)
	}
	return out, nil
}

// StandardScales returns the 2017 and 2026 scales as shipped. The file is
// checked by the package tests, so a failure here is a build defect and
// panics.
func StandardScales() []Scale {
	s, err := standardScales()
	if err != nil {
		panic(err)
	}
	return s
}

// StandardScale returns a shipped scale by code.
func StandardScale(code string) (Scale, bool) {
	for _, s := range StandardScales() {
		if s.Code == code {
			return s, true
		}
	}
	return Scale{}, false
}
