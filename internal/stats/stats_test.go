package stats_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

var march = stats.Period{From: "2026-03-01", To: "2026-03-31"}

// handBuilt is the dataset whose indicators are counted by hand below.
func handBuilt(t *testing.T, w *world) map[string]int64 {
	return w.addCases(t,
		// Arrest reviews of A.
		spec{key: "AR1", unit: w.A, category: "arrest_review", received: "2026-03-02", measures: []string{"detention", "detention"},
			events: []ev{{"decided", "2026-03-05", "approve_arrest"}, {"closed", "2026-03-05", ""},
				{"custody_extension_requested", "2026-03-20", ""}}},
		spec{key: "AR2", unit: w.A, category: "arrest_review", received: "2026-03-03", measures: []string{"bail"},
			events: []ev{{"decided", "2026-03-10", "reject_arrest"}, {"closed", "2026-03-10", ""}}},
		// Received in February, decided in March.
		spec{key: "AR3", unit: w.A, category: "arrest_review", received: "2026-02-25", measures: []string{"detention"},
			events: []ev{{"decided", "2026-03-01", "reject_arrest_insufficient"}, {"closed", "2026-03-01", ""}}},
		// Prosecution reviews of A.
		spec{key: "PR1", unit: w.A, category: "prosecution_review", received: "2026-03-02", measures: []string{"arrest", "bail"},
			plea: true, events: []ev{{"rights_notified", "2026-03-03", ""}, {"returned", "2026-03-10", ""},
				{"resubmitted", "2026-03-25", ""}}},
		spec{key: "PR2", unit: w.A, category: "prosecution_review", received: "2026-03-04", measures: []string{"arrest"},
			plea: true, events: []ev{{"extended", "2026-03-28", ""}, {"decided", "2026-03-30", "prosecute"},
				{"closed", "2026-03-31", ""}}},
		spec{key: "PR3", unit: w.A, category: "prosecution_review", received: "2026-03-05", measures: []string{"bail"},
			events: []ev{{"decided", "2026-03-20", "np_discretionary"}, {"closed", "2026-03-21", ""}}},
		spec{key: "PR4", unit: w.A, category: "prosecution_review", received: "2026-03-06", measures: []string{"arrest"},
			events: []ev{{"decided", "2026-03-25", "np_insufficient"}}},
		spec{key: "PR5", unit: w.A, category: "prosecution_review", received: "2026-03-07", measures: []string{"none"},
			events: []ev{{"decided", "2026-03-15", "transfer"}, {"closed", "2026-03-15", ""}}},
		spec{key: "PR6", unit: w.A, category: "prosecution_review", received: "2026-03-08", measures: []string{"bail"},
			outcome: "refuse"},
		// A sealed juvenile record, handled by a_pros.
		spec{key: "PR7", unit: w.A, category: "prosecution_review", received: "2026-03-10", measures: []string{"bail"},
			plea: true, sealed: true, events: []ev{{"decided", "2026-03-20", "np_conditional"}, {"closed", "2026-03-22", ""}}},
		// Not criminal: counted nowhere.
		spec{key: "CV1", unit: w.A, category: "civil_supervision", received: "2026-03-09",
			events: []ev{{"extended", "2026-03-20", ""}}},
		// Unit B.
		spec{key: "BAR1", unit: w.B, category: "arrest_review", received: "2026-03-02", measures: []string{"detention"},
			events: []ev{{"decided", "2026-03-04", "approve_arrest"}}},
	)
}

// handCards adds four imported cards to A and returns their ids.
func handCards(t *testing.T, w *world) []int64 {
	ctx := context.Background()
	cards := []casecard.Card{
		{StageNo: "甲检起诉受[2026]99010000901号", ReceivedOn: "2026-03-02", DecidedOn: "2026-03-10", Sentencing: "确定刑", SentencingAdopted: "采纳"},
		{StageNo: "甲检起诉受[2026]99010000902号", ReceivedOn: "2026-03-03", DecidedOn: "2026-03-12", Sentencing: "幅度刑", SentencingAdopted: "未采纳"},
		{StageNo: "甲检起诉受[2026]99010000903号", ReceivedOn: "2026-03-04", DecidedOn: "2026-03-15", Sentencing: "确定刑"},
		{StageNo: "甲检起诉受[2026]99010000904号", ReceivedOn: "2026-03-05"},
	}
	var stages []string
	for i := range cards {
		cards[i].UnitID, cards[i].Category, cards[i].Name = w.A.ID, "prosecution_review", "导入案卡"
		stages = append(stages, cards[i].StageNo)
	}
	if err := w.db.SeedCards(ctx, cards, 10, rec("test.cards")); err != nil {
		t.Fatal(err)
	}
	got, err := w.db.CardsByStage(ctx, stages)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(stages))
	for i, s := range stages {
		ids[i] = got[s].ID
	}
	return ids
}

// openProblem opens a data-quality problem on card id.
func openProblem(t *testing.T, w *world, id int64) {
	_, err := w.db.ApplyHits(context.Background(), []dataquality.CardResult{{CardID: id, UnitID: w.A.ID,
		Hits: []dataquality.ProblemHit{{RuleID: "T1", Version: 1, Kind: "wrong", Severity: "error", Item: "sentencing",
			DueOn: "2026-03-20"}}}}, "2026-03-16", rec("test.hits"))
	if err != nil {
		t.Fatal(err)
	}
}

type want struct {
	num, den int64
	value    float64
}

// byHand lists the March values of A, counted by hand from handBuilt and
// handCards (with the problem on the second card).
var byHand = map[string]want{
	// 案 = 2 arrest reviews received (AR1, AR2; AR3 came in February)
	// + 6 prosecution reviews received (PR1–PR5, PR7; PR6 refused)
	// − 3 whose suspect came in under arrest (PR1, PR2, PR4) = 5.
	// 件 = 5 + returned (PR1) + extended (PR2) + custody extension (AR1) = 8.
	"case_ratio": {8, 5, 1.6},
	// Arrest reviews decided: AR1 (2 persons), AR2, AR3 = 4; not arrested AR2, AR3.
	"non_arrest_rate": {2, 4, 50},
	// Prosecuted or not: PR2, PR3, PR4, PR7 (PR5 transferred) = 4; not: PR3, PR4, PR7.
	"non_prosecution_rate": {3, 4, 75},
	// Of those, arrested: PR2, PR4.
	"pretrial_detention_rate": {2, 4, 50},
	// Plea: PR2, PR7.
	"plea_rate": {2, 4, 50},
	// Cards: sentencing on 3, fixed-term on 2; adoption known on 2, adopted 1.
	"fixed_sentencing_rate":    {2, 3, 200.0 / 3},
	"sentencing_adoption_rate": {1, 2, 50},
	// One return (PR1) over 6 prosecution reviews received.
	"return_rate": {1, 6, 100.0 / 6},
	// One extension (PR2) over 5 prosecution reviews decided (PR2–PR5, PR7).
	"extension_rate": {1, 5, 20},
	// Not prosecuted after arrest: PR4, of the arrested PR2, PR4.
	"np_after_arrest_rate": {1, 2, 50},
	// Criminal suspects decided: AR1 2, AR2, AR3, PR2, PR3, PR4, PR5, PR7 = 9;
	// received: AR1 2, AR2, PR1 2, PR2, PR3, PR4, PR5, PR7 = 10.
	"conclusion_rate": {9, 10, 90},
	// Cards checked: the four imported, and the cards of A's nine cases
	// accepted in March (AR1, AR2, PR1–PR5, PR7, CV1; PR6 was refused and
	// has no stage number, so no card), written with the cases = 13; one
	// with an open problem.
	"data_accuracy_rate": {12, 13, 1200.0 / 13},
}

func checkValues(t *testing.T, label string, vals []stats.Value, exp map[string]want) {
	t.Helper()
	seen := 0
	for _, v := range vals {
		e, ok := exp[v.Indicator]
		if !ok {
			continue
		}
		seen++
		if v.Num != e.num || v.Den != e.den || !v.Defined || math.Abs(v.Value-e.value) > 1e-9 {
			t.Errorf("%s %s = %d/%d = %.4f (defined %v), want %d/%d = %.4f", label, v.Indicator, v.Num, v.Den, v.Value,
				v.Defined, e.num, e.den, e.value)
		}
	}
	if seen != len(exp) {
		t.Errorf("%s: %d indicators checked, want %d", label, seen, len(exp))
	}
}

// TestIndicatorsByHand checks every available indicator on the hand-built
// dataset, from the cache and from scratch, then after incremental changes.
func TestIndicatorsByHand(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		handBuilt(t, w)
		cards := handCards(t, w)
		openProblem(t, w, cards[1])
		cat := w.svc.Catalogue()
		for _, in := range cat.Indicators {
			if _, ok := byHand[in.ID]; in.Available && !ok {
				t.Errorf("available indicator %s has no hand-computed value", in.ID)
			}
		}
		if n, err := w.svc.Refresh(ctx); err != nil || n == 0 {
			t.Fatalf("first refresh = %d, %v", n, err)
		}
		r := w.req(t, "a_cm")
		q := stats.Query{UnitIDs: []int64{w.A.ID}, Period: march}
		got, err := w.svc.Values(ctx, r, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].UnitID != w.A.ID || !got[0].Own || got[0].UnitName != w.A.Name {
			t.Fatalf("values = %+v", got)
		}
		checkValues(t, "cache", got[0].Values, byHand)
		scratch, err := w.svc.Scratch(ctx, r, q)
		if err != nil {
			t.Fatal(err)
		}
		checkValues(t, "scratch", scratch[0].Values, byHand)
		if d, err := w.svc.Verify(ctx, nil, march); err != nil || len(d) != 0 {
			t.Fatalf("verify = %+v, %v", d, err)
		}

		// The upper unit with its subordinates adds B's arrest review (one 案,
		// no procedure) and its suspect, approved.
		up, err := w.svc.Values(ctx, w.req(t, "up_sup"), stats.Query{UnitIDs: []int64{w.U.ID}, WithSubordinates: true,
			Period: march, Indicators: []string{"case_ratio", "non_arrest_rate"}})
		if err != nil {
			t.Fatal(err)
		}
		checkValues(t, "subtree", up[0].Values, map[string]want{"case_ratio": {9, 6, 1.5}, "non_arrest_rate": {2, 5, 40}})

		// Incremental: a new case and a problem fixed by a later scan.
		w.addCases(t, spec{key: "AR9", unit: w.A, category: "arrest_review", received: "2026-03-11", measures: []string{"bail"},
			events: []ev{{"decided", "2026-03-12", "reject_arrest"}}})
		if _, err := w.db.ApplyHits(ctx, []dataquality.CardResult{{CardID: cards[1], UnitID: w.A.ID}}, "2026-03-16",
			rec("test.fix")); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.Refresh(ctx); err != nil || n == 0 {
			t.Fatalf("incremental refresh = %d, %v", n, err)
		}
		got, err = w.svc.Values(ctx, r, stats.Query{UnitIDs: []int64{w.A.ID}, Period: march,
			Indicators: []string{"case_ratio", "non_arrest_rate", "data_accuracy_rate"}})
		if err != nil {
			t.Fatal(err)
		}
		checkValues(t, "after changes", got[0].Values, map[string]want{"case_ratio": {9, 6, 1.5},
			"non_arrest_rate": {3, 5, 60}, "data_accuracy_rate": {14, 14, 100}}) // + AR9's card; the problem fixed
		for _, p := range []stats.Period{march, {From: "2026-01-01", To: "2026-12-31"}} {
			if d, err := w.svc.Verify(ctx, nil, p); err != nil || len(d) != 0 {
				t.Fatalf("verify %s = %+v, %v", p.Label(), d, err)
			}
		}

		// Trend: March holds the month's numbers, February AR3's receipt.
		pts, err := w.svc.Trend(ctx, r, w.A.ID, false, "non_arrest_rate", 3)
		if err != nil || len(pts) != 3 {
			t.Fatalf("trend = %+v, %v", pts, err)
		}
		if pts[2].Period != march || pts[2].Value.Num != 3 || pts[2].Value.Den != 5 || pts[0].Value.Defined {
			t.Errorf("trend = %+v", pts)
		}
	})
}

func fieldOf(err error) string {
	v, ok := apperr.AsValidation(err)
	if !ok || len(v.Fields) == 0 {
		return ""
	}
	return v.Fields[0].Field + ":" + v.Fields[0].Key
}

// TestDrillDownAndAccess: the records behind numbers, within the case
// scope only; aggregates of other units only where shared.
func TestDrillDownAndAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		ids := handBuilt(t, w)
		handCards(t, w)
		if _, err := w.svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		drill := func(user string, unit int64, measure string) ([]stats.DrillRow, error) {
			rows, next, err := w.svc.DrillDown(ctx, w.req(t, user), stats.DrillQuery{UnitID: unit, Period: march, Measure: measure})
			if next != "" {
				t.Errorf("drill %s: unexpected next page", measure)
			}
			return rows, err
		}
		caseIDs := func(rows []stats.DrillRow) (out []int64, sum int64) {
			for _, r := range rows {
				out = append(out, r.CaseID)
				sum += r.Count
			}
			slices.Sort(out)
			return out, sum
		}
		keys := func(ks ...string) []int64 {
			var out []int64
			for _, k := range ks {
				out = append(out, ids[k])
			}
			slices.Sort(out)
			return out
		}
		for _, tt := range []struct {
			user, measure string
			want          []int64
			sum           int64
		}{
			// The case manager does not see the sealed PR7.
			{"a_cm", "pr_np_p", keys("PR3", "PR4"), 2},
			{"a_pros", "pr_np_p", keys("PR3", "PR4", "PR7"), 3},
			{"up_sup", "pr_np_p", keys("PR3", "PR4"), 2},
			// 案: the arrested suspects' prosecution reviews add nothing.
			{"a_pros", "an", keys("AR1", "AR2", "PR3", "PR5", "PR7"), 5},
			// 件: AR1 counts itself and its custody extension.
			{"a_pros", "jian", keys("AR1", "AR2", "PR1", "PR2", "PR3", "PR5", "PR7"), 8},
			{"a_cm", "ar_concluded_p", keys("AR1", "AR2", "AR3"), 4},
		} {
			rows, err := drill(tt.user, w.A.ID, tt.measure)
			if err != nil {
				t.Fatalf("%s drills %s: %v", tt.user, tt.measure, err)
			}
			got, sum := caseIDs(rows)
			if !slices.Equal(got, tt.want) || sum != tt.sum {
				t.Errorf("%s drills %s = %v (sum %d), want %v (sum %d)", tt.user, tt.measure, got, sum, tt.want, tt.sum)
			}
		}
		// Card measures list cards.
		rows, err := drill("a_cm", w.A.ID, "card_sentencing_fixed")
		if err != nil || len(rows) != 2 || rows[0].CardID == 0 || rows[0].CaseID != 0 {
			t.Errorf("card drill = %+v, %v", rows, err)
		}
		// Paging.
		page, next, err := w.svc.DrillDown(ctx, w.req(t, "a_pros"), stats.DrillQuery{UnitID: w.A.ID, Period: march,
			Measure: "jian", Limit: 4})
		if err != nil || len(page) != 4 || next == "" {
			t.Fatalf("page 1 = %d rows, %q, %v", len(page), next, err)
		}
		rest, next2, err := w.svc.DrillDown(ctx, w.req(t, "a_pros"), stats.DrillQuery{UnitID: w.A.ID, Period: march,
			Measure: "jian", Limit: 4, After: next})
		if err != nil || len(rest) != 3 || next2 != "" {
			t.Fatalf("page 2 = %d rows, %q, %v", len(rest), next2, err)
		}
		// Every drill-down is audited.
		var audited int
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'stats.drill'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 9 {
			t.Errorf("%d drill-downs audited, want 9", audited)
		}

		// Another unit's records: never, shared or not.
		if _, err := drill("a_cm", w.B.ID, "ar_received"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("drill into B = %v, want not found", err)
		}
		if _, err := drill("a_aid", w.A.ID, "ar_received"); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("aid partner drill = %v, want forbidden", err)
		}
		if _, err := drill("a_sys", w.A.ID, "ar_received"); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("admin drill = %v, want forbidden", err)
		}
		// The chief of the upper unit sees subordinates' aggregates, not their cases.
		if _, err := drill("up_chief", w.A.ID, "ar_received"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("upper chief drill into A = %v, want not found", err)
		}

		// Aggregates.
		values := func(user string, unit int64, sub bool) error {
			_, err := w.svc.Values(ctx, w.req(t, user), stats.Query{UnitIDs: []int64{unit}, WithSubordinates: sub, Period: march})
			return err
		}
		if err := values("a_cm", w.B.ID, false); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("A reads unshared B = %v, want forbidden", err)
		}
		if err := values("a_sys", w.A.ID, false); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("admin reads A = %v, want forbidden", err)
		}
		if err := values("up_chief", w.U.ID, true); err != nil {
			t.Errorf("upper chief reads its subtree: %v", err)
		}
		if err := w.svc.SetShare(ctx, w.req(t, "b_pros"), w.B.ID, w.A.ID, true); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a prosecutor shares B = %v, want forbidden", err)
		}
		if err := w.svc.SetShare(ctx, w.req(t, "b_cm"), w.B.ID, w.A.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := values("a_cm", w.B.ID, false); err != nil {
			t.Errorf("A reads B after B shared: %v", err)
		}
		if err := values("a_aid", w.B.ID, false); err != nil {
			t.Errorf("A's aid partner reads shared B: %v", err)
		}
		if _, err := drill("a_cm", w.B.ID, "ar_received"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("drill into shared B = %v, want not found", err)
		}
		// U shares with A, but B below U is not A's: no subtree.
		if err := w.svc.SetShare(ctx, w.req(t, "up_cm"), w.U.ID, w.A.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetShare(ctx, w.req(t, "b_cm"), w.B.ID, w.A.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := values("a_cm", w.U.ID, false); err != nil {
			t.Errorf("A reads shared U: %v", err)
		}
		if err := values("a_cm", w.U.ID, true); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("A reads U's subtree with B unshared = %v, want forbidden", err)
		}
		peers, err := w.svc.Peers(ctx, w.req(t, "a_cm"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range peers {
			names = append(names, p.Name)
			if (p.ID == w.A.ID) != p.Own {
				t.Errorf("peer %s own = %v", p.Name, p.Own)
			}
		}
		if !slices.Equal(names, []string{w.U.Name, w.A.Name}) {
			t.Errorf("peers of A = %v", names)
		}
		peers, err = w.svc.Peers(ctx, w.req(t, "up_sup"))
		if err != nil || len(peers) != 3 || !peers[1].Own || !peers[2].Own {
			t.Errorf("peers of the upper supervisor = %+v, %v", peers, err)
		}

		// Bad input.
		r := w.req(t, "a_cm")
		if _, err := w.svc.Values(ctx, r, stats.Query{Period: march, Indicators: []string{"plea_rate", "nope"}}); fieldOf(err) != "indicators[1]:err.stats_indicator_unknown" {
			t.Errorf("unknown indicator = %v", err)
		}
		if _, err := w.svc.Values(ctx, r, stats.Query{Period: march, Indicators: []string{"acquittal_rate"}}); fieldOf(err) != "indicators[0]:err.stats_indicator_unavailable" {
			t.Errorf("unavailable indicator = %v", err)
		}
		if _, err := w.svc.Values(ctx, r, stats.Query{Period: stats.Period{From: "2026-03-31", To: "2026-03-01"}}); fieldOf(err) != "to:err.stats_period_order" {
			t.Errorf("end before start = %v", err)
		}
		if _, err := drill("a_cm", w.A.ID, "nope"); fieldOf(err) != "measure:err.stats_measure_unknown" {
			t.Errorf("unknown measure = %v", err)
		}
		if _, err := w.svc.Trend(ctx, r, w.A.ID, false, "plea_rate", 0); fieldOf(err) != "months:err.stats_months" {
			t.Errorf("trend of 0 months = %v", err)
		}
		if _, err := w.svc.Values(ctx, r, stats.Query{UnitIDs: []int64{999999}, Period: march}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("unknown unit = %v", err)
		}
	})
}
