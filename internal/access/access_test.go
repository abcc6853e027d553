package access

import (
	"errors"
	"testing"
)

func TestCheckRoles(t *testing.T) {
	tests := []struct {
		roles []Role
		want  error
	}{
		{[]Role{CaseManager}, nil},
		{[]Role{Prosecutor, DeptHead}, nil},
		{[]Role{SysAdmin}, nil},
		{nil, ErrNoRole},
		{[]Role{"judge"}, ErrUnknownRole},
		{[]Role{SysAdmin, AuditAdmin}, ErrAdminCombine},
		{[]Role{SecAdmin, CaseManager}, ErrAdminCombine},
	}
	for _, tt := range tests {
		if err := CheckRoles(tt.roles); !errors.Is(err, tt.want) {
			t.Errorf("CheckRoles(%v) = %v, want %v", tt.roles, err, tt.want)
		}
	}
}

func TestCaseVisibility(t *testing.T) {
	unitA := CaseRef{UnitID: 3, UnitPath: "/1/2/3/", HandlerID: 10}
	unitB := CaseRef{UnitID: 4, UnitPath: "/1/2/4/", HandlerID: 11}
	other := CaseRef{UnitID: 9, UnitPath: "/1/8/9/"}
	sealed := CaseRef{UnitID: 3, UnitPath: "/1/2/3/", HandlerID: 10, Sealed: true}
	sealedNew := CaseRef{UnitID: 3, UnitPath: "/1/2/3/", Sealed: true}
	p := func(id int64, unit int64, path string, roles ...Role) Principal {
		return Principal{UserID: id, UnitID: unit, UnitPath: path, Roles: roles}
	}
	cm := p(1, 3, "/1/2/3/", CaseManager)
	pros := p(10, 3, "/1/2/3/", Prosecutor)
	pros2 := p(12, 3, "/1/2/3/", Prosecutor)
	upper := p(20, 2, "/1/2/", UpperSupervisor)
	admin := p(30, 3, "/1/2/3/", SysAdmin)
	aid := p(31, 3, "/1/2/3/", AidPartner)
	tests := []struct {
		name string
		p    Principal
		c    CaseRef
		view bool
		edit bool // record events
	}{
		{"own unit, case manager", cm, unitA, true, false},
		{"other unit", cm, unitB, false, false},
		{"handler", pros, unitA, true, true},
		{"colleague, not handler", pros2, unitA, true, false},
		{"upper reads subordinate", upper, unitB, true, false},
		{"upper cannot read outside its subtree", upper, other, false, false},
		{"admin sees no case content", admin, unitA, false, false},
		{"aid partner sees no case content", aid, unitA, false, false},
		{"sealed: handler", pros, sealed, true, true},
		{"sealed: case manager after assignment", cm, sealed, false, false},
		{"sealed: case manager before assignment", cm, sealedNew, true, false},
		{"sealed: upper", upper, sealed, false, false},
	}
	for _, tt := range tests {
		if got := CanViewCase(tt.p, tt.c); got != tt.view {
			t.Errorf("%s: CanViewCase = %v, want %v", tt.name, got, tt.view)
		}
		if got := CanRecordEvent(tt.p, tt.c); got != tt.edit {
			t.Errorf("%s: CanRecordEvent = %v, want %v", tt.name, got, tt.edit)
		}
	}
	if s := CaseScope(admin); !s.None() {
		t.Errorf("admin scope %+v, want none", s)
	}
	if s := CaseScope(upper); s.UnitPathPrefix != "/1/2/" {
		t.Errorf("upper scope %+v", s)
	}
}
