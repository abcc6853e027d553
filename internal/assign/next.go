package assign

import (
	"errors"
	"strings"
)

// Decision failures.
var (
	// ErrNoEligibleMember: the pool is empty or every member is absent, so
	// the rotation has nobody to give the case to. The caller must designate.
	ErrNoEligibleMember = errors.New("assign: no eligible member in the pool")
	// ErrReasonRequired: a designated assignment without a reason.
	ErrReasonRequired = errors.New("assign: designated assignment needs a reason")
	// ErrDesignatorRequired: a designated assignment without who designated.
	ErrDesignatorRequired = errors.New("assign: designated assignment needs a designator")
)

// State is a pool's position in the rotation, persisted by the caller.
// The zero State is the start of a new pool (round 1, first member).
type State struct {
	// Round is the current round number, from 1.
	Round int
	// Cursor is the index of the next member to consider in Round.
	Cursor int
}

// normalize maps a stored state onto the current members. A cursor past the
// end (the pool shrank, or the round just finished) means the round is over.
func (s State) normalize(n int) State {
	if s.Round < 1 {
		s.Round = 1
	}
	if s.Cursor < 0 {
		s.Cursor = 0
	}
	if s.Cursor >= n {
		s.Round++
		s.Cursor = 0
	}
	return s
}

// StepKind names one kind of explanation step.
type StepKind string

// Step kinds, in the words of the explanation.
const (
	StepTurn         StepKind = "turn"         // 轮到: the member whose turn it was
	StepAbsent       StepKind = "absent"       // 不在位: passed over, owed nothing
	StepSkipWeight   StepKind = "skip_weight"  // 按权重本轮轮空: passed over by weight
	StepCompensation StepKind = "compensation" // 补偿优先: served before the rotation
	StepDesignated   StepKind = "designated"   // 指定分案: outside the rotation
)

// Step is one fact of the explanation: a member considered, in which round,
// and what happened. By and Reason are set for designated steps only.
type Step struct {
	Kind   StepKind
	UserID int64
	Name   string
	M, N   int
	Round  int
	By     string
	Reason string
}

// Decision is the outcome of one assignment: who gets the case, why, and
// what to persist.
type Decision struct {
	// UserID and Name identify the member who gets the case.
	UserID int64
	Name   string
	// Round is the round the case was given in (for designated and
	// compensated cases, the round in progress).
	Round int
	// Compensated means the case settles one unit of the member's
	// compensation: the caller decrements that member's Compensation.
	Compensated bool
	// Designated means the case was given outside the rotation; Designator
	// and Reason are then on record.
	Designated bool
	Designator string
	Reason     string
	// Steps is the structured explanation, in the order things happened.
	Steps []Step
	// Next is the state to persist. Compensated and designated cases do not
	// move the rotation: Next is then the input state (tidied by Next onto
	// the current members, e.g. round 0 read as round 1).
	Next State
}

// Next decides who in the pool gets the next case. members must be in pool
// order; st is the pool's persisted state.
//
// Owed compensation comes first: the first present member (in pool order)
// with Compensation > 0 gets the case and the rotation stays put. Otherwise
// the rotation walks from st.Cursor, passing over absent members and members
// whose weight skips the round, to the first eligible member; passing the
// last member starts the next round. The members passed over are recorded
// as steps.
//
// Invalid members give Validate's error; an empty or wholly absent pool
// gives ErrNoEligibleMember.
func Next(members []Member, st State) (Decision, error) {
	if err := Validate(members); err != nil {
		return Decision{}, err
	}
	st = st.normalize(len(members))
	maxN := 0
	for _, m := range members {
		if !m.Absent {
			maxN = max(maxN, m.N)
		}
	}
	if maxN == 0 {
		return Decision{}, ErrNoEligibleMember
	}

	for _, m := range members {
		if !m.Absent && m.Compensation > 0 {
			return Decision{
				UserID:      m.UserID,
				Name:        m.Name,
				Round:       st.Round,
				Compensated: true,
				Steps:       []Step{step(StepCompensation, m, st.Round)},
				Next:        st,
			}, nil
		}
	}

	// Every present member has m ≥ 1, so it takes round 1 of each of its
	// cycles: within maxN whole rounds after the current one somebody is
	// eligible. The bound only guards against a broken invariant.
	var steps []Step
	limit := (maxN + 1) * len(members)
	for cur := st; limit > 0; limit-- {
		m := members[cur.Cursor]
		switch {
		case m.Absent:
			steps = append(steps, step(StepAbsent, m, cur.Round))
		case !m.Participates(cur.Round):
			steps = append(steps, step(StepSkipWeight, m, cur.Round))
		default:
			steps = append(steps, step(StepTurn, m, cur.Round))
			return Decision{
				UserID: m.UserID,
				Name:   m.Name,
				Round:  cur.Round,
				Steps:  steps,
				Next:   State{Round: cur.Round, Cursor: cur.Cursor + 1}.normalize(len(members)),
			}, nil
		}
		cur = State{Round: cur.Round, Cursor: cur.Cursor + 1}.normalize(len(members))
	}
	return Decision{}, ErrNoEligibleMember
}

// Designate records a designated assignment (指定分案) of a case to handler
// by designator, for reason. It bypasses the rotation, so Next is st
// unchanged and handler's weight, absence and compensation play no part: the
// designation is a deliberate decision that is on record with its reason.
// A blank reason gives ErrReasonRequired, a blank designator
// ErrDesignatorRequired, a handler without id or name ErrInvalidMember.
func Designate(st State, handler Member, designator, reason string) (Decision, error) {
	designator, reason = strings.TrimSpace(designator), strings.TrimSpace(reason)
	if handler.UserID <= 0 || strings.TrimSpace(handler.Name) == "" {
		return Decision{}, ErrInvalidMember
	}
	if designator == "" {
		return Decision{}, ErrDesignatorRequired
	}
	if reason == "" {
		return Decision{}, ErrReasonRequired
	}
	round := max(st.Round, 1)
	s := step(StepDesignated, handler, round)
	s.By, s.Reason = designator, reason
	return Decision{
		UserID:     handler.UserID,
		Name:       handler.Name,
		Round:      round,
		Designated: true,
		Designator: designator,
		Reason:     reason,
		Steps:      []Step{s},
		Next:       st,
	}, nil
}

func step(kind StepKind, m Member, round int) Step {
	return Step{Kind: kind, UserID: m.UserID, Name: m.Name, M: m.M, N: m.N, Round: round}
}
