package access

import (
	"slices"
	"strings"
)

// Principal is the authenticated user as policy sees it.
type Principal struct {
	UserID       int64
	Username     string
	Name         string
	UnitID       int64
	UnitPath     string // materialised path of the user's unit, "/1/4/9/"
	DepartmentID int64
	Roles        []Role
}

// Has reports whether the principal holds r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// HasAny reports whether the principal holds one of rs.
func (p Principal) HasAny(rs ...Role) bool {
	for _, r := range rs {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// RoleString joins the role codes for the audit log.
func (p Principal) RoleString() string {
	s := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// caseRoles may read the case content of their own unit.
var caseRoles = []Role{CaseManager, Prosecutor, Assistant, DeptHead, Chief}
