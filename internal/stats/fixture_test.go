package stats_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/store"
)

// now is the fixed "now" of these tests: 2026-03-16 10:00 in China.
func now() time.Time { return time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC) }

const password = "Test@2026x"

func cheapPolicy() account.Policy {
	return account.Policy{MinLength: 8, MinClasses: 3, Argon2: account.Argon2Params{Time: 1, Memory: 1024, Threads: 1}}
}

func rec(action string) audit.Record {
	return audit.Record{Actor: audit.System("test"), Action: action, ObjectType: "test", Result: audit.ResultOK}
}

// world is a small organisation: an upper unit U over units A and B, and
// one account per role the tests act as.
type world struct {
	db      *store.DB
	svc     *stats.Service
	org     *org.Service
	U, A, B org.Unit
	users   map[string]org.User
}

func (w *world) req(t *testing.T, username string) stats.Request {
	t.Helper()
	u, ok := w.users[username]
	if !ok {
		t.Fatalf("no user %s", username)
	}
	return stats.Request{P: u.Principal(), Client: "127.0.0.1", RequestID: "test"}
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: db, org: org.NewService(db, cheapPolicy()), users: map[string]org.User{}}
	sys := org.Actor{P: access.Principal{Username: "system:test"}}
	mk := func(parent int64, code, name, short string) org.Unit {
		id, err := w.org.CreateUnit(ctx, sys, org.Unit{ParentID: parent, Code: code, Name: name, ShortName: short})
		if err != nil {
			t.Fatal(err)
		}
		u, err := w.org.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.U = mk(0, "99000000", "测试市人民检察院", "测市")
	w.A = mk(w.U.ID, "99010000", "甲县人民检察院", "甲检")
	w.B = mk(w.U.ID, "99020000", "乙县人民检察院", "乙检")
	for _, a := range []struct {
		name string
		unit org.Unit
		role access.Role
	}{
		{"a_cm", w.A, access.CaseManager}, {"a_pros", w.A, access.Prosecutor}, {"a_pros2", w.A, access.Prosecutor},
		{"a_sys", w.A, access.SysAdmin}, {"a_aid", w.A, access.AidPartner}, {"a_chief", w.A, access.Chief},
		{"b_cm", w.B, access.CaseManager}, {"b_pros", w.B, access.Prosecutor}, {"b_aid", w.B, access.AidPartner},
		{"up_sup", w.U, access.UpperSupervisor}, {"up_chief", w.U, access.Chief}, {"up_cm", w.U, access.CaseManager},
	} {
		id, err := w.org.CreateUser(ctx, sys, org.NewUser{Username: a.name, Name: "测" + a.name, UnitID: a.unit.ID,
			Password: password, Roles: []access.Role{a.role}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		w.users[a.name] = u
	}
	svc, err := stats.NewService(db, now)
	if err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	return w
}

// suspect is a suspect party under a coercive measure.
func suspect(i int, measure string) casefile.Party {
	return casefile.Party{Name: fmt.Sprintf("嫌疑人%d", i), Gender: "male", Ethnicity: "汉族", IDType: "none",
		Role: "suspect", Measure: measure, Custody: measure == "arrest" || measure == "detention"}
}

// ev is an event of a hand-built case.
type ev struct{ code, on, outcome string }

// spec is a hand-built case.
type spec struct {
	key      string
	unit     org.Unit
	category string
	received string
	outcome  string // intake outcome; accept when empty
	measures []string
	plea     bool
	sealed   bool
	events   []ev
}

// addCases writes hand-built cases through the store's bulk path (the
// same rows as live intake) and returns their ids by key.
func (w *world) addCases(t *testing.T, specs ...spec) map[string]int64 {
	t.Helper()
	cases := make([]seed.Case, len(specs))
	for i, s := range specs {
		unitKey := "a"
		if s.unit.ID == w.B.ID {
			unitKey = "b"
		}
		c := seed.Case{CreatedBy: w.users[unitKey+"_cm"].ID}
		c.UnitID, c.Category, c.ReceivedOn, c.Name = s.unit.ID, s.category, s.received, s.key+"案"
		c.TransferringOrgan, c.TransferDocNo = "测试公安局", "测公〔2026〕"+s.key+"号"
		c.IntakeOutcome = s.outcome
		if c.IntakeOutcome == "" {
			c.IntakeOutcome = casefile.OutcomeAccept
		}
		c.Plea, c.Sealed, c.Minor = s.plea, s.sealed, s.sealed
		c.Charges = []string{"盗窃罪"}
		for j, m := range s.measures {
			c.Parties = append(c.Parties, suspect(j, m))
		}
		c.Parties = append(c.Parties, casefile.Party{Name: "被害人", Gender: "female", Ethnicity: "汉族", IDType: "none",
			Role: "victim", Measure: "none"})
		c.Events = []casefile.Event{{Code: casefile.EventReceived, OccurredOn: s.received, Outcome: c.IntakeOutcome,
			ActorID: c.CreatedBy}}
		c.Status = casefile.StatusRefused
		if c.IntakeOutcome == casefile.OutcomeAccept {
			handler := w.users[unitKey+"_pros"]
			c.HandlerID, c.HandlerName, c.Status = handler.ID, handler.Name, casefile.StatusInProgress
			c.Events = append(c.Events, casefile.Event{Code: casefile.EventAssigned, OccurredOn: s.received, ActorID: c.CreatedBy})
			for _, e := range s.events {
				c.Events = append(c.Events, casefile.Event{Code: e.code, OccurredOn: e.on, Outcome: e.outcome, ActorID: handler.ID})
				switch e.code {
				case casefile.EventDecided:
					c.Decision, c.Status = e.outcome, casefile.StatusDecided
				case casefile.EventClosed:
					c.ClosedOn, c.Status = e.on, casefile.StatusClosed
				case casefile.EventReturned:
					c.Returns++
					c.Status = casefile.StatusReturned
				case casefile.EventResubmitted:
					c.Status = casefile.StatusInProgress
				case casefile.EventExtended:
					c.Extensions++
				}
			}
		}
		cases[i] = c
	}
	if err := w.db.SeedCases(context.Background(), cases, rec("test.cases")); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for i, s := range specs {
		out[s.key] = cases[i].ID
	}
	return out
}

func newWorldOrg(db *store.DB) *org.Service { return org.NewService(db, cheapPolicy()) }
