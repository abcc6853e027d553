package store_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// dqCard is a well-filled closed prosecution-review card of an imported
// file (every item a rule reads is filled and consistent).
func dqCard(stage, uniform string) casecard.Card {
	return casecard.Card{
		StageNo: stage, UniformNo: uniform, Category: "prosecution_review",
		Name: "艾某某盗窃案", Department: "刑事检察部", Handler: "测prosecutor", TransferringOrgan: "甲县公安局",
		Charges: "盗窃罪", ReceivedOn: "2026-02-02", SuspectName: "艾某某", SuspectID: "110101199005170139",
		Custody: casecard.Yes, Measure: "逮捕", Plea: casecard.Yes, PleaSignedOn: "2026-02-16",
		Sentencing: "确定刑", SentencingAdopted: "采纳", FastTrack: casecard.No, Minor: casecard.No,
		Decision: "起诉", DecidedOn: "2026-02-25", DocNo: "甲检刑诉〔2026〕12号",
		ClosedOn: "2026-02-26", EnteredOn: "2026-02-27",
	}
}

type dqEnv struct {
	t   *testing.T
	ctx context.Context
	f   *apptest.Fixture
	db  *store.DB
	svc *dataquality.Service
}

func (e *dqEnv) req(username string) dataquality.Request {
	return dataquality.Request(e.f.Request(e.t, username))
}

func (e *dqEnv) file(cards ...casecard.Card) []byte {
	e.t.Helper()
	var b bytes.Buffer
	if err := casecard.WriteCSV(&b, cards, e.vocab()); err != nil {
		e.t.Fatal(err)
	}
	return b.Bytes()
}

func (e *dqEnv) vocab() casecard.Vocabulary {
	cats, err := e.db.Categories(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	m := map[string]string{}
	for _, c := range cats {
		m[c.Code] = c.Name
	}
	return casecard.NewVocabulary(m)
}

func (e *dqEnv) problems(username string, f dataquality.ProblemFilter) []dataquality.Problem {
	e.t.Helper()
	f.Limit = 500
	ps, _, err := e.svc.Problems(e.ctx, e.req(username), f)
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

func (e *dqEnv) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.Reader().QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func rulesOf(ps []dataquality.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.RuleID+"@"+p.StageNo)
	}
	slices.Sort(out)
	return out
}

func TestDataQualityImportScanFix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := &dqEnv{t: t, ctx: context.Background(), db: db}
		e.f = apptest.New(t, db, nil)
		e.svc = e.f.App.Data
		if n, err := e.svc.InstallRules(e.ctx); err != nil || n < 50 {
			t.Fatalf("InstallRules = %d, %v; want ≥ 50 rules", n, err)
		}
		if n, err := e.svc.InstallRules(e.ctx); err != nil || n != 0 {
			t.Fatalf("second InstallRules = %d, %v; want nothing to do", n, err)
		}
		unitA := e.f.UnitA.ID
		actor := audit.ActorOf(e.f.Request(t, "a_case_manager").P, "test", "")

		// A case registered in anguan has its card at once.
		caseID, err := e.f.App.Cases.Register(e.ctx, e.f.Request(t, "a_case_manager"), apptest.Intake(1))
		if err != nil {
			t.Fatal(err)
		}
		cc, ok, err := db.CardByCase(e.ctx, caseID)
		if err != nil || !ok || cc.Source != casecard.SourceCase || cc.StageNo == "" || cc.UnitID != unitA {
			t.Fatalf("case card = %+v, %v, %v", cc, ok, err)
		}

		clean := dqCard("甲检起诉受[2026]99010000101号", "99010020260000101")
		early := dqCard("甲检起诉受[2026]99010000102号", "99010020260000102")
		early.DecidedOn, early.PleaSignedOn = "2026-01-20", "2026-01-19" // decided before received: DQ-001
		noDecision := dqCard("甲检起诉受[2026]99010000103号", "99010020260000103")
		noDecision.Decision, noDecision.DecidedOn, noDecision.DocNo = "", "", "" // closed without decision: DQ-012
		noDecision.Sentencing, noDecision.SentencingAdopted, noDecision.PleaSignedOn = "", "", ""
		charges := dqCard("甲检起诉受[2026]99010000104号", "99010020260000104")
		charges.Charges = "盗窃"  // not a charge name: DQ-080
		charges.Department = "" // DQ-023; one of the two is waived below, the other notified
		data := e.file(clean, early, noDecision, charges)

		// Dry run: the preview, nothing written.
		before := e.count("case_cards")
		pv, _, err := e.svc.ImportFile(e.ctx, actor, unitA, "cards.csv", data, true)
		if err != nil || !pv.Confirmable || pv.New != 4 || pv.HitCount == 0 {
			t.Fatalf("dry run = %+v, %v", pv, err)
		}
		if got := e.count("case_cards"); got != before {
			t.Fatalf("dry run wrote cards: %d → %d", before, got)
		}

		// A file with a bad row: nothing written, the error names row and column.
		bad := append([]byte(nil), data...)
		bad = append(bad, []byte("甲检起诉受[2026]99010000105号,,审查起诉,某案,,,,,2026-02-30\n")...)
		pv, _, err = e.svc.ImportFile(e.ctx, actor, unitA, "bad.csv", bad, false)
		if !errors.Is(err, dataquality.ErrNotConfirmable) || len(pv.Errors) == 0 {
			t.Fatalf("bad file = %+v, %v; want row errors", pv, err)
		}
		if pv.Errors[0].Row != 6 || pv.Errors[0].Column != "受理日期" {
			t.Errorf("first error = %+v; want row 5, column 受理日期", pv.Errors[0])
		}
		if got := e.count("case_cards"); got != before {
			t.Fatalf("bad file wrote cards: %d → %d", before, got)
		}

		// The real import.
		_, res, err := e.svc.ImportFile(e.ctx, actor, unitA, "cards.csv", data, false)
		if err != nil || res.New != 4 || res.Opened == 0 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		got := rulesOf(e.problems("a_case_manager", dataquality.ProblemFilter{Status: dataquality.StatusOpen,
			Department: "刑事检察部"}))
		for _, want := range []string{"DQ-001@" + early.StageNo, "DQ-012@" + noDecision.StageNo} {
			if !slices.Contains(got, want) {
				t.Errorf("open problems %v lack %s", got, want)
			}
		}
		for _, g := range got {
			if g[len(g)-len(clean.StageNo):] == clean.StageNo {
				t.Errorf("the clean card has a problem: %s", g)
			}
		}
		// The handler named on the cards sees them; the other unit does not.
		if mine := e.problems("a_prosecutor", dataquality.ProblemFilter{}); len(mine) == 0 {
			t.Error("the handler sees none of the problems of the cards they handle")
		}
		if n, _ := e.svc.MyOpenProblems(e.ctx, e.req("a_prosecutor")); n == 0 {
			t.Error("home count of the handler is 0")
		}
		if other := e.problems("b_case_manager", dataquality.ProblemFilter{}); len(other) != 0 {
			t.Errorf("unit B sees %d problems of unit A", len(other))
		}

		// The same file again changes nothing.
		_, res, err = e.svc.ImportFile(e.ctx, actor, unitA, "cards.csv", data, false)
		if err != nil || res.Unchanged != 4 || res.Opened+res.Fixed != 0 {
			t.Fatalf("re-import = %+v, %v", res, err)
		}

		// Round trip: the stored cards exported as XLSX and imported again
		// are the same cards.
		stored, _, err := e.svc.ListCards(e.ctx, e.req("a_case_manager"), dataquality.CardFilter{Source: casecard.SourceImport})
		if err != nil || len(stored) != 4 {
			t.Fatalf("stored imported cards = %d, %v", len(stored), err)
		}
		var xb bytes.Buffer
		if err := casecard.WriteXLSX(&xb, stored, e.vocab()); err != nil {
			t.Fatal(err)
		}
		_, res, err = e.svc.ImportFile(e.ctx, actor, unitA, "export.xlsx", xb.Bytes(), false)
		if err != nil || res.Unchanged != 4 || res.New+res.Updated != 0 {
			t.Fatalf("re-import of the export = %+v, %v; want 4 unchanged", res, err)
		}

		// A corrected file updates the card, records what changed and
		// closes the problem on its own.
		fixed := early
		fixed.DecidedOn, fixed.PleaSignedOn = "2026-02-25", "2026-02-16"
		_, res, err = e.svc.ImportFile(e.ctx, actor, unitA, "cards.csv", e.file(clean, fixed, noDecision, charges), false)
		if err != nil || res.Updated != 1 || res.Fixed == 0 {
			t.Fatalf("corrected import = %+v, %v", res, err)
		}
		ps := e.problems("a_case_manager", dataquality.ProblemFilter{RuleID: "DQ-001"})
		if len(ps) != 1 || ps[0].Status != dataquality.StatusFixed || ps[0].FixedOn == "" {
			t.Fatalf("DQ-001 after correction = %+v", ps)
		}
		view, err := e.svc.GetCard(e.ctx, e.req("a_case_manager"), ps[0].CardID)
		if err != nil || len(view.History) != 1 || len(view.History[0].Changes) != 2 {
			t.Fatalf("history = %+v, %v", view.History, err)
		}

		// Correcting a card in anguan closes its problem in the same step.
		p12 := e.problems("a_case_manager", dataquality.ProblemFilter{RuleID: "DQ-012", Status: dataquality.StatusOpen})
		if len(p12) != 1 {
			t.Fatalf("DQ-012 open = %d", len(p12))
		}
		view, err = e.svc.GetCard(e.ctx, e.req("a_prosecutor"), p12[0].CardID)
		if err != nil || !view.Editable {
			t.Fatalf("handler's view = %+v, %v", view.Editable, err)
		}
		values := map[string]string{}
		for _, col := range casecard.Columns {
			values[col.Key] = view.Card.Value(col.Key)
		}
		values["category"] = "审查起诉"
		values["decision"], values["decided_on"] = "起诉", "2026-02-25"
		values["doc_no"], values["sentencing"], values["sentencing_adopted"] = "甲检刑诉〔2026〕13号", "确定刑", "采纳"
		values["plea_signed_on"] = "2026-02-16"
		applied, err := e.svc.SaveCard(e.ctx, e.req("a_prosecutor"), view.Card.ID, view.Version, values)
		if err != nil || applied.Fixed == 0 {
			t.Fatalf("SaveCard = %+v, %v", applied, err)
		}
		// A stale version is a conflict.
		if _, err := e.svc.SaveCard(e.ctx, e.req("a_prosecutor"), view.Card.ID, view.Version, values); err != nil {
			t.Fatalf("unchanged save = %v; want a no-op", err)
		}
		values["name"] = "艾某某盗窃一案"
		if _, err := e.svc.SaveCard(e.ctx, e.req("a_prosecutor"), view.Card.ID, view.Version, values); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale save = %v; want conflict", err)
		}
		// Bad values are refused with the field named.
		values["received_on"] = "2026-13-01"
		_, err = e.svc.SaveCard(e.ctx, e.req("a_prosecutor"), view.Card.ID, view.Version+1, values)
		var v *apperr.Validation
		if !errors.As(err, &v) || !v.Has("received_on") {
			t.Fatalf("bad value = %v; want a validation error on received_on", err)
		}
		// A case's own card is not edited here.
		if _, err := e.svc.SaveCard(e.ctx, e.req("a_case_manager"), cc.ID, 1, values); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("editing a case card = %v; want forbidden", err)
		}

		// Waiving needs a reason and the case management office.
		open := e.problems("a_case_manager", dataquality.ProblemFilter{Status: dataquality.StatusOpen})
		if len(open) == 0 {
			t.Fatal("no open problem left to waive")
		}
		w := open[0]
		if err := e.svc.WaiveProblem(e.ctx, e.req("a_case_manager"), w.ID, w.Version, " "); !errors.As(err, &v) {
			t.Fatalf("waive without reason = %v", err)
		}
		if err := e.svc.WaiveProblem(e.ctx, e.req("a_prosecutor"), w.ID, w.Version, "理由"); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("waive by prosecutor = %v; want forbidden", err)
		}
		if err := e.svc.WaiveProblem(e.ctx, e.req("a_case_manager"), w.ID, w.Version, "国家系统填录规范允许该取值"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.WaiveProblem(e.ctx, e.req("a_case_manager"), w.ID, w.Version, "再次"); err == nil {
			t.Fatal("waiving twice succeeded")
		}

		// The nightly scan agrees with the scans on save: nothing to change.
		rec, err := e.svc.ScanAll(e.ctx)
		if err != nil || rec.Cards < 4 || rec.Evaluations == 0 || rec.Opened != 0 || rec.Fixed != 0 {
			t.Fatalf("ScanAll = %+v, %v; want a full scan that changes nothing", rec, err)
		}

		// Reports.
		acc, err := e.svc.Accuracy(e.ctx, e.req("a_case_manager"), dataquality.ByUnit)
		if err != nil || len(acc) != 1 || acc[0].Cards < 4 || acc[0].Rate() > 100 {
			t.Fatalf("accuracy = %+v, %v", acc, err)
		}
		if _, err := e.svc.Accuracy(e.ctx, e.req("a_prosecutor"), dataquality.ByUnit); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("accuracy for a prosecutor = %v", err)
		}
		trend, err := e.svc.Trend(e.ctx, e.req("a_case_manager"), 4)
		if err != nil || len(trend) != 4 || trend[3].Cards < 4 {
			t.Fatalf("trend = %+v, %v", trend, err)
		}
		n, err := e.svc.PublishNotification(e.ctx, e.req("a_case_manager"), unitA, "2026-03")
		if err != nil || n == 0 {
			t.Fatalf("publish = %d, %v", n, err)
		}
		lb, sum, err := e.svc.LookBack(e.ctx, e.req("a_case_manager"), "2026-03", 100)
		if err != nil || len(lb) != n || sum.Open != n {
			t.Fatalf("look-back = %d %+v, %v; want %d open", len(lb), sum, err, n)
		}
		if got, err := db.VerifyAudit(e.ctx); err != nil || got == 0 {
			t.Fatalf("audit verify = %d, %v", got, err)
		}
	})
}

// TestDataQualityNightlyJob runs the jobs of a serving instance: the
// nightly data-quality scan is among them, checks every card, records the
// scan and its result, and a second instance does not run it again.
func TestDataQualityNightlyJob(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := apptest.New(t, db, nil)
		if _, err := f.App.Data.InstallRules(ctx); err != nil {
			t.Fatal(err)
		}
		e := &dqEnv{t: t, ctx: ctx, f: f, db: db, svc: f.App.Data}
		bad := dqCard("甲检起诉受[2026]99010000201号", "99010020260000201")
		bad.Charges = ""
		if _, _, err := f.App.Data.ImportFile(ctx, audit.System("test"), f.UnitA.ID, "c.csv", e.file(bad), false); err != nil {
			t.Fatal(err)
		}
		ran, err := f.App.Jobs("one").RunDue(ctx)
		if err != nil || !slices.Contains(ran, "dataquality.scan") {
			t.Fatalf("first instance ran %v, %v", ran, err)
		}
		ran, err = f.App.Jobs("two").RunDue(ctx)
		if err != nil || slices.Contains(ran, "dataquality.scan") {
			t.Fatalf("second instance ran %v, %v", ran, err)
		}
		scans, err := f.App.Data.LastScans(ctx, dataquality.Request(f.Request(t, "a_case_manager")), f.UnitA.ID)
		if err != nil || len(scans) == 0 || scans[0].Kind != dataquality.ScanNightly || scans[0].Cards != 1 || scans[0].Hits == 0 {
			t.Fatalf("scans = %+v, %v", scans, err)
		}
	})
}

// TestCaseCardCheckedInItsTransaction: a change of a case checks its card
// inside the transaction that rewrote it. An imported card with a problem
// (decided before received, DQ-001) is taken over by the case registered
// under its stage number; the card is re-projected from the case, and the
// problem is fixed by the time the intake returns, audited next to the
// intake in the same chain. A clean intake writes its own entry only.
func TestCaseCardCheckedInItsTransaction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := &dqEnv{t: t, ctx: context.Background(), db: db}
		e.f = apptest.New(t, db, nil)
		e.svc = e.f.App.Data
		if _, err := e.svc.InstallRules(e.ctx); err != nil {
			t.Fatal(err)
		}
		actor := audit.ActorOf(e.f.Request(t, "a_case_manager").P, "test", "")
		const stage = "甲检起诉受[2026]99010000000001号" // the unit's first stage number of 2026
		early := dqCard(stage, "99010020260000001")
		early.DecidedOn, early.PleaSignedOn = "2026-01-20", "2026-01-19"
		if _, res, err := e.svc.ImportFile(e.ctx, actor, e.f.UnitA.ID, "cards.csv", e.file(early), false); err != nil || res.New != 1 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		if ps := e.problems("a_case_manager", dataquality.ProblemFilter{RuleID: "DQ-001", Status: dataquality.StatusOpen}); len(ps) != 1 {
			t.Fatalf("DQ-001 open before the intake = %d, want 1", len(ps))
		}

		id, err := e.f.App.Cases.Register(e.ctx, e.f.Request(t, "a_case_manager"), apptest.Intake(1))
		if err != nil {
			t.Fatal(err)
		}
		cc, ok, err := db.CardByCase(e.ctx, id)
		if err != nil || !ok || cc.StageNo != stage || cc.Source != casecard.SourceCase || cc.DecidedOn != "" {
			t.Fatalf("the case did not take over the imported card: %+v, %v, %v", cc, ok, err)
		}
		ps := e.problems("a_case_manager", dataquality.ProblemFilter{RuleID: "DQ-001"})
		if len(ps) != 1 || ps[0].Status != dataquality.StatusFixed {
			t.Fatalf("DQ-001 after the intake = %+v, want fixed at once", ps)
		}
		last := lastAudit(t, db, 2)
		if last[1].action != "dq.scan_card" || !strings.Contains(last[1].detail, "fixed=") || strings.Contains(last[1].detail, "fixed=0") ||
			last[0].action != "case.intake" || last[0].seq != last[1].seq+1 {
			t.Fatalf("audit = %+v, want dq.scan_card (problems fixed) then case.intake, consecutive", last)
		}

		before := e.count("audit_log")
		if _, err := e.f.App.Cases.Register(e.ctx, e.f.Request(t, "a_case_manager"), apptest.Intake(2)); err != nil {
			t.Fatal(err)
		}
		if n := e.count("audit_log") - before; n != 1 {
			t.Errorf("a clean intake wrote %d audit entries, want 1", n)
		}
	})
}

type auditRow struct {
	seq            int64
	action, detail string
}

// lastAudit reads the newest n audit entries, newest first.
func lastAudit(t *testing.T, db *store.DB, n int) []auditRow {
	t.Helper()
	rows, err := db.Reader().Query(`SELECT seq, action, detail FROM audit_log ORDER BY seq DESC LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.seq, &r.action, &r.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if len(out) != n {
		t.Fatalf("audit has %d entries, want ≥ %d", len(out), n)
	}
	return out
}
