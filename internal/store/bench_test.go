package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
)

// BenchmarkIntakeDurable is one complete intake as a case manager makes it:
// validation, gapless numbers, the case, two parties, the checklist, the
// "received" event and the hash-chained audit entry, committed durably
// (SQLite WAL, synchronous=FULL) — compare with BenchmarkBareInsertCommit.
func BenchmarkIntakeDurable(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	f := apptest.New(b, db, nil)
	req := f.Request(b, "a_case_manager")
	for i := 0; b.Loop(); i++ {
		if _, err := f.App.Cases.Register(ctx, req, apptest.Intake(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "intakes/s")
}

// BenchmarkBareInsertCommit is the reference: one row inserted and
// committed per operation on the same engine with the same durability
// settings, nothing else.
func BenchmarkBareInsertCommit(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bare.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (name, at) VALUES ($1, $2)`, "测某盗窃案", i); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
