package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// TestImportCardsCommand drives `anguan import cards` and `anguan export
// --template` on real files: the template, a file with a bad row (exit 2,
// every error printed, nothing written), a dry run (nothing written) and
// the import (cards and problems written).
func TestImportCardsCommand(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			f := apptest.New(t, db, nil)
			ctx := context.Background()
			dir := t.TempDir()
			cli := func(args ...string) (string, string, error) {
				var out, errb bytes.Buffer
				err := run(ctx, append(args, "--db", dsn), func(string) string { return "" }, nil, &out, &errb)
				return out.String(), errb.String(), err
			}
			count := func() int {
				var n int
				if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_cards`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}

			tpl := filepath.Join(dir, "template.xlsx")
			if _, errs, err := cli("export", "--template", tpl); err != nil {
				t.Fatalf("export --template: %v %s", err, errs)
			}
			fh, err := os.Open(tpl)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := fh.Stat()
			rows, err := xlsx.ReadSheet(fh, st.Size(), 0)
			fh.Close()
			if err != nil || len(rows) < 3 || rows[0][0] != casecard.Columns[0].Header {
				t.Fatalf("template rows = %v, %v", rows, err)
			}

			vocab, err := f.App.Data.Vocabulary(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cards := seed.SyntheticCards(7, seed.CardUnit{ID: f.UnitA.ID, Code: f.UnitA.Code, Short: f.UnitA.ShortName,
				Department: "刑事检察部", Handlers: []string{"测prosecutor"}}, 40, apptest.Now(), 0.3)
			var good bytes.Buffer
			if err := casecard.WriteCSV(&good, cards, vocab); err != nil {
				t.Fatal(err)
			}
			goodPath := filepath.Join(dir, "cards.csv")
			if err := os.WriteFile(goodPath, good.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			badPath := filepath.Join(dir, "bad.csv")
			bad := append(bytes.Clone(good.Bytes()), []byte("某检起诉受[2026]1号,,审查起诉,某案,,,,,2026-02-30\n")...)
			if err := os.WriteFile(badPath, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			before := count()

			_, errs, err := cli("import", "cards", badPath, "--unit", f.UnitA.Code)
			if code, ok := err.(exitError); !ok || code != 2 || !strings.Contains(errs, "第 42 行【受理日期】") {
				t.Fatalf("bad file: %v\n%s", err, errs)
			}
			if _, errs, err := cli("import", "cards", goodPath, "--unit", "00000000"); err == nil || !strings.Contains(errs, "不存在") {
				t.Fatalf("unknown unit: %v %s", err, errs)
			}
			out, errs, err := cli("import", "cards", goodPath, "--unit", f.UnitA.Code, "--dry-run")
			if err != nil || !strings.Contains(out, "新增 40 张") || !strings.Contains(out, "试运行") {
				t.Fatalf("dry run: %v\n%s%s", err, out, errs)
			}
			if got := count(); got != before {
				t.Fatalf("bad file or dry run wrote cards: %d → %d", before, got)
			}
			out, errs, err = cli("import", "cards", goodPath, "--unit", f.UnitA.Code)
			if err != nil || !strings.Contains(out, "已导入") {
				t.Fatalf("import: %v\n%s%s", err, out, errs)
			}
			if got := count(); got != before+40 {
				t.Fatalf("cards after import = %d, want %d", got, before+40)
			}
			out, _, err = cli("dq", "scan")
			if err != nil || !strings.Contains(out, "新发现问题 0 个") {
				t.Fatalf("dq scan after import: %v %s", err, out)
			}
		})
	}
}

// TestREADMEDocumentsCardColumns keeps the README's file layout true: every
// column of the layout is documented with its key, and nothing else is.
func TestREADMEDocumentsCardColumns(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, section, ok := strings.Cut(readme, "### Case-card files")
	if !ok {
		t.Fatal("README has no section on case-card files")
	}
	section, _, _ = strings.Cut(section, "\n#")
	documented := 0
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, " | `") {
			documented++
		}
	}
	for _, c := range casecard.Columns {
		if !strings.Contains(section, "| "+c.Header+" | `"+c.Key+"` |") {
			t.Errorf("README does not document column %s (%s)", c.Header, c.Key)
		}
	}
	if documented != len(casecard.Columns) {
		t.Errorf("README documents %d card columns, the layout has %d", documented, len(casecard.Columns))
	}
}
