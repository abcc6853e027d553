package aid_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/monitor"
)

// Every rule of every library becomes one valid question: four distinct
// options with the answer among them, an explanation (the legal basis)
// and no untranslated key; the same seed gives the same bank.
func TestQuizBankCoversEveryRule(t *testing.T) {
	tr := i18n.MustLoad(i18n.DefaultLang).T
	bank, err := aid.QuestionBank(tr, 42)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, r := range deadline.DefaultRules().Rules() {
		want[aid.QuizDeadline] += len(r.Variants)
	}
	want[aid.QuizMonitor] = len(monitor.DefaultRules())
	dq, err := dataquality.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range dq {
		if !r.Disabled {
			want[aid.QuizDataQuality]++
		}
	}
	tpls, err := evaluation.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range tpls {
		for _, s := range tp.Sections {
			want[aid.QuizEvaluation] += len(s.Items)
		}
	}
	got := map[string]int{}
	codes := map[string]bool{}
	for _, q := range bank {
		got[q.Source]++
		key := q.Source + "/" + q.Code
		if codes[key] {
			t.Errorf("%s twice", key)
		}
		codes[key] = true
		if len(q.Options) != aid.QuizOptions || q.Answer < 0 || q.Answer >= len(q.Options) {
			t.Errorf("%s: %d options, answer %d", key, len(q.Options), q.Answer)
			continue
		}
		if len(slices.Compact(slices.Sorted(slices.Values(q.Options)))) != aid.QuizOptions {
			t.Errorf("%s: options repeat: %q", key, q.Options)
		}
		for _, s := range append([]string{q.Stem, q.Explanation}, q.Options...) {
			if strings.TrimSpace(s) == "" || strings.Contains(s, "⟦") {
				t.Errorf("%s: empty or untranslated text %q", key, s)
			}
		}
		if q.Area == "" {
			t.Errorf("%s: no competency area", key)
		}
	}
	for _, src := range aid.QuizSources() {
		if got[src] != want[src] || want[src] == 0 {
			t.Errorf("%s: %d questions, want one per rule: %d", src, got[src], want[src])
		}
	}
	again, err := aid.QuestionBank(tr, 42)
	if err != nil || !slices.EqualFunc(bank, again, func(a, b aid.QuizQuestion) bool {
		return a.Stem == b.Stem && a.Answer == b.Answer && slices.Equal(a.Options, b.Options)
	}) {
		t.Errorf("the same seed gave another bank (%v)", err)
	}
	other, err := aid.QuestionBank(tr, 43)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for i := range bank {
		if bank[i].Answer != other[i].Answer {
			moved++
		}
		if bank[i].Options[bank[i].Answer] != other[i].Options[other[i].Answer] {
			t.Errorf("%s: the answer depends on the seed", bank[i].Code)
		}
	}
	if moved == 0 {
		t.Error("another seed moved no answer")
	}
	// The stems read as the rules do.
	for _, c := range []struct{ code, stem, answer string }{
		{"arrest_review#1", "审查逮捕期限（犯罪嫌疑人在押）是多长时间？", "7日"},
		{"arrest_review#2", "审查逮捕期限（犯罪嫌疑人未被羁押、重大、复杂案件）是多长时间？", "20日"},
		{"arrest_review#3", "审查逮捕期限（犯罪嫌疑人未被羁押、一般案件）是多长时间？", "15日"},
		{"prosecution_review#2", "审查起诉期限（适用速裁程序、可能判处一年以下有期徒刑）是多长时间？", "10日"},
		{"prosecution_review#3", "审查起诉期限（未适用速裁程序）是多长时间？", "1个月"},
	} {
		i := slices.IndexFunc(bank, func(q aid.QuizQuestion) bool { return q.Code == c.code })
		if i < 0 || bank[i].Stem != c.stem || bank[i].Options[bank[i].Answer] != c.answer {
			t.Errorf("%s: %+v", c.code, bank[max(i, 0)])
		}
	}
}

// Scores computed by hand: whole percent, rounded half up.
func TestQuizScore(t *testing.T) {
	q := func(answer int) aid.QuizQuestion {
		return aid.QuizQuestion{Options: []string{"a", "b", "c", "d"}, Answer: answer}
	}
	eleven := make([]aid.QuizQuestion, 11)
	right := make([]int, 11)
	for i := range eleven {
		eleven[i] = q(i % 4)
		right[i] = i % 4
	}
	nineOfEleven := slices.Clone(right)
	nineOfEleven[0], nineOfEleven[1] = 3, 3 // two wrong
	for _, c := range []struct {
		name           string
		qs             []aid.QuizQuestion
		answers        []int
		correct, score int
		bad            bool
	}{
		{"all right", eleven, right, 11, 100, false},
		{"9 of 11 = 81.8", eleven, nineOfEleven, 9, 82, false},
		{"1 of 8 = 12.5 rounds up", []aid.QuizQuestion{q(0), q(0), q(0), q(0), q(0), q(0), q(0), q(0)},
			[]int{0, 1, 1, 1, 1, 1, 1, 1}, 1, 13, false},
		{"2 of 3 = 66.7", []aid.QuizQuestion{q(0), q(1), q(2)}, []int{0, 1, 3}, 2, 67, false},
		{"none right", []aid.QuizQuestion{q(0), q(1)}, []int{1, 0}, 0, 0, false},
		{"one unanswered", []aid.QuizQuestion{q(0), q(1)}, []int{0, -1}, 0, 0, true},
		{"too few answers", []aid.QuizQuestion{q(0), q(1)}, []int{0}, 0, 0, true},
		{"option out of range", []aid.QuizQuestion{q(0)}, []int{4}, 0, 0, true},
	} {
		correct, score, err := aid.Score(c.qs, c.answers)
		if (err != nil) != c.bad || correct != c.correct || score != c.score {
			t.Errorf("%s: %d right, %d points, %v", c.name, correct, score, err)
		}
	}
}

// Draw takes the requested number from the chosen sources and area, in
// an order the seed fixes, and says how many there were when too few.
func TestQuizDraw(t *testing.T) {
	bank, err := aid.QuestionBank(i18n.MustLoad(i18n.DefaultLang).T, 7)
	if err != nil {
		t.Fatal(err)
	}
	qs, n := aid.Draw(bank, []string{aid.QuizDataQuality}, "data", 10, 7)
	if len(qs) != 10 || n < 10 {
		t.Fatalf("drew %d of %d", len(qs), n)
	}
	for _, q := range qs {
		if q.Source != aid.QuizDataQuality || q.Area != "data" {
			t.Errorf("drew %s %s", q.Source, q.Area)
		}
	}
	same, _ := aid.Draw(bank, []string{aid.QuizDataQuality}, "data", 10, 7)
	if !slices.EqualFunc(qs, same, func(a, b aid.QuizQuestion) bool { return a.Code == b.Code }) {
		t.Error("the same seed drew other questions")
	}
	if qs, n := aid.Draw(bank, []string{aid.QuizEvaluation}, "intake", 1, 7); qs != nil || n != 0 {
		t.Errorf("evaluation items in intake: %d of %d", len(qs), n)
	}
}
