// Package apptest builds a whole application over a real test database
// (SQLite or PostgreSQL, see testdb) with a small fixed organisation: an
// upper unit with two base-level units, one account per role in each, and
// a rotation pool. Web, API, server and browser tests share it.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/config"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/server"
	"github.com/anguan/anguan/internal/store"
)

// Password of every fixture account.
const Password = "Test@2026x"

// Fixture is an application with its organisation.
type Fixture struct {
	App   *server.App
	DB    *store.DB
	Upper org.Unit
	UnitA org.Unit            // 甲县院, where most tests act
	UnitB org.Unit            // 乙县院, out of scope for UnitA's users
	Users map[string]org.User // by username
	Pool  int64
}

// User returns a fixture user or fails the test.
func (f *Fixture) User(t testing.TB, username string) org.User {
	u, ok := f.Users[username]
	if !ok {
		t.Fatalf("no fixture user %q", username)
	}
	return u
}

// Request acts as a fixture user in domain calls.
func (f *Fixture) Request(t testing.TB, username string) casefile.Request {
	return casefile.Request{P: f.User(t, username).Principal(), Client: "127.0.0.1", RequestID: "test"}
}

// Now is the fixed "now" of fixtures: 2026-03-16 10:00 in China.
func Now() time.Time { return time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC) }

// New builds the fixture on db. now may be nil for the fixed Now.
func New(t testing.TB, db *store.DB, now func() time.Time) *Fixture {
	t.Helper()
	ctx := context.Background()
	if now == nil {
		now = Now
	}
	cfg := config.Defaults()
	app, err := server.NewApp(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatal(err)
	}
	f := &Fixture{App: app, DB: db, Users: map[string]org.User{}}
	sys := org.Actor{P: access.Principal{Username: "system:test"}}
	mk := func(parent int64, code, name, short string) org.Unit {
		id, err := app.Org.CreateUnit(ctx, sys, org.Unit{ParentID: parent, Code: code, Name: name, ShortName: short})
		if err != nil {
			t.Fatal(err)
		}
		u, err := app.Org.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.Upper = mk(0, "99000000", "测试市人民检察院", "测市")
	f.UnitA = mk(f.Upper.ID, "99010000", "甲县人民检察院", "甲检")
	f.UnitB = mk(f.Upper.ID, "99020000", "乙县人民检察院", "乙检")
	dept := func(u org.Unit, name string) int64 {
		id, err := app.Org.CreateDepartment(ctx, sys, org.Department{UnitID: u.ID, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	pw := cheapPolicy()
	for _, u := range []struct {
		unit   org.Unit
		prefix string
	}{{f.UnitA, "a"}, {f.UnitB, "b"}, {f.Upper, "up"}} {
		crim := dept(u.unit, "刑事检察部")
		for _, r := range access.AllRoles() {
			f.add(t, pw, u.prefix+"_"+string(r), "测"+string(r), u.unit.ID, crim, r)
		}
		f.add(t, pw, u.prefix+"_prosecutor2", "测检察官二", u.unit.ID, crim, access.Prosecutor)
		f.add(t, pw, u.prefix+"_prosecutor3", "测检察官三", u.unit.ID, crim, access.Prosecutor)
		if u.unit.ID == f.UnitA.ID {
			req := f.Request(t, "a_case_manager")
			pool, err := app.Pools.Create(ctx, req, crim, "prosecution_review")
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"} {
				if err := app.Pools.PutMember(ctx, req, pool, casefile.MemberChange{UserID: f.Users[name].ID, M: 1, N: 1}); err != nil {
					t.Fatal(err)
				}
			}
			f.Pool = pool
			if _, err := app.Pools.Create(ctx, req, crim, "arrest_review"); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// cheapPolicy hashes fast: test accounts need no brute-force resistance.
func cheapPolicy() account.Policy {
	return account.Policy{MinLength: 8, MinClasses: 3, Argon2: account.Argon2Params{Time: 1, Memory: 1024, Threads: 1}}
}

func (f *Fixture) add(t testing.TB, pw account.Policy, username, name string, unit, dept int64, r access.Role) {
	t.Helper()
	ctx := context.Background()
	hash, err := pw.Hash(Password)
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.DB.CreateUser(ctx, org.User{Username: username, Name: name, UnitID: unit, DepartmentID: dept,
		Roles: []access.Role{r}}, hash, testRecord("user.create"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.DB.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	f.Users[username] = u
}

// Server starts an httptest server over the whole handler.
func (f *Fixture) Server(t testing.TB) *httptest.Server {
	h, err := f.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
