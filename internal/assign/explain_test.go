package assign

import (
	"fmt"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/i18n"
)

// fakeT is a translator with the zh-CN templates, so the rendering is tested
// without loading the catalogue.
func fakeT(key string, args ...any) string {
	msgs := map[string]string{
		"assign.round":        "第%d轮：%s",
		"assign.sep":          "；",
		"assign.turn":         "%s（%d/%d）轮到",
		"assign.absent":       "%s 不在位",
		"assign.skip_weight":  "%s（%d/%d）本轮轮空",
		"assign.compensation": "%s 因办案单元变更获得补偿，优先分案",
		"assign.designated":   "指定分案：%s 指定给 %s，理由：%s",
	}
	msg, ok := msgs[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	return fmt.Sprintf(msg, args...)
}

func TestExplain(t *testing.T) {
	wang, zhao, li := mem(1, "王某某", 1, 1), mem(2, "赵某某", 1, 2), mem(3, "李某某", 1, 1)
	wang.Absent = true
	owed := li
	owed.Compensation = 1
	rotation := func(ms []Member, st State) func() (Decision, error) {
		return func() (Decision, error) { return Next(ms, st) }
	}
	tests := []struct {
		name   string
		decide func() (Decision, error)
		want   string
	}{
		{"turn only", rotation([]Member{li}, State{Round: 17}),
			"第17轮：李某某（1/1）轮到"},
		{"passed over in the same round", rotation([]Member{wang, zhao, li}, State{Round: 18}),
			"第18轮：王某某 不在位；赵某某（1/2）本轮轮空；李某某（1/1）轮到"},
		{"walk crosses into the next round", rotation([]Member{li, wang, zhao}, State{Round: 16, Cursor: 1}),
			"第16轮：王某某 不在位；赵某某（1/2）本轮轮空；第17轮：李某某（1/1）轮到"},
		{"compensation", rotation([]Member{wang, owed}, State{Round: 5}),
			"第5轮：李某某 因办案单元变更获得补偿，优先分案"},
		{"designated", func() (Decision, error) { return Designate(State{Round: 9}, li, "张检察长", "重大疑难案件") },
			"指定分案：张检察长 指定给 李某某，理由：重大疑难案件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.decide()
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Explain(fakeT); got != tt.want {
				t.Errorf("Explain =\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

// The real catalogue defines every key Explain uses, and renders without a
// missing-key marker.
func TestExplainCatalogue(t *testing.T) {
	cat := i18n.MustLoad("zh-CN")
	for _, k := range messageKeys {
		if !cat.Has(k) {
			t.Errorf("zh-CN catalogue lacks %q", k)
		}
	}
	d := Decision{Steps: []Step{
		{Kind: StepAbsent, Name: "王某某", M: 1, N: 1, Round: 3},
		{Kind: StepSkipWeight, Name: "赵某某", M: 1, N: 2, Round: 4},
		{Kind: StepTurn, Name: "李某某", M: 1, N: 1, Round: 4},
	}}
	if got := d.Explain(cat.T); strings.Contains(got, "⟦") || got != d.Explain(fakeT) {
		t.Errorf("catalogue renders %q, fake renders %q", got, d.Explain(fakeT))
	}
}
