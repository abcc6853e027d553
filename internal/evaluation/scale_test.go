package evaluation

import "testing"

func TestGradeMapping(t *testing.T) {
	s17, _ := StandardScale("2017")
	s26, _ := StandardScale("2026")
	tests := []struct {
		scale Scale
		tally Tally
		want  string
		step  int
	}{
		{s17, Tally{}, "qualified", -1},
		{s17, Tally{Flaws: 1, Deduction: 2}, "flawed", 1},
		{s17, Tally{Flaws: 4, Deduction: 8}, "flawed", 1},
		{s17, Tally{Serious: 1, Deduction: 10}, "unqualified", 0},
		{s17, Tally{Flaws: 3, Serious: 1}, "unqualified", 0},
		{s26, Tally{}, "qualified", -1},
		{s26, Tally{Flaws: 1, Deduction: 2}, "basic", 1},
		{s26, Tally{Flaws: 5}, "basic", 1},
		{s26, Tally{Serious: 2}, "unqualified", 0},
	}
	for _, tt := range tests {
		got, step := tt.scale.Suggest(tt.tally)
		if got != tt.want || step != tt.step {
			t.Errorf("scale %s %+v: %s (step %d), want %s (step %d)", tt.scale.Code, tt.tally, got, step, tt.want, tt.step)
		}
	}
}

func TestCheckGrade(t *testing.T) {
	s17, _ := StandardScale("2017")
	s26, _ := StandardScale("2026")
	tests := []struct {
		scale Scale
		grade string
		tally Tally
		want  string
	}{
		{s26, "qualified", Tally{}, ""},
		{s26, "excellent", Tally{}, ""}, // proposed by the evaluator, with reasons
		{s26, "excellent", Tally{Flaws: 1}, "err.evaluation_excellent_not_eligible"},
		{s26, "excellent", Tally{Serious: 1}, "err.evaluation_excellent_not_eligible"},
		{s26, "basic", Tally{}, ""}, // worse than suggested: the evaluator's judgement
		{s26, "qualified", Tally{Flaws: 1}, "err.evaluation_grade_above_findings"},
		{s26, "basic", Tally{Serious: 1}, "err.evaluation_grade_above_findings"},
		{s26, "unqualified", Tally{Serious: 1}, ""},
		{s26, "flawed", Tally{Flaws: 1}, "err.evaluation_grade_unknown"}, // a 2017 grade on the 2026 scale
		{s17, "basic", Tally{Flaws: 1}, "err.evaluation_grade_unknown"},  // and the reverse
		{s17, "flawed", Tally{Flaws: 1}, ""},
		{s17, "qualified", Tally{Flaws: 2}, "err.evaluation_grade_above_findings"},
		{s17, "", Tally{}, "err.evaluation_grade_unknown"},
	}
	for _, tt := range tests {
		if got := tt.scale.CheckGrade(tt.grade, tt.tally); got != tt.want {
			t.Errorf("scale %s grade %q %+v: %q, want %q", tt.scale.Code, tt.grade, tt.tally, got, tt.want)
		}
	}
}

// A unit's own rule with a deduction threshold, as data.
func TestGradeRuleByDeduction(t *testing.T) {
	s, _ := StandardScale("2026")
	s.Rule.Steps = []RuleStep{{MinSerious: 1, Grade: "unqualified"}, {MinDeduction: 6, Grade: "basic"},
		{MinFlaws: 1, MinDeduction: 1, Grade: "qualified"}}
	s.Rule.ExcellentMaxFlaws = 1
	tests := []struct {
		tally Tally
		want  string
	}{
		{Tally{Flaws: 2, Deduction: 4}, "qualified"},
		{Tally{Flaws: 3, Deduction: 6}, "basic"},
		{Tally{Serious: 1, Deduction: 10}, "unqualified"},
	}
	for _, tt := range tests {
		if got, _ := s.Suggest(tt.tally); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.tally, got, tt.want)
		}
	}
	if key := s.CheckGrade("excellent", Tally{Flaws: 1, Deduction: 2}); key != "" {
		t.Errorf("one flaw allowed for excellent by the rule, got %q", key)
	}
	if !s.Fails("unqualified") || s.Fails("basic") {
		t.Error("Fails is wrong")
	}
}

func TestTallyIgnoresOverturned(t *testing.T) {
	fs := []Finding{{Class: ClassFlaw, Deduction: 2}, {Class: ClassSerious, Deduction: 10, Overturned: true},
		{Class: ClassNone}}
	if got := TallyOf(fs); got != (Tally{Flaws: 1, Deduction: 2}) {
		t.Errorf("tally %+v", got)
	}
}
