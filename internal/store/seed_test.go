package store_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// seedCase is a minimal accepted case of the bulk path.
func seedCase(unitID, userID int64, name string) seed.Case {
	c := seed.Case{CreatedBy: userID}
	c.UnitID, c.Category, c.Name, c.ReceivedOn = unitID, "arrest_review", name, "2026-03-02"
	c.TransferringOrgan, c.TransferDocNo, c.Charges = "某公安局", "某公（刑）提捕字〔2026〕1号", []string{"盗窃罪"}
	c.IntakeOutcome, c.Status = casefile.OutcomeAccept, casefile.StatusPendingAssignment
	c.Parties = []casefile.Party{{Name: "甲某", Gender: "male", Ethnicity: "汉族", IDType: "none", Role: "suspect", Measure: "none"}}
	for _, item := range casefile.CheckItems() {
		c.Checks = append(c.Checks, casefile.Check{Item: item, Passed: true})
	}
	c.Events = []casefile.Event{{Code: casefile.EventReceived, OccurredOn: c.ReceivedOn, Outcome: c.IntakeOutcome, ActorID: userID}}
	return c
}

// TestSeedCasesAtomic: a batch with one bad row writes nothing, takes no
// number and appends no audit entry; the next good batch numbers from 1.
func TestSeedCasesAtomic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rec := audit.Record{Actor: audit.System("test"), Action: "test"}
		unitID, err := db.CreateUnit(ctx, org.Unit{Level: 1, Code: "99000000", Name: "测试院", ShortName: "测"}, rec)
		if err != nil {
			t.Fatal(err)
		}
		userID, err := db.CreateUser(ctx, org.User{Username: "tester", Name: "测试员", UnitID: unitID,
			Roles: []access.Role{access.CaseManager}}, "x", rec)
		if err != nil {
			t.Fatal(err)
		}
		n := func(q string) int {
			var v int
			if err := db.QueryRowForTest(ctx, q).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		audits := n(`SELECT count(*) FROM audit_log`)

		bad := []seed.Case{seedCase(unitID, userID, "甲某盗窃案"), seedCase(unitID, 987654, "乙某盗窃案")}
		if err := db.SeedCases(ctx, bad, audit.Record{Actor: audit.System("seed"), Action: "seed.cases"}); err == nil {
			t.Fatal("a case created by an unknown user was written")
		}
		if bad[0].ID != 0 || bad[0].UniformNo != "" {
			t.Errorf("failed batch reported id %d number %q", bad[0].ID, bad[0].UniformNo)
		}
		if c, s, a := n(`SELECT count(*) FROM cases`), n(`SELECT count(*) FROM number_sequences`),
			n(`SELECT count(*) FROM audit_log`); c != 0 || s != 0 || a != audits {
			t.Fatalf("after a failed batch: %d cases, %d sequences, %d new audit entries", c, s, a-audits)
		}

		good := []seed.Case{seedCase(unitID, userID, "甲某盗窃案"), seedCase(unitID, userID, "乙某盗窃案")}
		if err := db.SeedCases(ctx, good, audit.Record{Actor: audit.System("seed"), Action: "seed.cases"}); err != nil {
			t.Fatal(err)
		}
		u := casefile.NumberUnit{Code: "99000000", ShortName: "测"}
		for i, c := range good {
			if c.ID == 0 || c.UniformNo != casefile.UniformNumber(u, 2026, int64(i+1)) ||
				c.StageNo != casefile.StageNumber(u, "审查逮捕", 2026, int64(i+1)) {
				t.Errorf("case %d: id %d numbers %s %s", i, c.ID, c.UniformNo, c.StageNo)
			}
		}
		if a := n(`SELECT count(*) FROM audit_log`); a != audits+1 {
			t.Errorf("%d audit entries for one batch", a-audits)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
