package evaluation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
)

// Conflicts is what recusal (回避) needs to know of a case.
type Conflicts struct {
	UnitID int64
	// HandlerID is the case's handler now.
	HandlerID int64
	// TeamIDs are everyone assigned to handle the case at any time (the
	// assignments): the handling team as the system records it. (Cases
	// carry no separate list of assistants; when one is recorded, it
	// belongs here.)
	TeamIDs []int64
	// VerifierID verified the case's self-check (核查), 0 if nobody yet.
	VerifierID int64
	// ActorIDs recorded an event on the case (case_events.actor_id).
	ActorIDs []int64
}

// Recusal is a reason an evaluator may not evaluate a case. Keyed as
// "evaluation.recusal.<code>"; the refusal of an assignment is
// "err.evaluation_recused_<code>".
type Recusal string

// Recusal reasons (DOMAIN §4, §7: not the handler, not a participant, no
// interest).
const (
	RecuseHandler     Recusal = "handler"     // 承办人
	RecuseTeam        Recusal = "team"        // 办案组成员（曾承办）
	RecuseVerifier    Recusal = "verifier"    // 核查人
	RecuseParticipant Recusal = "participant" // 在案件中登记过程序事件
	RecuseSameUnit    Recusal = "same_unit"   // 交叉/上级院评查中与案件同院
	RecuseAid         Recusal = "aid"         // 援助方，本次活动不允许
)

// Recusals lists every reason.
func Recusals() []Recusal {
	return []Recusal{RecuseHandler, RecuseTeam, RecuseVerifier, RecuseParticipant, RecuseSameUnit, RecuseAid}
}

// Key is the i18n key of the reason's short name.
func (r Recusal) Key() string { return "evaluation.recusal." + string(r) }

// ErrKey is the i18n key of the refusal of an assignment for this reason.
func (r Recusal) ErrKey() string { return "err.evaluation_recused_" + string(r) }

// Recuse lists the reasons evaluator e may not evaluate record rec of
// activity a, whose case's conflicts are c; none means e may.
func Recuse(a Activity, rec Record, c Conflicts, e Person) []Recusal {
	var out []Recusal
	if e.ID == rec.HandlerID || (c.HandlerID != 0 && e.ID == c.HandlerID) {
		out = append(out, RecuseHandler)
	}
	if slices.Contains(c.TeamIDs, e.ID) && e.ID != rec.HandlerID && e.ID != c.HandlerID {
		out = append(out, RecuseTeam)
	}
	if c.VerifierID != 0 && e.ID == c.VerifierID {
		out = append(out, RecuseVerifier)
	}
	if slices.Contains(c.ActorIDs, e.ID) {
		out = append(out, RecuseParticipant)
	}
	if (a.Kind == KindCross || a.Kind == KindUpper) && e.UnitID == rec.UnitID {
		// Cross evaluation: evaluators come from other units; upper-level
		// evaluation: from the upper unit, not the evaluated one.
		out = append(out, RecuseSameUnit)
	}
	p := e.Principal()
	if p.Has(access.AidPartner) && !a.AllowAid && !access.CanEvaluate(p, false) {
		out = append(out, RecuseAid)
	}
	return out
}

// Choice is one record's evaluator chosen by Balance, with the
// explanation the case manager sees.
type Choice struct {
	RecordID    int64
	EvaluatorID int64
	Explanation string
}

// Balance assigns evaluators to records: first in record order, among
// the activity's evaluators who are not recused, the one with the fewest
// open records (loads: every open record, in any activity, plus those
// given in this run), on a tie the one listed first; then, while some
// record's evaluator has at least two more open records than another
// eligible evaluator, the record moves to that one (so recusal cannot
// leave one evaluator with all the work when a balanced assignment
// exists). Each choice explains who was a candidate with what load, who
// was recused and why, why the one chosen, and any move. A record with no
// eligible evaluator is refused with a validation error naming its case;
// then nothing is assigned.
func Balance(t func(string, ...any) string, a Activity, recs []Record, conflicts map[int64]Conflicts,
	evaluators []Person, loads map[int64]int) ([]Choice, error) {
	load := map[int64]int{}
	for k, n := range loads {
		load[k] = n
	}
	sep := t("evaluation.list_sep")
	type pick struct {
		cands  []Person
		parts  []string // candidates with their loads, recused: as seen when chosen
		chosen int
		tie    bool
		moved  bool
		from   Person
		fromN  int
		toN    int
	}
	v := &apperr.Validation{}
	picks := make([]pick, len(recs))
	for i, rec := range recs {
		var cands []Person
		var recused []string
		for _, e := range evaluators {
			rs := Recuse(a, rec, conflicts[rec.Case.ID], e)
			if len(rs) == 0 {
				cands = append(cands, e)
				continue
			}
			names := make([]string, len(rs))
			for j, r := range rs {
				names[j] = t(r.Key())
			}
			recused = append(recused, t("evaluation.assign.recused_one", e.Name, strings.Join(names, sep)))
		}
		if len(cands) == 0 {
			add(v, fmt.Sprintf("records[%d]", i), "err.evaluation_no_evaluator", rec.Case.Name)
			continue
		}
		best := 0
		for j := 1; j < len(cands); j++ {
			if load[cands[j].ID] < load[cands[best].ID] {
				best = j
			}
		}
		tie := slices.ContainsFunc(cands, func(p Person) bool {
			return p.ID != cands[best].ID && load[p.ID] == load[cands[best].ID]
		})
		loadsText := make([]string, len(cands))
		for j, c := range cands {
			loadsText[j] = t("evaluation.assign.load", c.Name, load[c.ID])
		}
		parts := []string{t("evaluation.assign.candidates", strings.Join(loadsText, sep))}
		if len(recused) > 0 {
			parts = append(parts, t("evaluation.assign.recused", strings.Join(recused, sep)))
		}
		load[cands[best].ID]++
		picks[i] = pick{cands: cands, parts: parts, chosen: best, tie: tie}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Rebalance: each move lowers the sum of squared loads, so this ends.
	for moved := true; moved; {
		moved = false
		for i := range picks {
			p := &picks[i]
			cur := p.cands[p.chosen]
			for j, c := range p.cands {
				if load[c.ID] <= load[cur.ID]-2 {
					if !p.moved {
						p.from, p.fromN = cur, load[cur.ID]
					}
					load[cur.ID]--
					load[c.ID]++
					p.chosen, p.moved, p.toN, moved = j, true, load[c.ID]-1, true
					break
				}
			}
		}
	}
	out := make([]Choice, len(recs))
	for i, p := range picks {
		chosen := p.cands[p.chosen]
		var last string
		switch {
		case p.moved:
			last = t("evaluation.assign.rebalanced", chosen.Name, p.from.Name, p.fromN, chosen.Name, p.toN)
		case p.tie:
			last = t("evaluation.assign.chosen_tie", chosen.Name)
		default:
			last = t("evaluation.assign.chosen", chosen.Name)
		}
		out[i] = Choice{RecordID: recs[i].ID, EvaluatorID: chosen.ID,
			Explanation: strings.Join(append(p.parts, last), t("evaluation.assign.sep"))}
	}
	return out, nil
}
