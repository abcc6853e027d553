package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/testdb"
)

// tamper opens a raw connection the way an intruder with database access
// would, switches off the append-only triggers and runs stmts.
func tamper(t *testing.T, engine, dsn string, stmts ...string) {
	t.Helper()
	driver, src := "pgx", dsn
	if engine == "sqlite" {
		driver, src = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	off := []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`}
	if engine == "sqlite" {
		off = []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	}
	for _, s := range append(off, stmts...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAuditVerifyDetectsEveryKindOfTampering(t *testing.T) {
	cases := []struct {
		name  string
		stmts []string
	}{
		{"none", nil},
		{"edit", []string{`UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5`}},
		{"edit user", []string{`UPDATE audit_log SET username = 'someone_else' WHERE seq = 3`}},
		{"delete middle", []string{`DELETE FROM audit_log WHERE seq = 4`}},
		{"delete last", []string{`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`}},
		{"insert", []string{`INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, client_addr, action,
			object_type, object_id, result, request_id, detail, prev_hash, hash)
			SELECT max(seq) + 1, max(at), 0, 'ghost', '', 0, '', 'case.view', 'case', '1', 'ok', '', '', max(hash), max(hash) FROM audit_log`}},
		{"swap content", []string{
			`UPDATE audit_log SET seq = -1 WHERE seq = 6`,
			`UPDATE audit_log SET seq = 6 WHERE seq = 7`,
			`UPDATE audit_log SET seq = 7 WHERE seq = -1`}},
		{"truncate and reset head", []string{`DELETE FROM audit_log WHERE seq > 8`, `UPDATE audit_head SET seq = 8`}},
	}
	for _, e := range testdb.Engines(t) {
		for _, tc := range cases {
			t.Run(e.Name+"/"+tc.name, func(t *testing.T) {
				db, dsn := e.Open(t)
				f := apptest.New(t, db, nil)
				ctx := context.Background()
				if _, err := f.App.Cases.Register(ctx, f.Request(t, "a_case_manager"), apptest.Intake(1)); err != nil {
					t.Fatal(err)
				}
				tamper(t, e.Name, dsn, tc.stmts...)
				var out bytes.Buffer
				err := run(ctx, []string{"audit", "verify", "--db", dsn}, func(string) string { return "" }, nil, &out, &bytes.Buffer{})
				var ex exitError
				if tc.stmts == nil {
					if err != nil || !strings.Contains(out.String(), "intact") {
						t.Fatalf("untouched log: err=%v out=%s", err, out.String())
					}
					return
				}
				if !errors.As(err, &ex) || ex != 3 || !strings.Contains(out.String(), "BROKEN at entry") {
					t.Fatalf("tampering %q not detected: err=%v out=%s", tc.name, err, out.String())
				}
			})
		}
	}
}

// The engine itself refuses to change audit rows (the triggers); only an
// intruder who drops them gets as far as the chain check above.
func TestAuditLogRefusesUpdateAndDelete(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			_, dsn := e.Open(t)
			driver, src := "pgx", dsn
			if e.Name == "sqlite" {
				driver, src = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
			}
			db, err := sql.Open(driver, src)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, client_addr, action,
				object_type, object_id, result, request_id, detail, prev_hash, hash)
				VALUES (1, 0, 0, 'x', '', 0, '', 'a', 'b', 'c', 'ok', '', '', '', 'h')`); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{`UPDATE audit_log SET detail = 'x'`, `DELETE FROM audit_log`} {
				if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: got %v, want the append-only refusal", q, err)
				}
			}
		})
	}
}
