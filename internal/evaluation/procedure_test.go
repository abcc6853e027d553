package evaluation

import (
	"slices"
	"testing"

	"github.com/anguan/anguan/internal/access"
)

// Every (status, action) pair: allowed → the status after; refused → "".
func TestNextTable(t *testing.T) {
	const today = "2026-03-16"
	proposed := State{Status: StatusProposed, ProposedGrade: "basic", ResponseDue: "2026-03-20"}
	tests := []struct {
		from State
		k    ActionKind
		want Status
	}{
		{State{Status: StatusPending}, ActAssign, StatusScoring},
		{State{Status: StatusScoring}, ActAssign, StatusScoring},
		{proposed, ActAssign, ""},
		{State{Status: StatusPending}, ActScore, ""},
		{State{Status: StatusScoring}, ActScore, StatusScoring},
		{State{Status: StatusScoring}, ActPropose, StatusProposed},
		{State{Status: StatusPending}, ActPropose, ""},
		{proposed, ActPropose, ""},
		{proposed, ActAgree, StatusFinal},
		{proposed, ActObject, StatusObjected},
		{State{Status: StatusScoring}, ActObject, ""},
		{State{Status: StatusProposed, ResponseDue: "2026-03-13"}, ActObject, ""}, // too late
		{State{Status: StatusProposed, ResponseDue: "2026-03-16"}, ActObject, StatusObjected},
		{State{Status: StatusProposed, ResponseDue: "2026-03-13"}, ActLapse, StatusFinal},
		{proposed, ActLapse, ""}, // period still open
		{State{Status: StatusObjected}, ActDecide, StatusFinal},
		{proposed, ActDecide, ""},
		{State{Status: StatusFinal}, ActFollowUp, StatusFinal},
		{State{Status: StatusObjected}, ActFollowUp, ""},
		{State{Status: StatusFinal}, ActClose, StatusClosed},
		{State{Status: StatusScoring}, ActClose, ""},
		{State{Status: StatusClosed}, ActFollowUp, ""},
		{State{Status: StatusClosed}, ActAssign, ""},
		{State{Status: StatusFinal}, ActSelect, ""},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.k, today)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s from %s: allowed, want refused", tt.k, tt.from.Status)
		case tt.want != "" && err != nil:
			t.Errorf("%s from %s: %v", tt.k, tt.from.Status, err)
		case tt.want != "" && got.Status != tt.want:
			t.Errorf("%s from %s: %s, want %s", tt.k, tt.from.Status, got.Status, tt.want)
		}
		if err != nil && got != tt.from {
			t.Errorf("%s from %s: a refused step changed the state", tt.k, tt.from.Status)
		}
	}
	got, _ := Next(proposed, ActAgree, today)
	if got.FinalGrade != "basic" || got.Response != RespAgree || got.FinalOn != today {
		t.Errorf("agree: %+v", got)
	}
	got, _ = Next(State{Status: StatusProposed, ProposedGrade: "qualified", ResponseDue: "2026-03-13"}, ActLapse, today)
	if got.FinalGrade != "qualified" || got.Response != RespLapsed {
		t.Errorf("lapse: %+v", got)
	}
	if _, err := Next(State{Status: StatusProposed, ResponseDue: "2026-03-13"}, ActObject, today); fields(err)["response_due"] != "err.evaluation_objection_late" {
		t.Errorf("late objection: %v", err)
	}
}

// Every action is permitted to exactly the capacities the procedure gives
// it, and to no other.
func TestPermits(t *testing.T) {
	want := map[ActionKind][]Capacity{
		ActAssign:   {CapOrganiser},
		ActScore:    {CapEvaluator},
		ActPropose:  {CapEvaluator},
		ActAgree:    {CapHandler},
		ActObject:   {CapHandler},
		ActLapse:    {CapSystem},
		ActDecide:   {CapLeader, CapCommittee},
		ActFollowUp: {CapOrganiser, CapLeader},
		ActClose:    {CapOrganiser, CapLeader},
		ActSelect:   nil, // drawing is the activity's, not a record step
	}
	for k, caps := range want {
		for _, c := range AllCapacities() {
			got := Permits([]Capacity{c}, k)
			if got != slices.Contains(caps, c) {
				t.Errorf("%s by %s alone: %v", k, c, got)
			}
		}
	}
	// The evaluator whose findings are contested never decides, even on
	// the committee or as leader; nor does the handler.
	for _, caps := range [][]Capacity{{CapCommittee, CapEvaluator}, {CapLeader, CapEvaluator}, {CapLeader, CapHandler}} {
		if Permits(caps, ActDecide) {
			t.Errorf("%v may decide", caps)
		}
	}
}

func TestCapacitiesOf(t *testing.T) {
	a := Activity{UnitID: 3, LeaderID: 20, Members: []Member{{UserID: 21, Role: RoleCommittee}, {UserID: 22, Role: RoleEvaluator}}}
	rec := Record{EvaluatorID: 22, HandlerID: 30}
	p := func(id, unit int64, roles ...access.Role) access.Principal {
		return access.Principal{UserID: id, UnitID: unit, Roles: roles}
	}
	tests := []struct {
		p    access.Principal
		want []Capacity
	}{
		{p(1, 3, access.CaseManager), []Capacity{CapOrganiser}},
		{p(2, 4, access.CaseManager), nil}, // another unit's office
		{p(20, 3, access.Chief), []Capacity{CapLeader}},
		{p(21, 3, access.DeptHead), []Capacity{CapCommittee}},
		{p(22, 3, access.Prosecutor), []Capacity{CapEvaluator}},
		{p(30, 3, access.Prosecutor), []Capacity{CapHandler}},
		{p(30, 3, access.AidPartner), nil}, // the handler's id without a handling role
		{p(40, 3, access.Prosecutor), nil},
	}
	for _, tt := range tests {
		if got := CapacitiesOf(tt.p, a, rec); !slices.Equal(got, tt.want) {
			t.Errorf("user %d %v: %v, want %v", tt.p.UserID, tt.p.Roles, got, tt.want)
		}
	}
}
