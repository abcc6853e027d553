package casecard

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/idcard"
	"github.com/anguan/anguan/internal/xlsx"
)

func sameCards(t *testing.T, format string, pv Preview, want []Card) {
	t.Helper()
	if pv.Format != format {
		t.Errorf("format = %s, want %s", pv.Format, format)
	}
	if len(pv.Errors) != 0 {
		t.Fatalf("errors: %+v", pv.Errors[:min(len(pv.Errors), 5)])
	}
	if pv.Rows != len(want) || len(pv.Cards) != len(want) {
		t.Fatalf("rows %d, cards %d, want %d", pv.Rows, len(pv.Cards), len(want))
	}
	for i := range want {
		if pv.Cards[i] != want[i] {
			t.Errorf("card %d:\n got %+v\nwant %+v", i, pv.Cards[i], want[i])
		}
		if pv.RowOf(i) != i+2 {
			t.Errorf("card %d at row %d", i, pv.RowOf(i))
		}
	}
}

func TestRoundTripXLSX(t *testing.T) {
	cards := syntheticCards(t, 300)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, cards, testVocab()); err != nil {
		t.Fatal(err)
	}
	// The file carries category names, not codes.
	rows, err := xlsx.ReadSheet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], headers()) || rows[1][2] != "审查逮捕" {
		t.Errorf("header %v, first category %q", rows[0], rows[1][2])
	}
	pv, err := Parse("案卡.xlsx", buf.Bytes(), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	sameCards(t, FormatXLSX, pv, cards)
}

func TestRoundTripCSVUTF8(t *testing.T) {
	cards := syntheticCards(t, 300)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, cards, testVocab()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), utf8BOM) || !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("no BOM or no CRLF")
	}
	pv, err := Parse("案卡.csv", buf.Bytes(), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	sameCards(t, FormatCSVUTF8, pv, cards)
	// Without the byte order mark, as other programs save it.
	pv, err = Parse("案卡.csv", bytes.TrimPrefix(buf.Bytes(), utf8BOM), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	sameCards(t, FormatCSVUTF8, pv, cards)
}

// A CSV file as Excel on Chinese Windows saves it: GB18030, no BOM.
func TestRoundTripCSVGB18030(t *testing.T) {
	cards := syntheticCards(t, 300)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, cards, testVocab()); err != nil {
		t.Fatal(err)
	}
	data := gb18030(t, string(bytes.TrimPrefix(buf.Bytes(), utf8BOM)))
	pv, err := Parse("案卡.csv", data, testVocab())
	if err != nil {
		t.Fatal(err)
	}
	sameCards(t, FormatCSVGB18030, pv, cards)
}

// Values that would run as formulas leave as text: quoted with an
// apostrophe in CSV, inline strings (never formulas) in XLSX.
func TestExportDefusesFormulas(t *testing.T) {
	c := syntheticCards(t, 1)[0]
	c.Name, c.Charges, c.Measure, c.Decision, c.DocNo = `=HYPERLINK("http://x","点击")`, "+1", "-", "@SUM(A1)", "\t=1"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []Card{c}, testVocab()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), utf8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range recs[1] {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			t.Errorf("CSV cell %q starts like a formula", v)
		}
	}
	if recs[1][3] != `'=HYPERLINK("http://x","点击")` || recs[1][12] != "'-" {
		t.Errorf("defused: %q, %q", recs[1][3], recs[1][12])
	}

	buf.Reset()
	if err := WriteXLSX(&buf, []Card{c}, testVocab()); err != nil {
		t.Fatal(err)
	}
	err = xlsx.Rows(bytes.NewReader(buf.Bytes()), int64(buf.Len()), xlsx.Limits{}, func(n int, cells []string, info []xlsx.CellInfo) error {
		for j, in := range info {
			if in.Formula {
				t.Errorf("row %d cell %d is a formula", n, j)
			}
		}
		if n == 2 && cells[3] != c.Name {
			t.Errorf("name = %q", cells[3])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("<f>")) {
		t.Error("the workbook holds a formula element")
	}
}

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, testVocab()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	cards, err := xlsx.ReadSheet(bytes.NewReader(data), int64(len(data)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 3 || !slices.Equal(cards[0], headers()) {
		t.Fatalf("template sheet: %v", cards)
	}
	guide, err := xlsx.ReadSheet(bytes.NewReader(data), int64(len(data)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(guide[1], []string{"列名", "键名", "必填", "格式", "说明"}) {
		t.Errorf("guide header: %v", guide[1])
	}
	for k, col := range Columns {
		row := guide[k+2]
		required := No
		if col.Required {
			required = Yes
		}
		if row[0] != col.Header || row[1] != col.Key || row[2] != required || row[3] == "" {
			t.Errorf("guide row for %s: %v", col.Key, row)
		}
		if col.Kind == KindCategory {
			for _, code := range testVocab().Codes() {
				if !strings.Contains(row[3], testVocab().Name(code)) {
					t.Errorf("the category format does not list %s: %q", code, row[3])
				}
			}
		}
	}

	// Imported as is, the template's examples are refused as examples,
	// and for nothing else.
	pv, err := Parse("模板.xlsx", data, testVocab())
	if err != nil {
		t.Fatal(err)
	}
	if pv.Rows != 2 || len(pv.Cards) != 0 || len(pv.Errors) != 2 {
		t.Fatalf("rows %d, cards %d, errors %+v", pv.Rows, len(pv.Cards), pv.Errors)
	}
	for _, e := range pv.Errors {
		if e.Key != keyExampleRow {
			t.Errorf("template error %+v", e)
		}
	}
	// Otherwise the examples are valid cards, with valid ID numbers.
	ex := templateExamples()
	for i := range ex {
		ex[i].StageNo = strings.TrimPrefix(ex[i].StageNo, examplePrefix)
		ex[i].Source = SourceImport
		if _, err := idcard.Parse(ex[i].SuspectID); err != nil {
			t.Errorf("example ID %s: %v", ex[i].SuspectID, err)
		}
	}
	buf.Reset()
	if err := WriteXLSX(&buf, ex, testVocab()); err != nil {
		t.Fatal(err)
	}
	pv, err = Parse("a.xlsx", buf.Bytes(), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	sameCards(t, FormatXLSX, pv, ex)

	// With a vocabulary lacking the examples' categories, they use one
	// it has.
	buf.Reset()
	if err := WriteTemplate(&buf, NewVocabulary(map[string]string{"petition": "群众来信"})); err != nil {
		t.Fatal(err)
	}
	cards, _ = xlsx.ReadSheet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
	if cards[1][2] != "群众来信" || cards[2][2] != "群众来信" {
		t.Errorf("example categories: %q, %q", cards[1][2], cards[2][2])
	}
}
