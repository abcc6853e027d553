package casefile

import (
	"context"
	"errors"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/assign"
	"github.com/anguan/anguan/internal/audit"
)

// Assignment kinds.
const (
	KindRotation   = "rotation"   // 随机（轮案）分案
	KindDesignated = "designated" // 指定分案
)

// Decider chooses the handler from a pool's members and state; it is
// called by the store inside the transaction that holds the pool.
type Decider func(members []assign.Member, st assign.State) (assign.Decision, error)

// AssignStore persists assignments. Both methods run in one transaction
// that also updates the case, writes the "assigned" event and the audit.
type AssignStore interface {
	AssignRotation(ctx context.Context, c Case, decide Decider, explain func(assign.Decision) string, today string, a audit.Record) (Assignment, error)
	AssignDesignated(ctx context.Context, c Case, handlerID int64, d assign.Decision, explanation, today string, a audit.Record) (Assignment, error)
	HandlerCandidate(ctx context.Context, unitID, userID int64) (assign.Member, error)
}

// Assigner assigns cases. T renders explanations (i18n), so the stored text
// is what the case manager saw.
type Assigner struct {
	cases *Service
	store AssignStore
	t     func(key string, args ...any) string
}

// NewAssigner wires the assigner.
func NewAssigner(cases *Service, st AssignStore, t func(key string, args ...any) string) *Assigner {
	return &Assigner{cases: cases, store: st, t: t}
}

func (a *Assigner) assignable(ctx context.Context, r Request, id int64, designate bool) (Case, error) {
	c, err := a.cases.visible(ctx, r.P, id)
	if err != nil {
		return Case{}, err
	}
	allowed := access.CanAssign(r.P, refOf(c))
	if designate {
		allowed = access.CanDesignate(r.P, refOf(c))
	}
	if !allowed {
		return Case{}, apperr.ErrForbidden
	}
	if c.Status != StatusPendingAssignment {
		return Case{}, apperr.Invalid("case", "err.not_pending_assignment")
	}
	return c, nil
}

// Rotate assigns a case by rotation in the pool of its department ×
// category.
func (a *Assigner) Rotate(ctx context.Context, r Request, id int64) (Assignment, error) {
	c, err := a.assignable(ctx, r, id, false)
	if err != nil {
		return Assignment{}, err
	}
	decide := func(m []assign.Member, st assign.State) (assign.Decision, error) {
		d, err := assign.Next(m, st)
		if errors.Is(err, assign.ErrNoEligibleMember) {
			return d, apperr.Invalid("pool", "err.pool_no_member")
		}
		return d, err
	}
	explain := func(d assign.Decision) string { return d.Explain(a.t) }
	out, err := a.store.AssignRotation(ctx, c, decide, explain, a.cases.Today(),
		r.record("case.assign", "case", id, "kind=rotation"))
	return out, err
}

// Designate assigns a case to a named handler outside the rotation. The
// reason and the designating leader are mandatory and stored (SPP "两个规定":
// leadership involvement in cases is recorded).
func (a *Assigner) Designate(ctx context.Context, r Request, id, handlerID int64, designator, reason string) (Assignment, error) {
	c, err := a.assignable(ctx, r, id, true)
	if err != nil {
		return Assignment{}, err
	}
	v := &apperr.Validation{}
	designator, reason = strings.TrimSpace(designator), strings.TrimSpace(reason)
	if designator == "" {
		designator = r.P.Name
	}
	if reason == "" {
		v.Add("reason", "err.required")
	} else if len([]rune(reason)) > 300 {
		v.Add("reason", "err.too_long", 300)
	}
	if len([]rune(designator)) > 50 {
		v.Add("designated_by", "err.too_long", 50)
	}
	var m assign.Member
	if handlerID == 0 {
		v.Add("handler_id", "err.required")
	} else if m, err = a.store.HandlerCandidate(ctx, c.UnitID, handlerID); errors.Is(err, apperr.ErrNotFound) {
		v.Add("handler_id", "err.not_a_handler")
	} else if err != nil {
		return Assignment{}, err
	}
	if err := v.Err(); err != nil {
		return Assignment{}, err
	}
	d, err := assign.Designate(assign.State{}, m, designator, reason)
	if err != nil {
		return Assignment{}, apperr.Invalid("reason", "err.required")
	}
	out, err := a.store.AssignDesignated(ctx, c, handlerID, d, d.Explain(a.t), a.cases.Today(),
		r.record("case.assign", "case", id, "kind=designated"))
	return out, err
}
