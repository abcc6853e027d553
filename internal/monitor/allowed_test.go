package monitor

import (
	"slices"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
)

// ActionsFor offers what both the step machine and the role allow.
func TestActionsFor(t *testing.T) {
	// 2026-03-20 10:00 in China.
	s := NewService(nil, func() time.Time { return time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC) }, nil)
	p := func(id, dept int64, r access.Role) access.Principal {
		return access.Principal{UserID: id, UnitID: 3, UnitPath: "/1/3/", DepartmentID: dept, Roles: []access.Role{r}}
	}
	cm, handler, head, chief := p(1, 0, access.CaseManager), p(10, 5, access.Prosecutor), p(12, 5, access.DeptHead),
		p(14, 0, access.Chief)
	otherUnit := access.Principal{UserID: 2, UnitID: 4, UnitPath: "/1/4/", Roles: []access.Role{access.CaseManager}}
	finding := func(st State, n *Notice) Finding {
		return Finding{ID: 7, UnitID: 3, Case: CaseFacts{UnitID: 3, UnitPath: "/1/3/", HandlerID: 10, DepartmentID: 5},
			State: st, Notice: n}
	}
	open := finding(State{Step: StepDetected, Status: StatusOpen}, nil)
	awaiting := finding(State{Step: StepNotified, Status: StatusAwaitingReply}, &Notice{ReplyDue: "2026-03-26"})
	replied := finding(State{Step: StepNotified, Status: StatusReplied},
		&Notice{ReplyDue: "2026-03-26", RepliedOn: "2026-03-19"})
	reported := finding(State{Step: StepReported, Status: StatusReplied, Reported: true, Transferred: true},
		&Notice{ReplyDue: "2026-03-26", RepliedOn: "2026-03-19"})
	closed := finding(State{Step: StepNotified, Status: StatusRectified, ClosedOn: "2026-03-19"}, replied.Notice)

	tests := []struct {
		name string
		p    access.Principal
		f    Finding
		want []ActionKind
	}{
		{"open, case manager", cm, open, []ActionKind{ActPrompt, ActNotice, ActTransfer, ActCloseRectified, ActCloseNotRectified}},
		{"open, handler", handler, open, nil},
		{"awaiting reply, case manager", cm, awaiting, []ActionKind{ActReportChief, ActTransfer, ActCloseNotRectified}},
		{"awaiting reply, handler", handler, awaiting, []ActionKind{ActReply}},
		{"awaiting reply, department head", head, awaiting, []ActionKind{ActReply}},
		{"awaiting reply, chief", chief, awaiting, nil},
		{"awaiting reply, another unit", otherUnit, awaiting, nil},
		{"replied, case manager", cm, replied, []ActionKind{ActReportChief, ActTransfer, ActCloseRectified, ActCloseNotRectified}},
		{"replied, handler", handler, replied, nil},
		{"reported and transferred", cm, reported, []ActionKind{ActCloseRectified, ActCloseNotRectified}},
		{"closed", cm, closed, nil},
	}
	for _, tt := range tests {
		if got := s.ActionsFor(tt.p, tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := PersonActions(); slices.Contains(got, ActDetect) || slices.Contains(got, ActEscalate) || len(got) != 7 {
		t.Errorf("PersonActions = %v", got)
	}
}
