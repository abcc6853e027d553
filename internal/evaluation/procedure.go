package evaluation

import (
	"slices"

	"github.com/anguan/anguan/internal/access"
)

// State is the part of an evaluation record the procedure reads and
// changes.
type State struct {
	Status Status
	// SuggestedGrade is what the scale's rule gives the findings when the
	// grade is proposed; ProposedGrade the evaluator's proposal.
	SuggestedGrade  string
	ProposedGrade   string
	ProposedReasons string
	ProposedOn      string
	Deduction       int
	// ResponseDue is the last day the handler may object.
	ResponseDue    string
	Response       Response
	ResponseReason string
	RespondedOn    string
	DecidedBy      int64
	DecisionReason string
	DecidedOn      string
	FinalGrade     string
	FinalOn        string
	ClosedOn       string
}

// Next applies an action of kind k on day today to a record in state s and
// returns the state after it (the service fills in grades, reasons and
// dates). An action the procedure does not allow in s is refused with a
// validation error naming the field that makes it impossible; s is then
// unchanged.
//
//	pending ──assign──▶ scoring ──score──▶ scoring ──propose──▶ proposed
//	proposed ──agree──▶ final      proposed ──object (by the due day)──▶ objected
//	proposed ──lapse (after the due day)──▶ final
//	objected ──decide──▶ final ──followup──▶ final ──close──▶ closed
func Next(s State, k ActionKind, today string) (State, error) {
	if s.Status == StatusClosed {
		return s, invalid("status", "err.evaluation_record_closed")
	}
	want := func(st ...Status) error {
		if slices.Contains(st, s.Status) {
			return nil
		}
		return invalid("status", "err.evaluation_wrong_step")
	}
	switch k {
	case ActAssign:
		// Reassignment is possible until a grade is proposed.
		if err := want(StatusPending, StatusScoring); err != nil {
			return s, err
		}
		s.Status = StatusScoring
	case ActScore:
		if err := want(StatusScoring); err != nil {
			return s, err
		}
	case ActPropose:
		if err := want(StatusScoring); err != nil {
			return s, err
		}
		s.Status, s.ProposedOn = StatusProposed, today
	case ActAgree:
		if err := want(StatusProposed); err != nil {
			return s, err
		}
		s.Status, s.Response, s.RespondedOn = StatusFinal, RespAgree, today
		s.FinalGrade, s.FinalOn = s.ProposedGrade, today
	case ActObject:
		if err := want(StatusProposed); err != nil {
			return s, err
		}
		if s.ResponseDue < today {
			return s, invalid("response_due", "err.evaluation_objection_late", s.ResponseDue)
		}
		s.Status, s.Response, s.RespondedOn = StatusObjected, RespObject, today
	case ActLapse:
		if err := want(StatusProposed); err != nil {
			return s, err
		}
		if !(s.ResponseDue < today) {
			return s, invalid("response_due", "err.evaluation_response_open", s.ResponseDue)
		}
		s.Status, s.Response = StatusFinal, RespLapsed
		s.FinalGrade, s.FinalOn = s.ProposedGrade, today
	case ActDecide:
		if err := want(StatusObjected); err != nil {
			return s, err
		}
		s.Status, s.DecidedOn, s.FinalOn = StatusFinal, today, today
	case ActFollowUp:
		if err := want(StatusFinal); err != nil {
			return s, err
		}
	case ActClose:
		if err := want(StatusFinal); err != nil {
			return s, err
		}
		s.Status, s.ClosedOn = StatusClosed, today
	default:
		return s, invalid("action", "err.unknown_value")
	}
	return s, nil
}

// Capacity is the part a person plays for one record of an activity.
type Capacity string

// Capacities.
const (
	CapOrganiser Capacity = "organiser" // 案管部门（组织评查的院的案管员）
	CapLeader    Capacity = "leader"    // 评查组长
	CapCommittee Capacity = "committee" // 评查委员会委员
	CapEvaluator Capacity = "evaluator" // 本案评查员
	CapHandler   Capacity = "handler"   // 本案承办人
	CapSystem    Capacity = "system"    // 系统（反馈期满）
)

// AllCapacities lists every capacity.
func AllCapacities() []Capacity {
	return []Capacity{CapOrganiser, CapLeader, CapCommittee, CapEvaluator, CapHandler, CapSystem}
}

// CapacitiesOf lists what p is for record rec of activity a.
func CapacitiesOf(p access.Principal, a Activity, rec Record) []Capacity {
	var out []Capacity
	if access.CanOrganiseEvaluation(p, a.UnitID) {
		out = append(out, CapOrganiser)
	}
	if p.UserID != 0 && p.UserID == a.LeaderID {
		out = append(out, CapLeader)
	}
	if p.UserID != 0 && a.isMember(p.UserID, RoleCommittee) {
		out = append(out, CapCommittee)
	}
	if p.UserID != 0 && p.UserID == rec.EvaluatorID {
		out = append(out, CapEvaluator)
	}
	if p.UserID != 0 && p.UserID == rec.HandlerID && p.HasAny(access.Prosecutor, access.Assistant, access.DeptHead) {
		out = append(out, CapHandler)
	}
	return out
}

// Permits reports whether a person with capacities caps may take an
// action of kind k: the organising office assigns, follows up and closes
// (so may the leader, but not assign); the record's evaluator scores and
// proposes; the handler agrees or objects; the leader or a committee
// member decides an objection — never the evaluator whose findings are
// contested; only the system lets a response period lapse.
func Permits(caps []Capacity, k ActionKind) bool {
	has := func(c ...Capacity) bool {
		for _, x := range c {
			if slices.Contains(caps, x) {
				return true
			}
		}
		return false
	}
	switch k {
	case ActAssign:
		return has(CapOrganiser)
	case ActScore, ActPropose:
		return has(CapEvaluator)
	case ActAgree, ActObject:
		return has(CapHandler)
	case ActDecide:
		return has(CapLeader, CapCommittee) && !has(CapEvaluator, CapHandler)
	case ActFollowUp, ActClose:
		return has(CapOrganiser, CapLeader)
	case ActLapse:
		return has(CapSystem)
	}
	return false
}
