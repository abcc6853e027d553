package aid_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

var _ aid.Store = (*store.DB)(nil)

type env struct {
	f     *apptest.Fixture
	svc   *aid.Service
	db    *store.DB
	unitC org.Unit // outside the pairing, under the same upper unit
}

func newEnv(t *testing.T, db *store.DB) *env {
	f := apptest.New(t, db, nil)
	e := &env{f: f, svc: f.App.Aid, db: db}
	sys := org.Actor{P: access.Principal{Username: "system:test"}}
	id, err := f.App.Org.CreateUnit(context.Background(), sys, org.Unit{ParentID: f.Upper.ID, Code: "99030000", Name: "丙县人民检察院", ShortName: "丙检"})
	if err != nil {
		t.Fatal(err)
	}
	e.unitC, _ = f.App.Org.Unit(context.Background(), id)
	return e
}

func (e *env) req(t *testing.T, username string) aid.Request {
	return aid.Request(e.f.Request(t, username))
}

// as acts as a made-up account of unit u with one role.
func (e *env) as(u org.Unit, r access.Role) aid.Request {
	return aid.Request{P: access.Principal{UserID: 0, Username: "c_" + string(r), UnitID: u.ID, UnitPath: u.Path, Roles: []access.Role{r}}}
}

// pairing: 乙县院 aids 甲县院 during 2026.
func (e *env) input() aid.PairingInput {
	return aid.PairingInput{Name: "乙甲结对", AidingIDs: []int64{e.f.UnitB.ID}, AidedIDs: []int64{e.f.UnitA.ID},
		StartOn: "2026-01-01", EndOn: "2026-12-31", Agreement: "协议", Shares: aid.DefaultShares(),
		Contacts: []aid.Contact{{Name: "张某", Unit: "乙县院", Phone: "0731-1234"}}}
}

func (e *env) create(t *testing.T) int64 {
	t.Helper()
	id, err := e.svc.CreatePairing(context.Background(), e.req(t, "up_sysadmin"), e.input())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var aidTables = []string{"aid_pairings", "aid_pairing_units", "aid_activities", "aid_followups", "aid_ledger", "aid_attachments", "stats_shares"}

func (e *env) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range aidTables {
		var n int
		if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM ` + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func (e *env) unchanged(t *testing.T, what string, before map[string]int) {
	t.Helper()
	after := e.counts(t)
	for _, tb := range aidTables {
		if before[tb] != after[tb] {
			t.Errorf("%s: %s rows %d → %d", what, tb, before[tb], after[tb])
		}
	}
}

func TestLedgerBalancesExact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "a_case_manager")
		for _, in := range []aid.EntryInput{
			{Kind: aid.EntryAllocation, EntryOn: "2026-01-10", AmountFen: 10_000_000, Purpose: "拨付"},
			{Kind: aid.EntryExpenditure, EntryOn: "2026-01-20", AmountFen: 33_333, Purpose: "差旅"},
			{Kind: aid.EntryExpenditure, EntryOn: "2026-01-21", AmountFen: 33_333, Purpose: "差旅"},
			{Kind: aid.EntryExpenditure, EntryOn: "2026-01-22", AmountFen: 33_334, Purpose: "差旅"},
			{Kind: aid.EntryAllocation, EntryOn: "2026-02-01", AmountFen: 1, Purpose: "零头"},
			{Kind: aid.EntryExpenditure, EntryOn: "2026-02-02", AmountFen: 9_900_001, Purpose: "设备"},
		} {
			if _, err := e.svc.AddEntry(ctx, cm, id, in); err != nil {
				t.Fatalf("%+v: %v", in, err)
			}
		}
		_, es, tot, err := e.svc.Ledger(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		if tot != (aid.Totals{AllocatedFen: 10_000_001, SpentFen: 10_000_001, BalanceFen: 0}) {
			t.Errorf("totals %+v", tot)
		}
		if len(es) != 6 || es[3].BalanceFen != 9_900_000 {
			t.Errorf("running balance after 3 expenditures = %d", es[3].BalanceFen)
		}
		// Any further expenditure overdraws: refused, nothing written.
		before := e.counts(t)
		_, err = e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryExpenditure, EntryOn: "2026-03-01", AmountFen: 1, Purpose: "超支"})
		assertField(t, err, "amount_fen", "err.aid_overdrawn")
		e.unchanged(t, "overdraw at the end", before)
		// An expenditure dated before the allocation it would need.
		if _, err := e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-06-01", AmountFen: 500, Purpose: "追加"}); err != nil {
			t.Fatal(err)
		}
		before = e.counts(t)
		_, err = e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryExpenditure, EntryOn: "2026-05-01", AmountFen: 100, Purpose: "提前支出"})
		assertField(t, err, "amount_fen", "err.aid_overdrawn")
		e.unchanged(t, "overdraw", before)
		name, body, err := e.svc.LedgerXLSX(ctx, cm, id)
		if err != nil || !strings.HasSuffix(name, ".xlsx") || len(body) == 0 {
			t.Fatalf("export: %q %d %v", name, len(body), err)
		}
	})
}

func assertField(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if !slices.ContainsFunc(v.Fields, func(f apperr.FieldError) bool { return f.Field == field && f.Key == key }) {
		t.Errorf("want %s:%s, got %v", field, key, v)
	}
}

func TestPairingAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		// Who may set a pairing up: the sysadmin above both sides or of
		// the aided side; not the aiding side's, not a case manager.
		for _, c := range []struct {
			user string
			ok   bool
		}{{"b_sysadmin", false}, {"a_case_manager", false}, {"up_case_manager", false}, {"a_sysadmin", true}, {"up_sysadmin", true}} {
			before := e.counts(t)
			_, err := e.svc.CreatePairing(ctx, e.req(t, c.user), e.input())
			if c.ok != (err == nil) {
				t.Errorf("create as %s: %v", c.user, err)
			}
			if !c.ok {
				if !errors.Is(err, apperr.ErrForbidden) {
					t.Errorf("create as %s: %v, want forbidden", c.user, err)
				}
				e.unchanged(t, "create as "+c.user, before)
			}
		}
		id := e.create(t)
		// Reading: both sides' staff and the supervisor above; not a unit
		// outside the pairing.
		for _, c := range []struct {
			r  aid.Request
			ok bool
		}{
			{e.req(t, "a_case_manager"), true}, {e.req(t, "b_case_manager"), true}, {e.req(t, "b_aid_partner"), true},
			{e.req(t, "up_upper_supervisor"), true}, {e.req(t, "up_case_manager"), false},
			{e.as(e.unitC, access.CaseManager), false}, {e.as(e.unitC, access.UpperSupervisor), false},
		} {
			_, err := e.svc.Pairing(ctx, c.r, id)
			list, lerr := e.svc.Pairings(ctx, c.r)
			if lerr != nil {
				t.Fatal(lerr)
			}
			listed := slices.ContainsFunc(list, func(p aid.Pairing) bool { return p.ID == id })
			if c.ok != (err == nil) || c.ok != listed {
				t.Errorf("%s of unit %d: open err %v, listed %v; want %v", c.r.P.Username, c.r.P.UnitID, err, listed, c.ok)
			}
			if !c.ok && !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s: %v, want not found", c.r.P.Username, err)
			}
			if !c.ok {
				if _, _, _, err := e.svc.Ledger(ctx, c.r, id); !errors.Is(err, apperr.ErrNotFound) {
					t.Errorf("%s: ledger %v", c.r.P.Username, err)
				}
			}
		}
		// Each view is on the audit log.
		got, err := db.AuditEntries(ctx, audit.Query{Action: "aid.pairing.view", ObjectID: itoa(id)})
		if err != nil || len(got) < 4 {
			t.Errorf("audited views: %d, %v", len(got), err)
		}
		// The aiding side sees the pairing but never the aided unit's cases.
		caseID, err := e.f.App.Cases.Register(ctx, e.f.Request(t, "a_case_manager"), apptest.Intake(1))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"b_case_manager", "b_chief", "b_aid_partner"} {
			cs, _, err := e.f.App.Cases.List(ctx, e.f.Request(t, u), casefile.Filter{Limit: 100})
			if err != nil && !errors.Is(err, apperr.ErrForbidden) {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.UnitID == e.f.UnitA.ID {
					t.Errorf("%s lists case %d of the aided unit", u, c.ID)
				}
			}
			if _, err := e.f.App.Cases.Get(ctx, e.f.Request(t, u), caseID); err == nil {
				t.Errorf("%s opens case %d of the aided unit", u, caseID)
			}
		}
		// Writing: the office of either side; not a prosecutor, not outsiders.
		act := aid.ActivityInput{Kind: aid.KindVisit, HeldOn: "2026-03-01", Place: "甲县院", Participants: "两院案管办"}
		for _, c := range []struct {
			r    aid.Request
			want error
		}{{e.req(t, "b_case_manager"), nil}, {e.req(t, "a_chief"), nil}, {e.req(t, "a_prosecutor"), apperr.ErrForbidden},
			{e.req(t, "up_upper_supervisor"), apperr.ErrForbidden}, {e.as(e.unitC, access.CaseManager), apperr.ErrNotFound}} {
			_, err := e.svc.AddActivity(ctx, c.r, id, act)
			if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
				t.Errorf("activity as %s: %v, want %v", c.r.P.Username, err, c.want)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestShareFlagTogglesStatsShare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		shared := func() bool {
			owners, err := db.StatsSharesTo(ctx, e.f.UnitB.ID)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Contains(owners, e.f.UnitA.ID)
		}
		if !shared() {
			t.Fatal("aggregates on: 甲县院 does not share with 乙县院")
		}
		if owners, _ := db.StatsSharesTo(ctx, e.f.UnitA.ID); len(owners) != 0 {
			t.Errorf("the aiding side shares with the aided: %v", owners)
		}
		in := e.input()
		in.Shares.Aggregates = false
		if err := e.svc.UpdatePairing(ctx, e.req(t, "a_sysadmin"), id, in); err != nil {
			t.Fatal(err)
		}
		if shared() {
			t.Error("aggregates off: the sharing is still there")
		}
		in.Shares.Aggregates = true
		if err := e.svc.UpdatePairing(ctx, e.req(t, "a_sysadmin"), id, in); err != nil {
			t.Fatal(err)
		}
		if !shared() {
			t.Error("aggregates on again: no sharing")
		}
		// The aiding side's administrator may not change the terms.
		if err := e.svc.UpdatePairing(ctx, e.req(t, "b_sysadmin"), id, in); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("update as b_sysadmin: %v", err)
		}
	})
}

func TestBadInputWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "a_case_manager")
		if _, err := e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-01-05", AmountFen: 100000, Purpose: "拨付"}); err != nil {
			t.Fatal(err)
		}
		big := make([]byte, aid.MaxAttachmentBytes+1)
		copy(big, "%PDF-1.7")
		entry := func(mod func(*aid.EntryInput)) aid.EntryInput {
			in := aid.EntryInput{Kind: aid.EntryExpenditure, EntryOn: "2026-02-01", AmountFen: 100, Purpose: "差旅"}
			mod(&in)
			return in
		}
		pair := func(mod func(*aid.PairingInput)) aid.PairingInput {
			in := e.input()
			mod(&in)
			return in
		}
		for _, c := range []struct {
			name, field, key string
			run              func() error
		}{
			{"negative amount", "amount_fen", "err.aid_amount_positive", func() error {
				_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) { in.AmountFen = -100 }))
				return err
			}},
			{"zero amount", "amount_fen", "err.aid_amount_positive", func() error {
				_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) { in.AmountFen = 0 }))
				return err
			}},
			{"date outside period", "entry_on", "err.aid_outside_period", func() error {
				_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) { in.EntryOn = "2027-01-01" }))
				return err
			}},
			{"upload over the limit", "attachment", "err.aid_file_too_large", func() error {
				_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) { in.File = &aid.Upload{Name: "a.pdf", Data: big} }))
				return err
			}},
			{"forbidden type", "attachment", "err.aid_file_type", func() error {
				_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) {
					in.File = &aid.Upload{Name: "invoice.pdf", Data: []byte("MZ\x90\x00program")}
				}))
				return err
			}},
			{"activity outside period", "held_on", "err.aid_outside_period", func() error {
				_, err := e.svc.AddActivity(ctx, cm, id, aid.ActivityInput{Kind: aid.KindVisit, HeldOn: "2025-12-31", Place: "甲", Participants: "乙"})
				return err
			}},
			{"follow-up due outside period", "follow_ups[0].due_on", "err.aid_outside_period", func() error {
				_, err := e.svc.AddActivity(ctx, cm, id, aid.ActivityInput{Kind: aid.KindMeeting, HeldOn: "2026-03-01", Place: "甲", Participants: "乙",
					FollowUps: []aid.FollowUpInput{{Item: "整改", Owner: "甲县院", DueOn: "2027-02-01"}}})
				return err
			}},
			{"end before start", "end_on", "err.aid_end_before_start", func() error {
				_, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), pair(func(in *aid.PairingInput) { in.EndOn = "2025-12-01" }))
				return err
			}},
			{"unknown unit", "aided_unit_ids[1]", "err.aid_unit_unknown", func() error {
				_, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), pair(func(in *aid.PairingInput) { in.AidedIDs = append(in.AidedIDs, 987654) }))
				return err
			}},
			{"unit on both sides", "aided_unit_ids[0]", "err.aid_unit_twice", func() error {
				_, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), pair(func(in *aid.PairingInput) { in.AidedIDs = in.AidingIDs }))
				return err
			}},
		} {
			before := e.counts(t)
			assertField(t, c.run(), c.field, c.key)
			e.unchanged(t, c.name, before)
		}
		// The message names the field in Chinese.
		_, err := e.svc.AddEntry(ctx, cm, id, entry(func(in *aid.EntryInput) { in.EntryOn = "2027-01-01" }))
		v, _ := apperr.AsValidation(err)
		if msg := e.f.App.T.Message(v.Fields[0]); msg != "记账日期：应在结对期间内（2026-01-01至2026-12-31）" {
			t.Errorf("message %q", msg)
		}
	})
}

func TestFollowUpAndAttachment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "b_case_manager")
		if _, err := e.svc.AddActivity(ctx, cm, id, aid.ActivityInput{Kind: aid.KindTraining, HeldOn: "2026-03-02", Place: "线上",
			Participants: "甲县院案管员", Agreed: "培训", FollowUps: []aid.FollowUpInput{{Item: "提交报告", Owner: "甲县院", DueOn: "2026-04-01"}}}); err != nil {
			t.Fatal(err)
		}
		_, as, err := e.svc.Activities(ctx, cm, id)
		if err != nil || len(as) != 1 || len(as[0].FollowUps) != 1 || as[0].FollowUps[0].Status != aid.FollowOpen {
			t.Fatalf("activities %+v %v", as, err)
		}
		if _, _, err := e.svc.SetFollowUp(ctx, e.req(t, "a_case_manager"), as[0].FollowUps[0].ID, aid.FollowDone); err != nil {
			t.Fatal(err)
		}
		_, as, _ = e.svc.Activities(ctx, cm, id)
		if f := as[0].FollowUps[0]; f.Status != aid.FollowDone || f.DoneOn != "2026-03-16" {
			t.Errorf("follow-up %+v", f)
		}
		if _, _, err := e.svc.SetFollowUp(ctx, e.as(e.unitC, access.CaseManager), as[0].FollowUps[0].ID, aid.FollowOpen); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("outsider sets a follow-up: %v", err)
		}
		pdf := []byte("%PDF-1.4\n% 发票\n")
		if _, err := e.svc.AddEntry(ctx, cm, id, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-03-03", AmountFen: 5000, Purpose: "拨付",
			File: &aid.Upload{Name: `C:\docs\拨付通知.pdf`, Data: pdf}}); err != nil {
			t.Fatal(err)
		}
		_, es, _, _ := e.svc.Ledger(ctx, cm, id)
		if len(es) != 1 || es[0].Attachment == nil || es[0].Attachment.Name != "拨付通知.pdf" || es[0].Attachment.ContentType != aid.TypePDF {
			t.Fatalf("entry %+v", es)
		}
		att, data, err := e.svc.Attachment(ctx, e.req(t, "a_chief"), id, es[0].ID)
		if err != nil || string(data) != string(pdf) || att.Size != int64(len(pdf)) || len(att.SHA256) != 64 {
			t.Errorf("attachment %+v %v", att, err)
		}
	})
}
