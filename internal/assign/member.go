package assign

import (
	"errors"
	"fmt"
	"strings"
)

// MaxN is the largest weight denominator accepted. Twelve rounds already
// means a member takes one case in twelve; beyond that the member should
// leave the pool rather than linger in it.
const MaxN = 12

// Validation failures, as sentinels so callers can map them to messages.
// Validate wraps them with the member's position and name.
var (
	ErrInvalidMember       = errors.New("assign: member needs a positive user id and a name")
	ErrInvalidWeight       = errors.New("assign: weight m/n must satisfy 1 ≤ m ≤ n ≤ 12")
	ErrInvalidCompensation = errors.New("assign: compensation must not be negative")
	ErrDuplicateMember     = errors.New("assign: member appears twice in the pool")
)

// Member is one case-handling unit (办案单元) of a pool, as the caller loads
// it. Its position in the slice passed to Next is its place in the rotation.
type Member struct {
	UserID int64
	Name   string
	// M and N are the weight m/n: the member takes a case in the first M
	// rounds of every N rounds.
	M, N int
	// Absent is a registered absence (不在位) in force now. The member is
	// passed over and owed nothing for it.
	Absent bool
	// Compensation counts cases owed because the member's case-handling
	// unit changed (补偿). Each unit is one case, served before the rotation.
	Compensation int
}

// Participates reports whether the member takes part in round r by weight
// alone, ignoring absence. Weights are phased on the global round number,
// so an m/n member takes rounds 1..m of each cycle of n and skips the rest.
func (m Member) Participates(r int) bool {
	if m.N < 1 {
		return false
	}
	return (r-1)%m.N < m.M
}

// Validate checks a pool's members: positive and distinct user ids, a name
// (the explanation shows it), a weight 1 ≤ m ≤ n ≤ MaxN and no negative
// compensation. It reports every problem at once so that an administrator
// fixing a pool sees them all; errors.Is finds each sentinel. An empty pool
// is valid: it exists before anyone joins, and Next reports it.
func Validate(members []Member) error {
	var errs []error
	seen := make(map[int64]int, len(members))
	for i, m := range members {
		wrap := func(err error) {
			errs = append(errs, fmt.Errorf("member %d (%q): %w", i, m.Name, err))
		}
		if m.UserID <= 0 || strings.TrimSpace(m.Name) == "" {
			wrap(ErrInvalidMember)
		}
		if m.M < 1 || m.N < m.M || m.N > MaxN {
			wrap(ErrInvalidWeight)
		}
		if m.Compensation < 0 {
			wrap(ErrInvalidCompensation)
		}
		if m.UserID > 0 {
			if first, dup := seen[m.UserID]; dup {
				wrap(fmt.Errorf("%w (also at %d)", ErrDuplicateMember, first))
			} else {
				seen[m.UserID] = i
			}
		}
	}
	return errors.Join(errs...)
}
