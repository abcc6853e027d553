package assign

import "strings"

// Message keys of the explanation, defined in internal/i18n/zh-CN/assign.json.
// Templates take fmt verbs positionally.
const (
	keyRound        = "assign.round"        // round number, the round's steps joined
	keySep          = "assign.sep"          // between steps and between rounds
	keyTurn         = "assign.turn"         // name, m, n
	keyAbsent       = "assign.absent"       // name
	keySkipWeight   = "assign.skip_weight"  // name, m, n
	keyCompensation = "assign.compensation" // name
	keyDesignated   = "assign.designated"   // designator, name, reason
)

// messageKeys lists every key Explain uses, so a test can hold the
// catalogue to it.
var messageKeys = []string{keyRound, keySep, keyTurn, keyAbsent, keySkipWeight, keyCompensation, keyDesignated}

// Explain renders the decision's steps as one line of user-facing text, e.g.
// "第17轮：王某某 不在位；赵某某（1/2）本轮轮空；李某某（1/1）轮到". Steps of
// one round share a round label; a walk that crosses into the next round
// shows both. A designated step has no round, since it is outside the
// rotation. t is the i18n lookup, typically (*i18n.Catalog).T, so that the
// text follows the user's language; punctuation comes from it too.
func (d Decision) Explain(t func(key string, args ...any) string) string {
	sep := t(keySep)
	var out, group []string
	round := 0
	flush := func() {
		if len(group) > 0 {
			out = append(out, t(keyRound, round, strings.Join(group, sep)))
			group = group[:0]
		}
	}
	for _, s := range d.Steps {
		if s.Kind == StepDesignated {
			flush()
			out = append(out, t(keyDesignated, s.By, s.Name, s.Reason))
			continue
		}
		if s.Round != round {
			flush()
			round = s.Round
		}
		group = append(group, s.phrase(t))
	}
	flush()
	return strings.Join(out, sep)
}

// phrase renders one rotation step without its round.
func (s Step) phrase(t func(key string, args ...any) string) string {
	switch s.Kind {
	case StepTurn:
		return t(keyTurn, s.Name, s.M, s.N)
	case StepAbsent:
		return t(keyAbsent, s.Name)
	case StepSkipWeight:
		return t(keySkipWeight, s.Name, s.M, s.N)
	case StepCompensation:
		return t(keyCompensation, s.Name)
	}
	// An unknown kind is a programming error; show it rather than hide it,
	// the way the catalogue shows an unknown key.
	return "⟦" + string(s.Kind) + "⟧"
}
