package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/testdb"
)

// TestCalendarImport: a holiday file with problems is refused with every
// problem named and changes nothing; a correction of a year is stored,
// applied and recomputes the open clocks it moves; list shows it.
func TestCalendarImport(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			f := apptest.New(t, db, nil)
			ctx := context.Background()
			// Not in custody: a due date on a day off moves to the next
			// working day (CPL 105). 2 March + 1 month = 2 April, a Thursday.
			in := apptest.Intake(1)
			in.Parties[0].Custody, in.Parties[0].Measure = false, "bail"
			id, err := f.App.Cases.Register(ctx, f.Request(t, "a_case_manager"), in)
			if err != nil {
				t.Fatal(err)
			}
			due := func() string {
				t.Helper()
				rows, _, err := f.App.Board.List(ctx, f.Request(t, "a_case_manager"), casefile.BoardFilter{Kind: "prosecution_review"})
				if err != nil || len(rows) != 1 || rows[0].CaseID != id {
					t.Fatalf("board: %v %v", rows, err)
				}
				return rows[0].Due
			}
			if d := due(); d != "2026-04-02" {
				t.Fatalf("due before the import = %s, want 2026-04-02", d)
			}
			dir := t.TempDir()
			write := func(name, body string) string {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			}
			calendar := func(args ...string) (string, string, error) {
				var out, errb bytes.Buffer
				err := run(ctx, append(append([]string{"calendar"}, args...), "--db", dsn), func(string) string { return "" }, nil, &out, &errb)
				return out.String(), errb.String(), err
			}

			bad := write("bad.json", `{"year": 2026, "source": "测试", "holidays": [
				{"name": "测试", "from": "2026-04-03", "to": "2026-04-01"},
				{"name": "越界", "from": "2027-01-01", "to": "2027-01-02"}], "workdays": ["2026-04-08"]}`)
			_, stderr, err := calendar("import", bad)
			var ex exitError
			if !errors.As(err, &ex) || ex != 2 {
				t.Fatalf("bad file: err %v, want exit 2", err)
			}
			for _, want := range []string{"holidays[0]", "结束日期早于开始日期", "holidays[1].from", "不在该文件的年度内",
				"workdays[0]", "调休工作日应为周六或周日", "未作任何改动"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("bad file: stderr lacks %q:\n%s", want, stderr)
				}
			}
			if d := due(); d != "2026-04-02" {
				t.Errorf("a refused file moved a due date to %s", d)
			}
			if _, _, err := calendar("import", filepath.Join(dir, "missing.json")); !errors.As(err, &ex) || ex != 2 {
				t.Errorf("missing file: %v", err)
			}

			// The 2026 notice "corrected": 2–3 April become days off, so
			// with 4–6 April (清明) the period ends on Tuesday 7 April.
			good := write("2026.json", `{"year": 2026, "source": "测试更正", "holidays": [
				{"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"},
				{"name": "测试假日", "from": "2026-04-02", "to": "2026-04-03"},
				{"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"}], "workdays": ["2026-01-04"]}`)
			out, stderr, err := calendar("import", good)
			if err != nil {
				t.Fatalf("import: %v %s", err, stderr)
			}
			if !strings.Contains(out, "2026年节假日已更正") || !strings.Contains(out, "重新计算1件") {
				t.Errorf("import output: %s", out)
			}
			// The command's process recomputed the stored clock; this
			// process reloads the calendar as a serving instance would.
			if err := f.App.Calendar.Load(ctx); err != nil {
				t.Fatal(err)
			}
			if d := due(); d != "2026-04-07" {
				t.Errorf("due after the import = %s, want 2026-04-07", d)
			}
			out, _, err = calendar("list")
			if err != nil || !strings.Contains(out, "2026年：节假日3段，调休上班1天（测试更正）") || !strings.Contains(out, "2025年") {
				t.Errorf("list: %v\n%s", err, out)
			}
			// A change of warning days reaches the stored clocks with
			// clocks recompute.
			var rout bytes.Buffer
			warn := func(k string) string {
				return map[string]string{"ANGUAN_WARN_DAYS": "prosecution_review=30"}[k]
			}
			if err := run(ctx, []string{"clocks", "recompute", "--db", dsn}, warn, nil, &rout, &bytes.Buffer{}); err != nil ||
				!strings.Contains(rout.String(), "已重新计算1件") {
				t.Errorf("clocks recompute: %v %s", err, rout.String())
			}
			var yellowOn string
			if err := db.Reader().QueryRow(`SELECT yellow_on FROM case_clocks WHERE case_id = $1 AND kind = 'prosecution_review'`,
				id).Scan(&yellowOn); err != nil || yellowOn != "2026-03-08" {
				t.Errorf("yellow from %s after 30 warning days, want 2026-03-08 (%v)", yellowOn, err)
			}
			if err := run(ctx, []string{"audit", "verify", "--db", dsn}, func(string) string { return "" }, nil, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
				t.Errorf("audit verify after import: %v", err)
			}
		})
	}
}
