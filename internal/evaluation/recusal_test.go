package evaluation

import (
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/i18n"
)

func person(id, unit int64, name string, roles ...access.Role) Person {
	return Person{ID: id, UnitID: unit, Name: name, Roles: roles}
}

// Every recusal rule refuses on its own.
func TestRecuse(t *testing.T) {
	rec := Record{Case: CaseFacts{ID: 9}, UnitID: 3, HandlerID: 10}
	c := Conflicts{UnitID: 3, HandlerID: 11, TeamIDs: []int64{10, 12}, VerifierID: 13, ActorIDs: []int64{10, 14}}
	routine := Activity{Kind: KindRoutine}
	tests := []struct {
		name string
		a    Activity
		e    Person
		want []Recusal
	}{
		{"handler when drawn", routine, person(10, 3, "甲", access.Prosecutor),
			[]Recusal{RecuseHandler, RecuseParticipant}},
		{"handler now", routine, person(11, 3, "乙", access.Prosecutor), []Recusal{RecuseHandler}},
		{"team member (assigned before)", routine, person(12, 3, "丙", access.Prosecutor), []Recusal{RecuseTeam}},
		{"verifier of the self-check", routine, person(13, 3, "丁", access.DeptHead), []Recusal{RecuseVerifier}},
		{"recorded an event", routine, person(14, 3, "戊", access.CaseManager), []Recusal{RecuseParticipant}},
		{"cross: same unit", Activity{Kind: KindCross}, person(15, 3, "己", access.Prosecutor), []Recusal{RecuseSameUnit}},
		{"upper: same unit", Activity{Kind: KindUpper}, person(15, 3, "己", access.Prosecutor), []Recusal{RecuseSameUnit}},
		{"cross: other unit", Activity{Kind: KindCross}, person(16, 4, "庚", access.Prosecutor), nil},
		{"routine: same unit is fine", routine, person(15, 3, "己", access.Prosecutor), nil},
		{"aid partner not allowed", routine, person(17, 5, "辛", access.AidPartner), []Recusal{RecuseAid}},
		{"aid partner allowed", Activity{Kind: KindRoutine, AllowAid: true}, person(17, 5, "辛", access.AidPartner), nil},
	}
	for _, tt := range tests {
		if got := Recuse(tt.a, rec, c, tt.e); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBalance(t *testing.T) {
	cat := i18n.MustLoad(i18n.DefaultLang)
	a := Activity{Kind: KindRoutine}
	evs := []Person{person(1, 3, "张某", access.Prosecutor), person(2, 3, "李某", access.Prosecutor),
		person(3, 3, "王某", access.Prosecutor)}
	recs := []Record{
		{ID: 100, Case: CaseFacts{ID: 1, Name: "案一"}, HandlerID: 1},
		{ID: 101, Case: CaseFacts{ID: 2, Name: "案二"}, HandlerID: 2},
		{ID: 102, Case: CaseFacts{ID: 3, Name: "案三"}, HandlerID: 9},
		{ID: 103, Case: CaseFacts{ID: 4, Name: "案四"}, HandlerID: 9},
	}
	conflicts := map[int64]Conflicts{3: {VerifierID: 3}}
	loads := map[int64]int{1: 0, 2: 1, 3: 0}
	got, err := Balance(cat.T, a, recs, conflicts, evs, loads)
	if err != nil {
		t.Fatal(err)
	}
	// 案一: 张某 recused (handler); 李某 1, 王某 0 → 王某.
	// 案二: 李某 recused; 张某 0, 王某 1 → 张某.
	// 案三: 王某 recused (verifier); 张某 1, 李某 1 → 张某 (tie, listed first).
	// 案四: 张某 2, 李某 1, 王某 1 → 李某 (tie, listed first).
	wantIDs := []int64{3, 1, 1, 2}
	for i, c := range got {
		if c.EvaluatorID != wantIDs[i] || c.RecordID != recs[i].ID {
			t.Errorf("record %d: evaluator %d, want %d (%s)", recs[i].ID, c.EvaluatorID, wantIDs[i], c.Explanation)
		}
		if strings.Contains(c.Explanation, "⟦") {
			t.Errorf("explanation has a missing key: %s", c.Explanation)
		}
	}
	if !strings.Contains(got[0].Explanation, "张某（承办人）") || !strings.Contains(got[0].Explanation, "分给王某") {
		t.Errorf("explanation 0: %s", got[0].Explanation)
	}
	if !strings.Contains(got[2].Explanation, "王某（本案核查人）") || !strings.Contains(got[2].Explanation, "名单在前") {
		t.Errorf("explanation 2: %s", got[2].Explanation)
	}
	// Nobody eligible: refused, naming the case; nothing chosen.
	_, err = Balance(cat.T, a, []Record{{ID: 5, Case: CaseFacts{ID: 5, Name: "案五"}, HandlerID: 1}},
		map[int64]Conflicts{5: {TeamIDs: []int64{2, 3}}}, evs, nil)
	if f := fields(err); f["records[0]"] != "err.evaluation_no_evaluator" {
		t.Errorf("no evaluator: %v", err)
	}
}

// Recusal can trap a greedy choice (each case's handler is an evaluator):
// the rebalancing pass moves a case so that everyone gets one, and says
// so.
func TestBalanceRebalances(t *testing.T) {
	cat := i18n.MustLoad(i18n.DefaultLang)
	evs := []Person{person(1, 3, "张某", access.Prosecutor), person(2, 3, "李某", access.Prosecutor),
		person(3, 3, "王某", access.Prosecutor)}
	recs := []Record{{ID: 1, Case: CaseFacts{ID: 1}, HandlerID: 1}, {ID: 2, Case: CaseFacts{ID: 2}, HandlerID: 2},
		{ID: 3, Case: CaseFacts{ID: 3}, HandlerID: 3}}
	got, err := Balance(cat.T, Activity{Kind: KindRoutine}, recs, nil, evs, nil)
	if err != nil {
		t.Fatal(err)
	}
	load := map[int64]int{}
	moved := 0
	for i, c := range got {
		if c.EvaluatorID == recs[i].HandlerID {
			t.Errorf("record %d given to its handler", c.RecordID)
		}
		load[c.EvaluatorID]++
		if strings.Contains(c.Explanation, "平衡工作量") {
			moved++
		}
	}
	if len(load) != 3 || moved == 0 {
		t.Errorf("loads %v, %d moved: %+v", load, moved, got)
	}
}
