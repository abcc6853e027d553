package aid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// sharedFixture builds, by hand, 甲县院's reviews and problems of a
// pairing sharing both: three cases (the third sealed), evaluation
// records, monitoring findings and data-quality problems, some outside
// the period, some not final, some overturned.
func sharedFixture(t *testing.T, e *env, raw execer) (pairing int64) {
	t.Helper()
	ctx := context.Background()
	in := e.input()
	in.Shares = aid.Shares{Aggregates: true, Reviews: true, Problems: true}
	pairing, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), in)
	if err != nil {
		t.Fatal(err)
	}
	cm := e.f.Request(t, "a_case_manager")
	var cases [3]int64
	for i := range cases {
		if cases[i], err = e.f.App.Cases.Register(ctx, cm, apptest.Intake(700+i)); err != nil {
			t.Fatal(err)
		}
	}
	must := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(`UPDATE cases SET sealed = TRUE WHERE id = $1`, cases[2])
	unit, leader := e.f.UnitA.ID, e.f.User(t, "a_case_manager").ID
	// Evaluation: one activity, five records.
	for _, act := range []int{9001, 9002} {
		must(`INSERT INTO evaluation_activities (id, unit_id, name, kind, status, scope_units, categories, closed_from, closed_to,
		scale_code, templates, leader_id, deadline, response_days, allow_aid, note, created_by, created_on, created_at)
		VALUES ($3, $1, '测试评查', 'routine', 'running', '', '', '2026-01-01', '2026-03-01', 'x', '', $2, '2026-04-30', 5,
		FALSE, '', $2, '2026-02-01', 0)`, unit, leader, act)
	}
	must(`INSERT INTO evaluation_templates (id, code, version, name, categories, scale_code, items, note, data, created_by,
		created_at) VALUES (9001, 'T-SHARED', 1, '测试模板', '', 'x', 0, '', '{}', $1, 0)`, leader)
	record := func(id int64, caseID int64, finalOn, grade string) {
		act := 9001 + id/4 // record 4 is of a second activity on the same case
		must(`INSERT INTO evaluation_records (id, activity_id, case_id, unit_id, category, template_id, selection, selection_reason,
			selected_on, status, final_grade, final_on, created_at) SELECT $1, $5, id, unit_id, category, 9001, 'random', '',
			'2026-02-01', 'final', $3, $4, 0 FROM cases WHERE id = $2`, id, caseID, grade, finalOn, act)
	}
	item := func(record int64, code, class string, overturned bool) {
		must(`INSERT INTO evaluation_record_items (record_id, item_code, option_code, class, deduction, aspect, title, note, overturned)
			VALUES ($1, $2, 'o', $3, 1, 'evidence', $4, '', $5)`, record, code, class, "项目"+code, overturned)
	}
	record(1, cases[0], "2026-03-01", "qualified") // counted: a flaw that stood, a serious problem overturned
	item(1, "E1", "flaw", false)
	item(1, "E2", "serious", true)
	record(2, cases[1], "2026-03-02", "excellent")   // counted, clean
	record(3, cases[2], "2026-03-03", "unqualified") // sealed: never counted
	item(3, "E3", "serious", false)
	record(4, cases[1], "", "") // not final: not counted
	item(4, "E4", "serious", false)
	// Monitoring: case 1 in the period, the sealed case, case 2 before it.
	finding := func(id, caseID int64, rule, on string) {
		must(`INSERT INTO monitor_findings (id, unit_id, case_id, rule_id, area, severity, detail_key, detail_args, description,
			step, status, detected_on, created_at) VALUES ($1, $2, $3, $4, 'rights', 'minor', 'k', '', '张某某 案', 'detected', 'open',
			$5, 0)`, id, unit, caseID, rule, on)
	}
	finding(9101, cases[0], "rights_notice_late", "2026-02-10")
	finding(9102, cases[2], "rights_notice_late", "2026-02-11")
	finding(9103, cases[1], "", "2025-12-20")
	// Data quality: an unsealed card and a sealed one, one problem each.
	for i, sealed := range []bool{false, true} {
		must(`INSERT INTO case_cards (unit_id, source, stage_no, uniform_no, category, name, department, handler, transferring_organ,
			charges, received_on, suspect_name, suspect_id, custody, measure, plea, plea_signed_on, sentencing, sentencing_adopted,
			fast_track, minor, returns, extensions, decision, decided_on, doc_no, closed_on, entered_on, created_at, updated_at, sealed)
			VALUES ($1, 'import', $2, $2, 'prosecution_review', '李某某盗窃案', '刑检', '测', '', '', '2026-01-05', '李某某', '', '', '',
			'', '', '', '', '', '', 0, 0, '', '', '', '', '2026-01-05', 0, 0, $3)`, unit, fmt.Sprintf("甲检共享%d", i), sealed)
		must(`INSERT INTO dq_problems (card_id, unit_id, rule_id, rule_version, kind, severity, item, handler, department, status,
			detected_at, detected_on, due_on) SELECT id, unit_id, 'DQ-001', 1, '漏填', 'major', 'received_on', '测', '刑检', 'open', 0,
			'2026-03-05', '2026-03-12' FROM case_cards WHERE stage_no = $1`, fmt.Sprintf("甲检共享%d", i))
	}
	return pairing
}

func TestSharedReviewsAndProblems(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := sharedFixture(t, e, raw)
		s, err := e.svc.Shared(ctx, e.req(t, "b_case_manager"), id)
		if err != nil {
			t.Fatal(err)
		}
		if s.From != "2026-01-01" || s.To != "2026-03-16" || len(s.Units) != 1 {
			t.Fatalf("shared %s…%s, %d units", s.From, s.To, len(s.Units))
		}
		u := s.Units[0]
		// By hand: records 1 and 2 are final and unsealed; only record 1
		// has a problem that stood (E1, a flaw); E2 was overturned, E3 is
		// sealed, E4 not final.
		rv := u.Reviews
		if rv == nil || rv.Records != 2 || rv.WithProblems != 1 || rv.WithSerious != 0 {
			t.Fatalf("reviews %+v", rv)
		}
		if len(rv.Items) != 1 || rv.Items[0].Code != "E1" || rv.Items[0].Flaws != 1 || rv.Items[0].Records != 1 {
			t.Errorf("items %+v", rv.Items)
		}
		// Problems: the unsealed card's (2026-03-05), then case 1's finding
		// (2026-02-10); not the sealed ones, not the one before the period.
		if u.ProblemsTotal != 2 || len(u.Problems) != 2 {
			t.Fatalf("problems %d: %+v", u.ProblemsTotal, u.Problems)
		}
		p0, p1 := u.Problems[0], u.Problems[1]
		if p0.No != 1 || p0.Source != aid.SourceDataQuality || p0.RuleID != "DQ-001" || p0.DetectedOn != "2026-03-05" ||
			p0.CategoryName == "" {
			t.Errorf("first problem %+v", p0)
		}
		if p1.No != 2 || p1.Source != aid.SourceMonitor || p1.RuleID != "rights_notice_late" || p1.Title == "" ||
			p1.Title == "monitor.rule.rights_notice_late.title" {
			t.Errorf("second problem %+v", p1)
		}
		// The view is on the record.
		got, err := db.AuditEntries(ctx, audit.Query{Action: "aid.shared.view", ObjectID: itoa(id)})
		if err != nil || len(got) != 1 {
			t.Errorf("audited views: %d, %v", len(got), err)
		}
		// Reviews only: no problem list.
		in := e.input()
		in.Shares = aid.Shares{Aggregates: true, Reviews: true}
		sys := e.req(t, "up_sysadmin")
		if err := e.svc.UpdatePairing(ctx, sys, id, in); err != nil {
			t.Fatal(err)
		}
		if s, err := e.svc.Shared(ctx, e.req(t, "b_aid_partner"), id); err != nil || s.Units[0].Reviews == nil ||
			len(s.Units[0].Problems) != 0 || s.Units[0].ProblemsTotal != 0 {
			t.Errorf("reviews only: %+v, %v", s.Units, err)
		}
		// An outsider never learns the pairing exists; nothing shared
		// beyond aggregates gives nothing.
		if _, err := e.svc.Shared(ctx, e.as(e.unitC, "case_manager"), id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("outsider: %v", err)
		}
		in.Shares = aid.DefaultShares()
		if err := e.svc.UpdatePairing(ctx, sys, id, in); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Shared(ctx, e.req(t, "b_case_manager"), id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("aggregates only: %v, want forbidden", err)
		}
	})
}

// The pairing's workbook holds every part a reader may see, read back
// from the file; Q&A only where the agreement shares it.
func TestPairingWorkbook(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t) // aggregates only
		cm := e.req(t, "b_case_manager")
		if _, err := e.svc.AddActivity(ctx, cm, id, aid.ActivityInput{Kind: aid.KindVisit, HeldOn: "2026-02-10", Place: "甲县院",
			Participants: "两院案管办", Agreed: "建立周例会", FollowUps: []aid.FollowUpInput{{Item: "提交问题清单", Owner: "甲县院",
				DueOn: "2026-03-31"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-01-10",
			AmountFen: 1_234_567, Purpose: "首笔拨付"}); err != nil {
			t.Fatal(err)
		}
		name, body, err := e.svc.PairingXLSX(ctx, e.req(t, "a_case_manager"), id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".xlsx") {
			t.Errorf("file name %q", name)
		}
		sheet := func(i int) string {
			rows, err := xlsx.ReadSheet(bytes.NewReader(body), int64(len(body)), i)
			if err != nil {
				t.Fatalf("sheet %d: %v", i, err)
			}
			var b strings.Builder
			for _, r := range rows {
				b.WriteString(strings.Join(r, "|") + "\n")
			}
			return b.String()
		}
		for i, want := range []string{"乙甲结对", "建立周例会", "提交问题清单", "12,345.67", "测检察官", "", "", "", "", ""} {
			if got := sheet(i); !strings.Contains(got, want) {
				t.Errorf("sheet %d lacks %q:\n%s", i, want, got)
			}
		}
		if _, err := xlsx.ReadSheet(bytes.NewReader(body), int64(len(body)), 10); err == nil {
			t.Errorf("a Q&A sheet without the share")
		}
		got, err := db.AuditEntries(ctx, audit.Query{Action: "aid.export", ObjectID: itoa(id)})
		if err != nil || len(got) != 1 {
			t.Errorf("export audited %d times, %v", len(got), err)
		}
		if _, _, err := e.svc.PairingXLSX(ctx, e.as(e.unitC, "case_manager"), id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("outsider: %v", err)
		}
	})
}
