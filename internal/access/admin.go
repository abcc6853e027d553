package access

import "strings"

// CanManageUnits reports whether p may maintain the unit at unitPath: the
// system administrator maintains units and departments
// at and below their own unit.
func CanManageUnits(p Principal, unitPath string) bool {
	return p.Has(SysAdmin) && strings.HasPrefix(unitPath, p.UnitPath)
}

// CanManageUsers reports whether p may manage accounts of the unit at
// unitPath: the security administrator maintains people, accounts and
// roles at and below their own unit.
func CanManageUsers(p Principal, unitPath string) bool {
	return p.Has(SecAdmin) && strings.HasPrefix(unitPath, p.UnitPath)
}

// CanReadAudit reports whether p may read the audit log: only the audit
// administrator does.
func CanReadAudit(p Principal) bool { return p.Has(AuditAdmin) }

// CanSeeOrg reports whether p may read the organisation tree: every
// signed-in user may (names and
// codes are public); only admins change it.
func CanSeeOrg(p Principal) bool { return len(p.Roles) > 0 }
