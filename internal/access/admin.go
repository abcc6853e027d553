package access

import "strings"

// CanManageUnits: the system administrator maintains units and departments
// at and below their own unit.
func CanManageUnits(p Principal, unitPath string) bool {
	return p.Has(SysAdmin) && strings.HasPrefix(unitPath, p.UnitPath)
}

// CanManageUsers: the security administrator maintains people, accounts and
// roles at and below their own unit.
func CanManageUsers(p Principal, unitPath string) bool {
	return p.Has(SecAdmin) && strings.HasPrefix(unitPath, p.UnitPath)
}

// CanReadAudit: only the audit administrator reads the audit log.
func CanReadAudit(p Principal) bool { return p.Has(AuditAdmin) }

// CanSeeOrg: every signed-in user may read the organisation tree (names and
// codes are public); only admins change it.
func CanSeeOrg(p Principal) bool { return len(p.Roles) > 0 }
