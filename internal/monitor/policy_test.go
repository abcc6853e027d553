package monitor

import (
	"testing"

	"github.com/anguan/anguan/internal/access"
)

// The monitoring permissions (package access) as this package uses them.
func TestMonitoringPolicy(t *testing.T) {
	p := func(id, unit, dept int64, path string, roles ...access.Role) access.Principal {
		return access.Principal{UserID: id, UnitID: unit, UnitPath: path, DepartmentID: dept, Roles: roles}
	}
	cm := p(1, 3, 0, "/1/2/3/", access.CaseManager)
	handler := p(10, 3, 5, "/1/2/3/", access.Prosecutor)
	colleague := p(11, 3, 5, "/1/2/3/", access.Prosecutor)
	head := p(12, 3, 5, "/1/2/3/", access.DeptHead)
	otherHead := p(13, 3, 6, "/1/2/3/", access.DeptHead)
	chief := p(14, 3, 0, "/1/2/3/", access.Chief)
	upper := p(20, 2, 0, "/1/2/", access.UpperSupervisor)
	otherUnit := p(21, 4, 0, "/1/2/4/", access.CaseManager)
	admin := p(30, 3, 0, "/1/2/3/", access.SysAdmin)
	c := access.CaseRef{UnitID: 3, UnitPath: "/1/2/3/", HandlerID: 10}
	sealed := access.CaseRef{UnitID: 3, UnitPath: "/1/2/3/", HandlerID: 10, Sealed: true}

	tests := []struct {
		name                   string
		p                      access.Principal
		c                      access.CaseRef
		read, monitor, replies bool
	}{
		{"case manager", cm, c, true, true, false},
		{"handler", handler, c, true, false, true},
		{"colleague", colleague, c, false, false, false},
		{"head of the department", head, c, true, false, true},
		{"head of another department", otherHead, c, true, false, false},
		{"chief", chief, c, true, false, false},
		{"upper supervisor", upper, c, true, false, false},
		{"another unit", otherUnit, c, false, false, false},
		{"administrator", admin, c, false, false, false},
		{"sealed: handler", handler, sealed, true, false, true},
		{"sealed: case manager", cm, sealed, false, true, false},
		{"sealed: department head", head, sealed, false, false, false},
	}
	for _, tt := range tests {
		if got := access.CanReadFinding(tt.p, tt.c); got != tt.read {
			t.Errorf("%s: CanReadFinding = %v", tt.name, got)
		}
		if got := access.CanMonitor(tt.p, tt.c.UnitID); got != tt.monitor {
			t.Errorf("%s: CanMonitor = %v", tt.name, got)
		}
		if got := access.CanReplyFinding(tt.p, tt.c, 5); got != tt.replies {
			t.Errorf("%s: CanReplyFinding = %v", tt.name, got)
		}
	}
	if s := access.MonitorScope(handler); s.HandlerID != 10 || s.UnitID != 3 {
		t.Errorf("prosecutor scope %+v", s)
	}
	if s := access.MonitorScope(upper); s.UnitPathPrefix != "/1/2/" {
		t.Errorf("upper scope %+v", s)
	}
	if !access.MonitorScope(admin).None() || access.CanReadMonitorReports(handler) || !access.CanReadMonitorReports(upper) {
		t.Error("report and scope policy for admins and prosecutors")
	}
}
