package aid

import (
	"slices"

	"github.com/anguan/anguan/internal/access"
)

// aboveAll reports whether the unit at path is every unit's or above it.
func aboveAll(path string, units []Unit) bool {
	if path == "" || len(units) == 0 {
		return false
	}
	for _, u := range units {
		if !access.InUnitTree(u.Path, path) {
			return false
		}
	}
	return true
}

// member reports whether unitID is on either side of the pairing.
func (pr Pairing) member(unitID int64) bool {
	return slices.ContainsFunc(pr.Units(), func(u Unit) bool { return u.ID == unitID })
}

// CanRead decides whether p may open the pairing: staff of a unit on
// either side (whatever their role: the pairing holds no case content),
// and upper supervisors and system administrators of a unit at or above
// every unit of the pairing.
func CanRead(p access.Principal, pr Pairing) bool {
	if len(p.Roles) == 0 {
		return false
	}
	if pr.member(p.UnitID) {
		return true
	}
	return p.HasAny(access.UpperSupervisor, access.SysAdmin) && aboveAll(p.UnitPath, pr.Units())
}

// CanManage decides whether p may set up or change a pairing between
// aiding and aided: the system administrator (系统管理员, who keeps system
// settings) of a unit at or above every unit of both sides, or at or above
// every aided unit — the aided side decides what it shares, but one aided
// office never commits another.
func CanManage(p access.Principal, aiding, aided []Unit) bool {
	if !p.Has(access.SysAdmin) {
		return false
	}
	return aboveAll(p.UnitPath, append(slices.Clone(aiding), aided...)) || aboveAll(p.UnitPath, aided)
}

// writerRoles may log activities and fund entries for their unit's
// pairings: the case management office and the unit's leaders, and the
// aid partner whose work it is.
var writerRoles = []access.Role{access.CaseManager, access.Chief, access.DeptHead, access.AidPartner}

// WriterRoles lists the business roles that may log activities and fund
// entries (the routes' coarse gate; the pairing is checked here).
func WriterRoles() []access.Role { return slices.Clone(writerRoles) }

// CanWrite decides whether p may log activities, follow-ups and fund
// entries on the pairing: the office and leaders of a unit on either
// side, or whoever may manage the pairing.
func CanWrite(p access.Principal, pr Pairing) bool {
	if pr.member(p.UnitID) && p.HasAny(writerRoles...) {
		return true
	}
	return CanManage(p, pr.Aiding, pr.Aided)
}

// ReadScope is the read scope of p as the store turns it into SQL:
// pairings with UnitID on either side, or, when AbovePath is set,
// pairings whose every unit lies under it.
type ReadScope struct {
	UnitID    int64
	AbovePath string
}

// ScopeOf is p's ReadScope (the SQL form of CanRead).
func ScopeOf(p access.Principal) ReadScope {
	if len(p.Roles) == 0 {
		return ReadScope{}
	}
	s := ReadScope{UnitID: p.UnitID}
	if p.HasAny(access.UpperSupervisor, access.SysAdmin) {
		s.AbovePath = p.UnitPath
	}
	return s
}
