package aid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/store"
)

// fakeIndicators is the statistics service as goal (2) sees it, with
// figures set by hand per unit and period end.
type fakeIndicators struct {
	info map[string]aid.IndicatorInfo
	vals map[string]map[int64]map[string]float64 // to-date → unit → indicator → value (absent: undefined)
}

func (f fakeIndicators) IndicatorInfo(id string) (aid.IndicatorInfo, bool) {
	in, ok := f.info[id]
	return in, ok
}

func (f fakeIndicators) UnitValues(_ context.Context, units []int64, _, to string, ids []string) (map[int64]map[string]aid.IndicatorValue, error) {
	out := map[int64]map[string]aid.IndicatorValue{}
	for _, u := range units {
		out[u] = map[string]aid.IndicatorValue{}
		for _, id := range ids {
			if v, ok := f.vals[to][u][id]; ok {
				out[u][id] = aid.IndicatorValue{Value: v, Defined: true}
			}
		}
	}
	return out, nil
}

// cstMS is noon of a legal date, or the given hour, in China time.
func cstMS(day string, hour int) int64 {
	t, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(hour) * time.Hour).UnixMilli()
}

func (e *env) goalSettings(peers ...int64) aid.GoalSettings {
	return aid.GoalSettings{
		Staff:    aid.StaffGoal{MinLevel: aid.LevelBackbone, Target: 2},
		Position: aid.PositionGoal{PeerUnitIDs: peers, Indicators: []string{"up1", "down1"}, TopPct: 50},
		Info: aid.InfoGoal{WindowDays: 14, Items: []aid.CheckItem{{Code: aid.CheckBoard, Threshold: 80},
			{Code: aid.CheckNotices, Threshold: 90}, {Code: aid.CheckEvaluation, Threshold: 1}, {Code: aid.CheckAccuracy, Threshold: 95}}},
		Echelon: aid.EchelonGoal{Levels: []string{"trainee", "practitioner", "backbone", "mentor"}, MinPerLevel: 1},
	}
}

func (e *env) fake() fakeIndicators {
	a, b, c := e.f.UnitA.ID, e.f.UnitB.ID, e.unitC.ID
	return fakeIndicators{
		info: map[string]aid.IndicatorInfo{
			"up1":    {ID: "up1", Name: "甲率", Direction: "up", Kind: "rate"},
			"down1":  {ID: "down1", Name: "乙率", Direction: "down", Kind: "rate"},
			"range1": {ID: "range1", Name: "丙率", Direction: "range", Kind: "rate"},
		},
		vals: map[string]map[int64]map[string]float64{
			// Today's quarter: A second of three on up1 (cut-off ⌈3×50%⌉ = 2:
			// upper-middle), last of three on down1 (not).
			"2026-03-16": {a: {"up1": 80, "down1": 1.5}, b: {"up1": 90, "down1": 1.2}, c: {"up1": 70, "down1": 1.1}},
			// 2025Q4: C has no figure on up1: A second of two (cut-off 1).
			"2025-12-31": {a: {"up1": 80}, b: {"up1": 90}},
		},
	}
}

func (e *env) countGoalRows(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM aid_goals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGoalMeasuresOnHandBuiltData builds levels with their history, board
// views, notices, evaluation activities, cards and indicator figures by
// hand and checks each goal's measure against answers worked out here.
func TestGoalMeasuresOnHandBuiltData(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.svc.SetIndicators(e.fake())
		id := e.create(t)
		sys := e.req(t, "up_sysadmin")
		if err := e.svc.SaveGoals(ctx, sys, id, e.goalSettings(e.f.UnitB.ID, e.unitC.ID)); err != nil {
			t.Fatal(err)
		}
		a := e.f.UnitA.ID
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Levels. Required areas: intake, assignment, monitoring, data.
		core := []string{"intake", "assignment", "monitoring", "data"}
		p1, p2, p3 := e.f.User(t, "a_prosecutor").ID, e.f.User(t, "a_prosecutor2").ID, e.f.User(t, "a_prosecutor3").ID
		proposal := func(user int64, area, from, to, day string) {
			exec(`INSERT INTO aid_proposals (user_id, area, from_level, to_level, rule, reason, status, created_at, decided_at, decision)
				VALUES ($1, $2, $3, $4, '', 'x', 'confirmed', $5, $5, '')`, user, area, from, to, cstMS(day, 12))
		}
		current := func(user int64, area, level, day string) {
			exec(`INSERT INTO aid_competencies (user_id, area, level, updated_at) VALUES ($1, $2, $3, $4)`, user, area, level, cstMS(day, 12))
		}
		for _, ar := range core {
			// a_prosecutor: practitioner on 2025-05-01, backbone on 2025-11-01.
			proposal(p1, ar, "trainee", "practitioner", "2025-05-01")
			proposal(p1, ar, "practitioner", "backbone", "2025-11-01")
			current(p1, ar, "backbone", "2025-11-01")
			// a_prosecutor2: set to backbone on 2025-08-01 with no proposal.
			current(p2, ar, "backbone", "2025-08-01")
		}
		// a_prosecutor3: mentor in three areas since 2025-01-01, data
		// practitioner only on 2026-01-10.
		for _, ar := range core[:3] {
			current(p3, ar, "mentor", "2025-01-01")
		}
		proposal(p3, "data", "trainee", "practitioner", "2026-01-10")
		current(p3, "data", "practitioner", "2026-01-10")

		// Board views: 2026-03-03..06 and 09..12 (8 working days), a
		// Sunday (08) and a day before the window (02); another unit's.
		seq := int64(1_000_000)
		board := func(unit int64, day string) {
			seq++
			exec(`INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, client_addr, action, object_type, object_id,
				result, request_id, detail, prev_hash, hash) VALUES ($1, $2, 0, 'x', 'case_manager', $3, '', 'board.list', 'clock', '',
				'ok', '', '', '', '')`, seq, cstMS(day, 9), unit)
		}
		for _, d := range []string{"03", "04", "05", "06", "09", "10", "11", "12", "08", "02"} {
			board(a, "2026-03-"+d)
		}
		board(a, "2026-03-12") // twice the same day: one day
		board(e.f.UnitB.ID, "2026-03-13")

		// Notices, written past their foreign keys (the finding and case
		// behind them do not matter here): due in the window 05 (replied
		// 04), 06 (replied 06), 10 (replied 12, late), 12 (unanswered);
		// due 03-01 is outside the window.
		if db.Engine() == store.Postgres {
			exec(`ALTER TABLE monitor_notices DISABLE TRIGGER ALL`)
		}
		cm := e.f.User(t, "a_case_manager").ID
		for i, n := range [][2]string{{"2026-03-05", "2026-03-04"}, {"2026-03-06", "2026-03-06"}, {"2026-03-10", "2026-03-12"},
			{"2026-03-12", ""}, {"2026-03-01", "2026-02-27"}} {
			exec(`INSERT INTO monitor_notices (finding_id, unit_id, year, seq, number, department_id, requested_action, issued_on,
				reply_due, reply_basis, issued_by, replied_on, created_at) VALUES ($1, $2, 2026, $3, 'n', 1, 'x', '2026-02-20', $4, 'R', $5, $6, 0)`,
				900000+i, a, i+1, n[0], cm, n[1])
		}
		// Evaluation activities: one on 2026-03-10 (in the window), one
		// on 2026-02-01 (not).
		for _, d := range []string{"2026-03-10", "2026-02-01"} {
			exec(`INSERT INTO evaluation_activities (unit_id, name, kind, status, scope_units, categories, closed_from, closed_to,
				scale_code, templates, leader_id, deadline, response_days, allow_aid, note, created_by, created_on, created_at)
				VALUES ($1, '评查', 'routine', 'planned', '[]', '[]', '2026-01-01', '2026-02-28', 's', '{}', $2, '2026-04-30', 5, FALSE, '',
				$2, $3, 0)`, a, cm, d)
		}
		// Cards: 20 in unit A; card 0 has an open problem, card 1 one
		// fixed before today: accuracy 19/20 = 95%.
		old := cstMS("2025-10-01", 0)
		for i := range 20 {
			exec(`INSERT INTO case_cards (unit_id, source, stage_no, uniform_no, category, name, department, handler,
				handler_id, transferring_organ, charges, received_on, suspect_name, suspect_id, custody, measure, plea, plea_signed_on,
				sentencing, sentencing_adopted, fast_track, minor, returns, extensions, decision, decided_on, doc_no, closed_on,
				entered_on, created_at, updated_at) VALUES ($1, 'import', $2, $2, 'prosecution_review', '案', '刑检', '测', $3, '', '',
				'2025-10-01', '', '', '', '', '', '', '', '', '', '', 0, 0, '', '', '', '', '2025-10-01', $4, $4)`,
				a, fmt.Sprintf("甲卡%03d", i), p1, old)
		}
		for i, fixed := range []int64{0, cstMS("2026-03-01", 0)} {
			exec(`INSERT INTO dq_problems (card_id, unit_id, rule_id, rule_version, kind, severity, item, handler_id,
				handler, department, status, detected_at, detected_on, due_on, fixed_at, fixed_on)
				SELECT id, unit_id, $2, 1, '漏填', 'major', 'x', $3, '测', '刑检', $4, $5, '2025-10-01', '2025-10-10', $6, ''
				FROM case_cards WHERE stage_no = $1`, fmt.Sprintf("甲卡%03d", i), fmt.Sprintf("R%d", i), p1,
				map[bool]string{true: "open", false: "fixed"}[fixed == 0], old, fixed)
		}

		staffA := 0
		for _, u := range e.f.Users {
			if u.UnitID == a {
				staffA++
			}
		}
		p, err := e.svc.ProgressView(ctx, e.req(t, "a_case_manager"), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Units) != 1 || len(p.Units[0].Points) != 5 {
			t.Fatalf("units %d points %v", len(p.Units), p.Units)
		}
		pts := p.Units[0].Points
		wantDates := []string{"2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-16"}
		// Goal (1) and (4) per date, worked out from the history above:
		// 03-31 all trainee; 06-30 p1 practitioner; 09-30 p2 backbone;
		// 12-31 p1 backbone too; today p3 practitioner (mentor elsewhere,
		// practitioner in data: overall practitioner).
		wantStaff := []int{0, 0, 1, 2, 2}
		wantLevels := [][4]int{{staffA, 0, 0, 0}, {staffA - 1, 1, 0, 0}, {staffA - 2, 1, 1, 0}, {staffA - 2, 0, 2, 0}, {staffA - 3, 1, 2, 0}}
		wantFilled := []int{1, 2, 3, 2, 3}
		for i, m := range pts {
			if m.AsOf != wantDates[i] {
				t.Errorf("point %d as of %s, want %s", i, m.AsOf, wantDates[i])
			}
			if m.Staff.Count != wantStaff[i] {
				t.Errorf("%s: goal (1) = %d, want %d (%v)", m.AsOf, m.Staff.Count, wantStaff[i], m.Staff.Names)
			}
			var got [4]int
			for j, l := range m.Echelon.Levels {
				got[j] = l.Count
			}
			if got != wantLevels[i] || m.Echelon.Filled != wantFilled[i] {
				t.Errorf("%s: goal (4) levels %v filled %d, want %v %d", m.AsOf, got, m.Echelon.Filled, wantLevels[i], wantFilled[i])
			}
		}
		cur := p.Units[0].Current()
		if !cur.Staff.Met() || cur.Echelon.Met() {
			t.Errorf("today: goal (1) met %v (want true), goal (4) met %v (want false: no mentor)", cur.Staff.Met(), cur.Echelon.Met())
		}
		// Goal (1) today agrees with the talent page's count (SQL).
		if g := e.goal(t, id); g != 2 {
			t.Errorf("talent goal (1) = %d, want 2", g)
		}

		// Goal (2): today 1 of 2 indicators in the upper-middle; 2025Q4
		// 0 of 1 (second of two, cut-off 1); earlier quarters no figure.
		pos := cur.Position
		if pos.Peers != 2 || pos.Defined != 2 || pos.InUpper != 1 || pos.Met() {
			t.Errorf("goal (2) today: %+v", pos)
		}
		if ip := pos.Indicators[0]; ip.Rank != 2 || ip.Of != 3 || ip.Cutoff != 2 || !ip.Upper {
			t.Errorf("up1: %+v, want 2nd of 3, cut-off 2, upper", ip)
		}
		if ip := pos.Indicators[1]; ip.Rank != 3 || ip.Of != 3 || ip.Upper {
			t.Errorf("down1: %+v, want 3rd of 3, not upper", ip)
		}
		if q4 := pts[3].Position; q4.Defined != 1 || q4.InUpper != 0 || q4.Indicators[0].Of != 2 || q4.Indicators[0].Cutoff != 1 {
			t.Errorf("goal (2) 2025Q4: %+v", q4)
		}
		if pts[0].Position.Defined != 0 || pts[0].Position.Met() {
			t.Errorf("goal (2) without figures: %+v", pts[0].Position)
		}

		// Goal (3): window 2026-03-03..16.
		info := cur.Info
		if info.From != "2026-03-03" || info.To != "2026-03-16" {
			t.Errorf("window %s..%s", info.From, info.To)
		}
		want := map[string][3]int{ // num, den, met
			aid.CheckBoard:      {8, 10, 1}, // 80% of 10 working days: met exactly at the threshold
			aid.CheckNotices:    {2, 4, 0},  // 50% < 90%
			aid.CheckEvaluation: {1, 0, 1},
			aid.CheckAccuracy:   {19, 20, 1}, // 95%: met exactly
		}
		for _, c := range info.Items {
			w := want[c.Code]
			if c.Num != w[0] || c.Den != w[1] || c.Met != (w[2] == 1) {
				t.Errorf("goal (3) %s: %d/%d met %v, want %v", c.Code, c.Num, c.Den, c.Met, w)
			}
		}
		if info.Count != 3 || info.Met() {
			t.Errorf("goal (3): %d met, want 3 of 4 (not met)", info.Count)
		}

		// The thresholds are data: a wider upper-middle (70%: cut-off 3)
		// puts A in it on both indicators.
		set := e.goalSettings(e.f.UnitB.ID, e.unitC.ID)
		set.Position.TopPct = 70
		if err := e.svc.SaveGoals(ctx, sys, id, set); err != nil {
			t.Fatal(err)
		}
		p, err = e.svc.ProgressView(ctx, e.req(t, "b_aid_partner"), id)
		if err != nil {
			t.Fatal(err)
		}
		if pos := p.Units[0].Current().Position; pos.InUpper != 2 || !pos.Met() {
			t.Errorf("goal (2) at 70%%: %+v", pos)
		}
		var views int
		if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'aid.progress.view' AND object_id = $1`,
			itoa(id)).Scan(&views); err != nil || views != 2 {
			t.Errorf("progress views audited: %d (%v), want 2", views, err)
		}
		var saves int
		if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'aid.goals.save'`).Scan(&saves); err != nil || saves != 2 {
			t.Errorf("goal saves audited: %d (%v), want 2", saves, err)
		}

		// The quarterly report opens and carries the figures.
		doc, err := e.svc.Report(ctx, e.req(t, "a_case_manager"), id, "2026Q1")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := docx.Write(&buf, doc); err != nil {
			t.Fatal(err)
		}
		text, err := docx.Text(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"乙甲结对 2026年第1季度援助工作进展报告", "2人（目标2人）", "3/4项达到阈值", "80.0%（8/10，阈值80%）",
			"第2位/共3个单位", "2025Q4", "2026-03-16", "本季度共开展援助活动0次", "截至目前尚有0项商定事项未落实"} {
			if !strings.Contains(text, w) {
				t.Errorf("report lacks %q", w)
			}
		}
	})
}

func TestGoalAccessAndBadInput(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, _ execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.svc.SetIndicators(e.fake())
		id := e.create(t)
		sys := e.req(t, "up_sysadmin")
		// Outsiders: a unit outside the pairing sees nothing (not found).
		outsider := e.as(e.unitC, access.CaseManager)
		if _, err := e.svc.ProgressView(ctx, outsider, id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("outsider progress: %v, want not found", err)
		}
		if _, err := e.svc.Report(ctx, outsider, id, "2026Q1"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("outsider report: %v, want not found", err)
		}
		// A reader who may not manage the pairing may not change its goals.
		if err := e.svc.SaveGoals(ctx, e.req(t, "a_case_manager"), id, e.goalSettings(e.f.UnitB.ID)); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("case manager saving goals: %v, want forbidden", err)
		}
		// Bad input names the field; nothing is written.
		bad := []struct {
			name, field, key string
			edit             func(g *aid.GoalSettings)
		}{
			{"unknown indicator", "indicators[0]", "err.aid_goal_indicator_unknown", func(g *aid.GoalSettings) { g.Position.Indicators = []string{"nope"} }},
			{"range indicator", "indicators[1]", "err.aid_goal_indicator_range", func(g *aid.GoalSettings) { g.Position.Indicators = []string{"up1", "range1"} }},
			{"peer at another level", "peer_unit_ids[1]", "err.aid_goal_peer_level", func(g *aid.GoalSettings) { g.Position.PeerUnitIDs = []int64{e.f.UnitB.ID, e.f.Upper.ID} }},
			{"unknown peer", "peer_unit_ids[0]", "err.aid_unit_unknown", func(g *aid.GoalSettings) { g.Position.PeerUnitIDs = []int64{999999} }},
			{"no peer", "peer_unit_ids", "err.required", func(g *aid.GoalSettings) { g.Position.PeerUnitIDs = nil }},
			{"threshold above 100%", "items[0].threshold", "err.aid_goal_range", func(g *aid.GoalSettings) { g.Info.Items[0].Threshold = 150 }},
			{"threshold zero", "items[2].threshold", "err.aid_goal_range", func(g *aid.GoalSettings) { g.Info.Items[2].Threshold = 0 }},
			{"unknown check", "items[1].check_code", "err.aid_goal_check_unknown", func(g *aid.GoalSettings) { g.Info.Items[1].Code = "fax" }},
			{"window", "window_days", "err.aid_goal_range", func(g *aid.GoalSettings) { g.Info.WindowDays = 1000 }},
			{"top percent", "top_pct", "err.aid_goal_range", func(g *aid.GoalSettings) { g.Position.TopPct = 0 }},
			{"level", "levels[1]", "err.aid_level_invalid", func(g *aid.GoalSettings) { g.Echelon.Levels = []string{"trainee", "guru"} }},
			{"min level", "min_level", "err.aid_level_invalid", func(g *aid.GoalSettings) { g.Staff.MinLevel = "" }},
			{"target", "staff_target", "err.aid_goal_range", func(g *aid.GoalSettings) { g.Staff.Target = 0 }},
		}
		for _, c := range bad {
			g := e.goalSettings(e.f.UnitB.ID, e.unitC.ID)
			c.edit(&g)
			assertField(t, e.svc.SaveGoals(ctx, sys, id, g), c.field, c.key)
			if n := e.countGoalRows(t); n != 0 {
				t.Fatalf("%s: %d goal rows written", c.name, n)
			}
		}
		// Without saved goals the defaults apply: peers are the pairing's
		// units at the aided unit's level.
		_, g, err := e.svc.Goals(ctx, e.req(t, "b_aid_partner"), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Saved) != 0 || g.Staff.Target != 2 || g.Info.WindowDays != 90 || len(g.Position.PeerUnitIDs) != 2 {
			t.Errorf("defaults: %+v", g)
		}
		// Bad and future quarters name the field.
		for _, q := range []string{"2026Q5", "2026-13", "", "26Q1"} {
			_, err := e.svc.Report(ctx, e.req(t, "a_case_manager"), id, q)
			assertField(t, err, "quarter", "err.aid_quarter_invalid")
		}
		_, err = e.svc.Report(ctx, e.req(t, "a_case_manager"), id, "2026Q3")
		assertField(t, err, "quarter", "err.aid_quarter_future")
	})
}

func TestMedianResponse(t *testing.T) {
	for _, c := range []struct {
		in   []int64
		want float64
		ok   bool
	}{{nil, 0, false}, {[]int64{5}, 5, true}, {[]int64{9, 1, 5}, 5, true}, {[]int64{4, 1, 3, 2}, 2.5, true}} {
		got, ok := aid.MedianMS(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("median %v = %v %v, want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
