package casefile

import (
	"context"
	"slices"
	"strconv"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/assign"
	"github.com/anguan/anguan/internal/audit"
)

// Pool is a rotation pool (轮案池): department × category.
type Pool struct {
	ID             int64
	UnitID         int64
	DepartmentID   int64
	DepartmentName string
	Category       string
	CategoryName   string
	Round          int
	Cursor         int
	Members        []PoolMember
}

// PoolMember is a member with its position in the rotation.
type PoolMember struct {
	assign.Member
	Position int
}

// Load is one handler's workload.
type Load struct {
	UserID     int64
	Name       string
	Department string
	Open       int
	Total      int
}

// PoolStore persists pools.
type PoolStore interface {
	Pools(ctx context.Context, unitID int64) ([]Pool, error)
	Pool(ctx context.Context, id int64) (Pool, error)
	CreatePool(ctx context.Context, p Pool, a audit.Record) (int64, error)
	PutMember(ctx context.Context, poolID int64, m PoolMember, a audit.Record) error
	HandlerCandidate(ctx context.Context, unitID, userID int64) (assign.Member, error)
	Workload(ctx context.Context, unitID int64) ([]Load, error)
}

// Pools manages rotation pools of the case manager's unit.
type Pools struct {
	store PoolStore
	cats  func(context.Context) ([]Category, error)
	depts func(ctx context.Context, unitID int64) ([]int64, error)
}

// NewPools wires the pool service. depts lists the department ids of a unit.
func NewPools(st PoolStore, cases *Service, depts func(ctx context.Context, unitID int64) ([]int64, error)) *Pools {
	return &Pools{store: st, cats: cases.Categories, depts: depts}
}

// List shows the pools of the principal's unit.
func (s *Pools) List(ctx context.Context, r Request) ([]Pool, error) {
	if !r.P.HasAny(access.CaseManager, access.DeptHead, access.Chief) {
		return nil, apperr.ErrForbidden
	}
	return s.store.Pools(ctx, r.P.UnitID)
}

// Create adds a pool in the principal's unit.
func (s *Pools) Create(ctx context.Context, r Request, departmentID int64, category string) (int64, error) {
	if !r.P.Has(access.CaseManager) {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	deps, err := s.depts(ctx, r.P.UnitID)
	if err != nil {
		return 0, err
	}
	if !slices.Contains(deps, departmentID) {
		v.Add("department_id", "err.unknown_value")
	}
	cats, err := s.cats(ctx)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(cats, func(c Category) bool { return c.Code == category }) {
		v.Add("category", "err.unknown_category")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	return s.store.CreatePool(ctx, Pool{UnitID: r.P.UnitID, DepartmentID: departmentID, Category: category},
		r.record("pool.create", "pool", 0, "category="+category))
}

// MemberChange is an edit of one member. HandlingUnitChanged adds one case
// of compensation (DOMAIN §4); registered absence never does.
type MemberChange struct {
	UserID              int64
	M, N                int
	Absent              bool
	HandlingUnitChanged bool
}

// PutMember adds a member or changes weight, absence or compensation.
func (s *Pools) PutMember(ctx context.Context, r Request, poolID int64, ch MemberChange) error {
	if !r.P.Has(access.CaseManager) {
		return apperr.ErrForbidden
	}
	p, err := s.store.Pool(ctx, poolID)
	if err != nil || p.UnitID != r.P.UnitID {
		return apperr.ErrNotFound
	}
	m, err := s.store.HandlerCandidate(ctx, r.P.UnitID, ch.UserID)
	if err != nil {
		return apperr.Invalid("user_id", "err.not_a_handler")
	}
	m.M, m.N, m.Absent = ch.M, ch.N, ch.Absent
	for _, old := range p.Members {
		if old.UserID == ch.UserID {
			m.Compensation = old.Compensation
		}
	}
	if ch.HandlingUnitChanged {
		m.Compensation++
	}
	if err := assign.Validate([]assign.Member{m}); err != nil {
		return apperr.Invalid("weight", "err.weight_invalid", assign.MaxN)
	}
	return s.store.PutMember(ctx, poolID, PoolMember{Member: m}, r.record("pool.member", "pool", poolID,
		"user="+strconv.FormatInt(ch.UserID, 10)))
}

// Workload lists open cases per handler in the principal's unit.
func (s *Pools) Workload(ctx context.Context, r Request) ([]Load, error) {
	if !access.CanSeeWorkload(r.P) {
		return nil, apperr.ErrForbidden
	}
	return s.store.Workload(ctx, r.P.UnitID)
}
