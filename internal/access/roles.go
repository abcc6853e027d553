// Package access holds the permission policy (权限): the roles, who may do
// what, and the scope of cases a principal may see, as pure functions. The
// domain services call it for every object-level decision, and the store
// turns a Scope into SQL so that lists, counts and search never return what
// the caller may not see.
package access

import (
	"errors"
	"slices"
)

// Role is a role code. Names and descriptions are i18n keys "role.<code>".
type Role string

// The role codes. The first three are the separated administrators
// (三员分立): an account holds at most one of them, and then nothing else.
const (
	SysAdmin        Role = "sysadmin"         // 系统管理员: units, departments, system settings
	SecAdmin        Role = "secadmin"         // 安全保密管理员: people, accounts and roles
	AuditAdmin      Role = "auditadmin"       // 安全审计员: the audit log
	CaseManager     Role = "case_manager"     // 案管员: intake, assignment, monitoring
	Prosecutor      Role = "prosecutor"       // 检察官
	Assistant       Role = "assistant"        // 检察官助理
	DeptHead        Role = "dept_head"        // 部门负责人
	Chief           Role = "chief"            // 检察长 / 院领导
	UpperSupervisor Role = "upper_supervisor" // 上级院: read-only over subordinate units
	AidPartner      Role = "aid_partner"      // 援助方: aggregates only (no case content)
)

// AllRoles lists every role in display order.
func AllRoles() []Role {
	return []Role{SysAdmin, SecAdmin, AuditAdmin, CaseManager, Prosecutor, Assistant,
		DeptHead, Chief, UpperSupervisor, AidPartner}
}

// IsAdmin reports whether r is one of the three separated administrators.
func (r Role) IsAdmin() bool { return r == SysAdmin || r == SecAdmin || r == AuditAdmin }

// Valid reports whether r is a known role code.
func (r Role) Valid() bool { return slices.Contains(AllRoles(), r) }

// Errors from CheckRoles.
var (
	ErrUnknownRole  = errors.New("unknown role")
	ErrNoRole       = errors.New("at least one role is required")
	ErrAdminCombine = errors.New("an administrator role cannot be combined with any other role")
)

// CheckRoles enforces the separation of the three administrators: an
// account that holds an admin role holds exactly that one role, so no one
// person both configures the system and audits it, and no admin sees case
// content through a business role on the same account.
func CheckRoles(roles []Role) error {
	if len(roles) == 0 {
		return ErrNoRole
	}
	admins := 0
	for _, r := range roles {
		if !r.Valid() {
			return ErrUnknownRole
		}
		if r.IsAdmin() {
			admins++
		}
	}
	if admins > 0 && len(roles) > 1 {
		return ErrAdminCombine
	}
	return nil
}
