package aid_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
)

// The evaluation rule proposes backbone in quality evaluation from a
// person's own work (issue 8's example): at least 30 cases evaluated in
// the last 12 months with under 10% of the problems found overturned.
// By hand, today 2026-03-16 (window from 2025-03-16):
//   - a_prosecutor: 30 records in the window, 10 problems, none
//     overturned → proposed;
//   - a_prosecutor2: 30 records, 10 problems, 1 overturned = 10%, not
//     under → not proposed;
//   - a_prosecutor3: 29 records in the window (the 30th is older) → not;
//   - b_prosecutor (aiding side, same rule) → not (no records).
func TestRuleEvaluationBackbone(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		must := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		caseID, err := e.f.App.Cases.Register(ctx, e.f.Request(t, "a_case_manager"), apptest.Intake(900))
		if err != nil {
			t.Fatal(err)
		}
		leader := e.f.User(t, "a_case_manager").ID
		must(`INSERT INTO evaluation_templates (id, code, version, name, categories, scale_code, items, note, data, created_by,
			created_at) VALUES (9101, 'T-EVAL', 1, '测试模板', '', 'x', 0, '', '{}', $1, 0)`, leader)
		next := int64(9100)
		record := func(user string, on string, problems, overturned int) {
			t.Helper()
			next++
			must(`INSERT INTO evaluation_activities (id, unit_id, name, kind, status, scope_units, categories, closed_from, closed_to,
				scale_code, templates, leader_id, deadline, response_days, allow_aid, note, created_by, created_on, created_at)
				VALUES ($1, $2, '评查', 'routine', 'running', '', '', '2025-01-01', '2026-03-01', 'x', '', $3, '2026-04-30', 5, FALSE,
				'', $3, '2025-01-01', 0)`, next, e.f.UnitA.ID, leader)
			must(`INSERT INTO evaluation_records (id, activity_id, case_id, unit_id, category, template_id, selection, selection_reason,
				selected_on, status, evaluator_id, proposed_grade, proposed_on, created_at) SELECT $1, $1, id, unit_id, category, 9101,
				'random', '', $3, 'proposed', $2, 'qualified', $3, 0 FROM cases WHERE id = $4`, next, e.f.User(t, user).ID, on, caseID)
			for i := range problems {
				must(`INSERT INTO evaluation_record_items (record_id, item_code, option_code, class, deduction, aspect, title, note,
					overturned) VALUES ($1, $2, 'o', 'flaw', 1, 'evidence', '项目', '', $3)`, next, "E"+itoa(int64(i)), i < overturned)
			}
		}
		for i := range 30 {
			p := 0
			if i < 10 {
				p = 1
			}
			record("a_prosecutor", "2025-06-01", p, 0)
			o := 0
			if i == 0 {
				o = 1
			}
			record("a_prosecutor2", "2025-06-01", p, o)
			on := "2025-06-01"
			if i == 0 {
				on = "2025-03-15" // a day before the window
			}
			record("a_prosecutor3", on, 0, 0)
		}
		n, err := e.svc.RunRules(ctx, e.req(t, "a_case_manager"), id, "evaluation")
		if err != nil || n != 1 {
			t.Fatalf("proposals made: %d, %v; want 1", n, err)
		}
		tl, err := e.svc.Talent(ctx, e.req(t, "a_case_manager"), id)
		if err != nil {
			t.Fatal(err)
		}
		var got []aid.Proposal
		for _, p := range tl.Proposals {
			if p.Rule == "evaluation_backbone" {
				got = append(got, p)
			}
		}
		if len(got) != 1 || got[0].UserID != e.f.User(t, "a_prosecutor").ID || got[0].To != aid.LevelBackbone ||
			got[0].Status != aid.ProposalPending || !strings.Contains(got[0].Reason, "评查案件30件，提出问题10个，被撤销0个") {
			t.Fatalf("proposals %+v", got)
		}
		// The level itself waits for a mentor.
		if lv := e.levelOf(t, "a_prosecutor", "evaluation"); lv == aid.LevelBackbone {
			t.Errorf("level changed without a mentor")
		}
	})
}
