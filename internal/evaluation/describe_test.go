package evaluation

import (
	"fmt"
	"testing"
)

// fakeT renders a key with its arguments, so the tests see what was
// asked for.
func fakeT(key string, args ...any) string {
	if len(args) == 0 {
		return "<" + key + ">"
	}
	return fmt.Sprintf("<%s %v>", key, args)
}

func TestSelectionText(t *testing.T) {
	for _, c := range []struct {
		how    Selection
		reason string
		want   string
	}{
		{SelectRandom, "seed=7 rate=10% population=12", "<evaluation.note.random [7 10 12]>"},
		{SelectRandom, "hand-edited", "hand-edited"},
		{SelectRule, "np_insufficient,returned_twice", "<evaluation.rule.np_insufficient><evaluation.list_sep><evaluation.rule.returned_twice>"},
		{SelectManual, "信访案件", "信访案件"},
	} {
		if got := SelectionText(fakeT, c.how, c.reason); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.how, c.reason, got, c.want)
		}
	}
}

func TestActionNoteText(t *testing.T) {
	for _, c := range []struct {
		a    Action
		want string
	}{
		{Action{Kind: ActSelect, Note: "random"}, "<evaluation.selection.random>"},
		{Action{Kind: ActScore, Note: "flaws=2 serious=0 deduction=4"}, "<evaluation.note.score [2 0 4]>"},
		{Action{Kind: ActFollowUp, Note: "correction: 已补正"}, "<evaluation.followup.correction><evaluation.note.sep>已补正"},
		{Action{Kind: ActFollowUp, Note: "unknown: x"}, "unknown: x"},
		{Action{Kind: ActPropose, Note: "存在两处瑕疵"}, "存在两处瑕疵"},
		{Action{Kind: ActAssign, Note: "候选：甲（在评0件）"}, "候选：甲（在评0件）"},
	} {
		if got := c.a.NoteText(fakeT); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.a.Kind, c.a.Note, got, c.want)
		}
	}
}
