package evaluation

import (
	"fmt"
	"strings"
)

// The procedure stores some notes in a compact, stable form a program can
// read back (the draw's parameters, a score's tally, a follow-up's kind);
// these render them for people, in the reader's language.

// SelectionText renders why a record was drawn: the random draw's seed,
// rate and population, the names of the rules met, or the reason given
// by hand.
func SelectionText(t func(string, ...any) string, how Selection, reason string) string {
	switch how {
	case SelectRandom:
		var seed int64
		var rate, population int
		if n, _ := fmt.Sscanf(reason, "seed=%d rate=%d%% population=%d", &seed, &rate, &population); n == 3 {
			return t("evaluation.note.random", seed, rate, population)
		}
	case SelectRule:
		codes := strings.Split(reason, ",")
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = t(RuleKey(c))
		}
		return strings.Join(names, t("evaluation.list_sep"))
	}
	return reason
}

// NoteText renders the note of a step of a record's history: the
// selection method of a draw, the tally of a score, the kind of a
// follow-up; other notes (reasons, explanations) as written.
func (a Action) NoteText(t func(string, ...any) string) string {
	switch a.Kind {
	case ActSelect:
		if s := Selection(a.Note); s == SelectRandom || s == SelectRule || s == SelectManual {
			return t(s.Key())
		}
	case ActScore:
		var flaws, serious, deduction int
		if n, _ := fmt.Sscanf(a.Note, "flaws=%d serious=%d deduction=%d", &flaws, &serious, &deduction); n == 3 {
			return t("evaluation.note.score", flaws, serious, deduction)
		}
	case ActFollowUp:
		if kind, note, ok := strings.Cut(a.Note, ": "); ok && FollowUpKind(kind).Valid() {
			return t(FollowUpKind(kind).Key()) + t("evaluation.note.sep") + note
		}
	}
	return a.Note
}
