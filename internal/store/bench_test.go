package store_test

import (
	"context"
	"database/sql"
	"fmt"
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

// BenchmarkBareIntakeRows is the second reference: the same rows an intake
// writes (case with its search index, two parties, five checklist items,
// one event, one audit row and the audit head) as bare SQL in one durable
// transaction, with no validation, numbering logic, hashing or access
// checks. The gap to BenchmarkIntakeDurable is the application's own cost.
func BenchmarkBareIntakeRows(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "rows.db")
	db, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	f := apptest.New(b, db, nil)
	unit, user := f.UnitA.ID, f.User(b, "a_case_manager").ID
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	exec := func(tx *sql.Tx, q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		var id int64
		no := fmt.Sprintf("bare%08d", i)
		if err := tx.QueryRow(`INSERT INTO cases (unit_id, category, uniform_no, stage_no, name, transferring_organ,
			transfer_doc_no, received_on, intake_outcome, intake_note, status, plea, fast_track, minor, sealed, charges,
			search_text, created_by, created_at, updated_at) VALUES ($1, 'prosecution_review', $2, $3, '测某盗窃案', '甲县公安局',
			'x', '2026-03-02', 'accept', '', 'pending_assignment', TRUE, FALSE, FALSE, FALSE, '盗窃罪', $4, $5, 0, 0)
			RETURNING id`, unit, no, "s"+no, "测某盗窃案 "+no+" 测某 被害人", user).Scan(&id); err != nil {
			b.Fatal(err)
		}
		exec(tx, `INSERT INTO parties (case_id, seq, name, gender, ethnicity, id_type, id_number, birth_date, role, custody, measure)
			VALUES ($1, 1, '测某', 'male', '汉族', 'resident_id', '990101198001010011', '1980-01-01', 'suspect', TRUE, 'arrest'),
			($1, 2, '被害人', 'female', '汉族', 'resident_id', '990101198001010029', '1980-01-01', 'victim', FALSE, 'none')`, id)
		exec(tx, `INSERT INTO intake_checks (case_id, item, passed, note) VALUES ($1, 'a', TRUE, ''), ($1, 'b', TRUE, ''),
			($1, 'c', TRUE, ''), ($1, 'd', TRUE, ''), ($1, 'e', TRUE, '')`, id)
		exec(tx, `INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
			VALUES ($1, 'received', '2026-03-02', 'accept', '', $2, 0)`, id, user)
		exec(tx, `INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, client_addr, action, object_type,
			object_id, result, request_id, detail, prev_hash, hash) VALUES ($1, 0, 0, 'u', 'r', 0, '', 'case.intake', 'case', '',
			'ok', '', '', '', '')`, 1_000_000+i)
		exec(tx, `UPDATE audit_head SET hash = 'x' WHERE id = 1`)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "intakes/s")
}
