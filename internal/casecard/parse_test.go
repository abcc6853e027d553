package casecard

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/xlsx"
)

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each problem with a file as a whole is refused with its own message.
func TestParseFileErrors(t *testing.T) {
	var good bytes.Buffer
	if err := WriteXLSX(&good, syntheticCards(t, 20), testVocab()); err != nil {
		t.Fatal(err)
	}
	var headerOnly, blankSheet bytes.Buffer
	if err := WriteXLSX(&headerOnly, nil, testVocab()); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.Write(&blankSheet, xlsx.Sheet{Name: "空"}); err != nil {
		t.Fatal(err)
	}
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()
	wide := xlsx.ColumnLetters(maxColumns)

	cases := []struct {
		name, file string
		data       []byte
		key        string
		want       []string
	}{
		{"empty", "a.csv", nil, keyEmpty, nil},
		{"white space and BOM", "a.csv", []byte("\xEF\xBB\xBF \r\n\n\u3000\n"), keyEmpty, nil},
		{"commas only", "a.csv", []byte(",,,\n , ,\n"), keyEmpty, nil},
		{"blank sheet", "a.xlsx", blankSheet.Bytes(), keyEmpty, nil},
		{"header only (CSV)", "a.csv", csvOf("部门受案号,案件类别", ",,"), keyNoRows, nil},
		{"header only (XLSX)", "a.xlsx", headerOnly.Bytes(), keyNoRows, nil},
		{"binary", "a.pdf", []byte("%PDF-1.7\n\x00\x01\x02 binary"), keyNotSheet, nil},
		{"web page named xls", "台账.xls", []byte("\xEF\xBB\xBF  <html><table><tr><td>部门受案号</td></tr></table></html>"), keyNotSheet, nil},
		{"text named xlsx", "台账.xlsx", csvOf("部门受案号,案件类别", "S1,审查逮捕"), keyNotSheet, nil},
		{"zip without workbook", "a.docx", docx.Bytes(), keyNotSheet, nil},
		{"legacy xls", "a.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00compound file"), keyLegacyXLS, []string{".xls"}},
		{"truncated xlsx", "a.xlsx", good.Bytes()[:good.Len()*2/3], keyTruncated, nil},
		{"damaged xlsx", "a.xlsx", rawXLSX(t, headerRow("部门受案号", "案件类别")+`<row r="2"><c r="A2" t="s"><v>5</v></c></row>`), keyTruncated, nil},
		{"too many columns", "a.xlsx", rawXLSX(t, `<row r="1">`+inline(wide+"1", "x")+`</row>`), keyTooManyCols, []string{strconv.Itoa(maxColumns)}},
		{"utf-16", "a.csv", []byte("\xFF\xFE\x68\x90"), keyEncoding, []string{"UTF-8", "GB18030"}},
		{"neither utf-8 nor gb18030", "a.csv", append(gb18030(t, "部门受案号,案件类别\nS1,"), 0x80, 0xFF, '\n'), keyEncoding, nil},
		{"control characters once decoded", "a.csv", append(gb18030(t, "部门受案号,案件类别\nS1,"), 0x81, 0x30, 0x81, 0x30, '\n'), keyEncoding, nil},
		{"invalid utf-8 after a BOM", "a.csv", []byte("\xEF\xBB\xBF部门受案号\xFF"), keyEncoding, nil},
		{"unterminated quote", "a.csv", csvOf("部门受案号,案件类别", `"S1,审查逮捕`), keyCSVSyntax, []string{"第 2 行"}},
		{"stray quote", "a.csv", csvOf("部门受案号,案件类别", "S1,审查逮捕", `S2,审"查逮捕`), keyCSVSyntax, []string{"第 3 行"}},
		{"missing required column", "a.csv", csvOf("部门受案号,案件名称", "S1,x"), keyMissingColumn, []string{"案件类别"}},
		{"missing both required columns", "a.csv", csvOf("案件名称", "x"), keyMissingColumn, []string{"部门受案号、案件类别"}},
		{"unknown header", "a.csv", csvOf("部门受案号,案件类别,备注", "S1,审查逮捕,x"), keyUnknownColumn, []string{"第 C 列", "“备注”", "部门受案号、统一受案号"}},
		{"duplicated header", "a.csv", csvOf("部门受案号,案件类别,案件名称, 案件名称 ", "S1,审查逮捕,x,y"), keyDuplicateCol, []string{"“案件名称”", "第 C 列和第 D 列"}},
		{"duplicated header (XLSX)", "a.xlsx", rawXLSX(t, headerRow("部门受案号", "案件类别", "部门受案号")), keyDuplicateCol, []string{"第 A 列和第 C 列"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.file, c.data, testVocab())
			fileErr(t, err, c.key, c.want...)
		})
	}
}

// A file over the limit is refused before anything is parsed, saying how
// large it is and what the limit is.
func TestParseTooLarge(t *testing.T) {
	data := make([]byte, 50<<20)
	copy(data, "PK\x03\x04") // would be parsed as XLSX if it were not refused first
	_, err := Parse("a.xlsx", data, testVocab())
	fileErr(t, err, keyTooLarge, "50 MB", "40 MB")
	if err := CheckSize(MaxFileBytes); err != nil {
		t.Errorf("CheckSize at the limit: %v", err)
	}
	fileErr(t, CheckSize(MaxFileBytes+1), keyTooLarge, "40.1 MB")
}

func TestParseTooManyRows(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("部门受案号,案件类别\n")
	for i := range MaxRows + 1 {
		fmt.Fprintf(&b, "S%d,审查逮捕\n", i)
	}
	_, err := Parse("a.csv", b.Bytes(), testVocab())
	fileErr(t, err, keyTooManyRows, strconv.Itoa(MaxRows))
}

// The streaming reader's errors each map to a message.
func TestXLSXErrorMapping(t *testing.T) {
	cases := map[error]string{
		xlsx.ErrNotXLSX:        keyNotSheet,
		xlsx.ErrTruncated:      keyTruncated,
		xlsx.ErrCorrupt:        keyTruncated,
		xlsx.ErrPartTooLarge:   keyUnpacked,
		xlsx.ErrTooManyStrings: keyUnpacked,
		xlsx.ErrTooManyRows:    keyTooManyRows,
		xlsx.ErrTooManyColumns: keyTooManyCols,
	}
	for sentinel, key := range cases {
		fileErr(t, xlsxError(fmt.Errorf("%w: detail", sentinel)), key)
	}
	own := fileError(keyTooManyRows, nil, MaxRows)
	if got := xlsxError(own); got != own {
		t.Errorf("a FileError from a row was replaced by %v", got)
	}
}

// cellCase is one data row expected to fail one check.
type cellCase struct {
	name, row, column, key string
	args                   []any
	value                  string
}

const cellHeader = "部门受案号,案件类别,案件名称,受理日期,是否羁押,退回补充侦查次数"

func TestParseCellErrors(t *testing.T) {
	long := strings.Repeat("案", MaxText+1)
	cases := []cellCase{
		{"stage number blank", " ,审查逮捕", "部门受案号", keyRequired, nil, ""},
		{"category blank", "S1,\u3000", "案件类别", keyRequired, nil, ""},
		{"category blank in a short row", "S1", "案件类别", keyRequired, nil, ""},
		{"category unknown", "S1,审查批捕", "案件类别", keyCategory, nil, "审查批捕"},
		{"formula =", `S1,审查逮捕,"=HYPERLINK(""http://x"",""点击"")"`, "案件名称", keyInjection, []any{"="}, `=HYPERLINK("http://x","点击")`},
		{"formula +", "S1,审查逮捕,+1案", "案件名称", keyInjection, []any{"+"}, "+1案"},
		{"formula -", "S1,审查逮捕,  -2+3", "案件名称", keyInjection, []any{"-"}, "-2+3"},
		{"formula @", "S1,审查逮捕,@SUM(A1)", "案件名称", keyInjection, []any{"@"}, "@SUM(A1)"},
		{"formula after full-width space", "S1,审查逮捕,\u3000=1+1", "案件名称", keyInjection, []any{"="}, "=1+1"},
		{"leading tab", "S1,审查逮捕,\" \t=1\"", "案件名称", keyInjectionTab, nil, "\t=1"},
		{"leading carriage return", "S1,审查逮捕,\"\r=1\"", "案件名称", keyInjectionCR, nil, "\r=1"},
		{"formula in the stage number", "+S1,审查逮捕", "部门受案号", keyInjection, []any{"+"}, "+S1"},
		{"control character", "S1,审查逮捕,a\x01b", "案件名称", keyControl, nil, "a\x01b"},
		{"too long", "S1,审查逮捕," + long, "案件名称", keyTooLong, []any{MaxText, MaxText + 1}, strings.Repeat("案", maxErrorValue) + "…"},
		{"date words", "S1,审查逮捕,,明天", "受理日期", keyDate, nil, "明天"},
		{"date without day", "S1,审查逮捕,,2026-3", "受理日期", keyDate, nil, "2026-3"},
		{"date two-digit year", "S1,审查逮捕,,26-3-4", "受理日期", keyDate, nil, "26-3-4"},
		{"date mixed separators", "S1,审查逮捕,,2026-03/04", "受理日期", keyDate, nil, "2026-03/04"},
		{"date without 日", "S1,审查逮捕,,2026年3月4", "受理日期", keyDate, nil, "2026年3月4"},
		{"date with junk after", "S1,审查逮捕,,2026-03-04 上午", "受理日期", keyDate, nil, "2026-03-04 上午"},
		{"serial in a CSV", "S1,审查逮捕,,46085", "受理日期", keyDate, nil, "46085"},
		{"30 February", "S1,审查逮捕,,2026-02-30", "受理日期", keyDateNotExist, nil, "2026-02-30"},
		{"month 13", "S1,审查逮捕,,2026/13/1", "受理日期", keyDateNotExist, nil, "2026/13/1"},
		{"day 0", "S1,审查逮捕,,2026.3.0", "受理日期", keyDateNotExist, nil, "2026.3.0"},
		{"year too early", "S1,审查逮捕,,1989-12-31", "受理日期", keyDateRange, []any{MinYear, MaxYear}, "1989-12-31"},
		{"year too late", "S1,审查逮捕,,2101年1月1日", "受理日期", keyDateRange, []any{MinYear, MaxYear}, "2101年1月1日"},
		{"flag 是的", "S1,审查逮捕,,,是的", "是否羁押", keyFlag, nil, "是的"},
		{"flag √", "S1,审查逮捕,,,√", "是否羁押", keyFlag, nil, "√"},
		{"count negative", "S1,审查逮捕,,,,-1", "退回补充侦查次数", keyCount, []any{MaxCount}, "-1"},
		{"count too large", "S1,审查逮捕,,,,100", "退回补充侦查次数", keyCount, []any{MaxCount}, "100"},
		{"count fraction", "S1,审查逮捕,,,,1.5", "退回补充侦查次数", keyCount, []any{MaxCount}, "1.5"},
		{"count words", "S1,审查逮捕,,,,两次", "退回补充侦查次数", keyCount, []any{MaxCount}, "两次"},
		{"example row", "示例检捕受〔2026〕1号,审查逮捕", "部门受案号", keyExampleRow, nil, "示例检捕受〔2026〕1号"},
	}
	cat := i18n.MustLoad(i18n.DefaultLang)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pv, err := Parse("a.csv", csvOf(cellHeader, c.row), testVocab())
			if err != nil {
				t.Fatal(err)
			}
			checkOneError(t, cat, pv, 2, c)
		})
	}
}

func checkOneError(t *testing.T, cat *i18n.Catalog, pv Preview, row int, c cellCase) {
	t.Helper()
	if len(pv.Errors) != 1 || len(pv.Cards) != 0 || pv.Rows != 1 {
		t.Fatalf("rows %d, cards %v, errors %+v; want one error", pv.Rows, pv.Cards, pv.Errors)
	}
	want := CellError{Row: row, Column: c.column, Key: c.key, Args: c.args, Value: c.value}
	if got := pv.Errors[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("error = %+v\nwant    %+v", got, want)
	}
	rendered(t, cat, c.key, c.args...)
}

// Cells that XLSX files type or compute: serial dates, numbers, booleans,
// formulas and error values.
func TestParseXLSXCells(t *testing.T) {
	head := headerRow("部门受案号", "案件类别", "受理日期", "退回补充侦查次数", "是否羁押", "证件号码")
	rows := `<row r="2">` + inline("A2", "S1") + inline("B2", "审查逮捕") + `<c r="C2" s="1"><v>46085.5</v></c><c r="D2"><v>2</v></c><c r="E2" t="b"><v>1</v></c>` +
		`<c r="F2"><v>659999199005170318</v></c></row>` + // survives as 18 digits only if written as text
		`<row r="3">` + inline("A3", "S2") + inline("B3", "审查起诉") + `<c r="C3" t="d"><v>2026-03-04T00:00:00</v></c><c r="D3"><v>1.0</v></c><c r="E3" t="b"><v>0</v></c>` +
		inline("F3", "659999199005170318") + `</row>` +
		`<row r="9">` + inline("A9", "S3") + inline("B9", "审查逮捕") + `<c r="C9"><f>TODAY()</f><v>46085</v></c></row>` +
		`<row r="10">` + inline("A10", "S4") + inline("B10", "审查逮捕") + `<c r="D10" t="e"><v>#N/A</v></c></row>` +
		`<row r="11">` + inline("A11", "S5") + inline("B11", "审查逮捕") + `<c r="F11"><v>6.59999199005170E+17</v></c></row>` +
		`<row r="12">` + inline("A12", "S6") + inline("B12", "审查逮捕") + `<c r="C12"><v>20260304</v></c></row>` +
		`<row r="13">` + inline("A13", "S7") + inline("B13", "审查逮捕") + inline("C13", "46085") + `</row>` +
		`<row r="14"><c r="A14" t="str"><f>A2</f><v>S1</v></c>` + inline("B14", "审查逮捕") + `</row>` +
		`<row r="15">` + inline("A15", "S8") + inline("B15", "审查逮捕") + `<c r="D15"><v>-1</v></c></row>`
	pv, err := Parse("a.xlsx", rawXLSX(t, head+rows), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	if pv.Format != FormatXLSX || pv.Rows != 9 {
		t.Errorf("format %s, rows %d", pv.Format, pv.Rows)
	}
	if len(pv.Cards) != 1 {
		t.Fatalf("cards = %+v", pv.Cards)
	}
	want := Card{Source: SourceImport, StageNo: "S2", Category: "prosecution_review", ReceivedOn: "2026-03-04", Returns: 1, Custody: No, SuspectID: "659999199005170318"}
	if pv.Cards[0] != want || pv.RowOf(0) != 3 {
		t.Errorf("card = %+v at row %d\nwant   %+v", pv.Cards[0], pv.RowOf(0), want)
	}
	wantErrs := []CellError{
		{Row: 2, Column: "证件号码", Key: keyPrecision, Value: "659999199005170318"},
		{Row: 9, Column: "受理日期", Key: keyFormula, Value: "46085"},
		{Row: 10, Column: "退回补充侦查次数", Key: keyErrorValue, Args: []any{"#N/A"}, Value: "#N/A"},
		{Row: 11, Column: "证件号码", Key: keyPrecision, Value: "6.59999199005170E+17"},
		{Row: 12, Column: "受理日期", Key: keyDateRange, Args: []any{MinYear, MaxYear}, Value: "20260304"},
		{Row: 13, Column: "受理日期", Key: keyDate, Value: "46085"},
		{Row: 14, Column: "部门受案号", Key: keyFormula, Value: "S1"},
		{Row: 15, Column: "退回补充侦查次数", Key: keyCount, Args: []any{MaxCount}, Value: "-1"},
	}
	if !reflect.DeepEqual(pv.Errors, wantErrs) {
		t.Errorf("errors:\n%+v\nwant\n%+v", pv.Errors, wantErrs)
	}
	cat := i18n.MustLoad(i18n.DefaultLang)
	for _, e := range pv.Errors {
		rendered(t, cat, e.Key, e.Args...)
	}
}

// The spellings users type are normalised: trimmed, dates in ISO form,
// flags as 是/否, categories as codes, full-width digits as ASCII.
func TestParseAcceptedValues(t *testing.T) {
	cases := []struct{ header, in, key, want string }{
		{"受理日期", "2026-03-04", "received_on", "2026-03-04"},
		{"受理日期", "2026-3-4", "received_on", "2026-03-04"},
		{"受理日期", "2026/3/4", "received_on", "2026-03-04"},
		{"受理日期", "2026.3.4", "received_on", "2026-03-04"},
		{"受理日期", "2026年3月4日", "received_on", "2026-03-04"},
		{"受理日期", "２０２６年３月４日", "received_on", "2026-03-04"},
		{"受理日期", "２０２６－０３－０４", "received_on", "2026-03-04"},
		{"受理日期", "2026-03-04 00:00:00", "received_on", "2026-03-04"},
		{"受理日期", "2026/3/4 9:30", "received_on", "2026-03-04"},
		{"受理日期", "2026-03-04T08:00:00.000Z", "received_on", "2026-03-04"},
		{"受理日期", "2024-02-29", "received_on", "2024-02-29"},
		{"受理日期", "1990-01-01", "received_on", "1990-01-01"},
		{"受理日期", "2100-12-31", "received_on", "2100-12-31"},
		{"是否羁押", "是", "custody", Yes},
		{"是否羁押", "否", "custody", No},
		{"是否羁押", "Y", "custody", Yes},
		{"是否羁押", "n", "custody", No},
		{"是否羁押", "1", "custody", Yes},
		{"是否羁押", "0", "custody", No},
		{"是否羁押", "TRUE", "custody", Yes},
		{"是否羁押", "false", "custody", No},
		{"是否羁押", "Ｙ", "custody", Yes},
		{"是否羁押", "", "custody", ""},
		{"退回补充侦查次数", "0", "returns", "0"},
		{"退回补充侦查次数", "02", "returns", "2"},
		{"退回补充侦查次数", "99", "returns", "99"},
		{"退回补充侦查次数", "２", "returns", "2"},
		{"退回补充侦查次数", "", "returns", "0"},
		{"案件类别", "arrest_review", "category", "arrest_review"},
		{"案件类别", "Arrest_Review", "category", "arrest_review"},
		{"案件类别", "\u3000审查逮捕 ", "category", "arrest_review"},
		{"案件名称", "\u3000艾某某盗窃案\u00a0 ", "name", "艾某某盗窃案"},
		{"案件名称", "a\tb\n第二行", "name", "a\tb\n第二行"},
		{"案件名称", "无-", "name", "无-"},
		{"案件名称", strings.Repeat("案", MaxText), "name", strings.Repeat("案", MaxText)},
		{"证件号码", "65999919900517031x", "suspect_id", "65999919900517031x"},
	}
	for _, c := range cases {
		header := "部门受案号,案件类别"
		row := "S1,审查逮捕"
		if c.header != "案件类别" {
			header += "," + c.header
			row += ","
		} else {
			row = "S1,"
		}
		row += `"` + strings.ReplaceAll(c.in, `"`, `""`) + `"`
		pv, err := Parse("a.csv", csvOf(header, row), testVocab())
		if err != nil || len(pv.Errors) != 0 || len(pv.Cards) != 1 {
			t.Errorf("%s %q: err %v, errors %+v", c.header, c.in, err, pv.Errors)
			continue
		}
		if got := pv.Cards[0].Value(c.key); got != c.want {
			t.Errorf("%s %q = %q, want %q", c.header, c.in, got, c.want)
		}
	}
}

// Row numbers are those a spreadsheet program shows: CSV blank lines are
// rows, a quoted field spanning lines is one row, the header need not be
// on row 1.
func TestParseRowNumbers(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		data := strings.ReplaceAll("\n部门受案号,案件类别,案件名称\nS1,审查逮捕,\"多行\n名称\"\n\n,,\nS2,审查逮捕,=x\nS3,审查逮捕,ok", "\n", eol)
		pv, err := Parse("a.csv", []byte(data), testVocab())
		if err != nil {
			t.Fatal(err)
		}
		if pv.Rows != 3 || len(pv.Cards) != 2 || pv.RowOf(0) != 3 || pv.RowOf(1) != 7 || pv.Cards[0].Name != "多行\n名称" {
			t.Errorf("%q: rows %d, cards %+v at %v", eol, pv.Rows, pv.Cards, pv.cardRows)
		}
		if len(pv.Errors) != 1 || pv.Errors[0].Row != 6 {
			t.Errorf("%q: errors %+v, want one at row 6", eol, pv.Errors)
		}
	}
}

// A stage number seen twice is refused the second time, naming the row of
// the first; the first stays valid.
func TestParseDuplicateStageNo(t *testing.T) {
	pv, err := Parse("a.csv", csvOf("部门受案号,案件类别", "S1,审查逮捕", "S2,审查逮捕", "\u3000S1 ,审查起诉", "S2,=x"), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	want := []CellError{
		{Row: 4, Column: "部门受案号", Key: keyDuplicateNo, Args: []any{2}, Value: "S1"},
		{Row: 5, Column: "案件类别", Key: keyInjection, Args: []any{"="}, Value: "=x"},
		{Row: 5, Column: "部门受案号", Key: keyDuplicateNo, Args: []any{3}, Value: "S2"},
	}
	if !reflect.DeepEqual(pv.Errors, want) {
		t.Errorf("errors %+v\nwant %+v", pv.Errors, want)
	}
	if len(pv.Cards) != 2 || pv.Cards[0].StageNo != "S1" || pv.Cards[1].StageNo != "S2" {
		t.Errorf("cards %+v", pv.Cards)
	}
	msg := rendered(t, i18n.MustLoad(i18n.DefaultLang), want[0].Key, want[0].Args...)
	if !strings.Contains(msg, "第 2 行") {
		t.Errorf("message %q does not name row 2", msg)
	}
}

// Errors are listed up to MaxErrors and counted beyond.
func TestParseErrorCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("部门受案号,案件类别\n")
	for i := range MaxErrors + 500 {
		fmt.Fprintf(&b, "S%d,不存在的类别\n", i)
	}
	b.WriteString("S-ok,审查逮捕\n")
	pv, err := Parse("a.csv", []byte(b.String()), testVocab())
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Errors) != MaxErrors || pv.MoreErrors != 500 || len(pv.Cards) != 1 || pv.Rows != MaxErrors+501 {
		t.Errorf("errors %d, more %d, cards %d, rows %d", len(pv.Errors), pv.MoreErrors, len(pv.Cards), pv.Rows)
	}
}

// The digest is of the bytes as uploaded, whatever their format.
func TestParseSHA256(t *testing.T) {
	data := csvOf("部门受案号,案件类别", "S1,审查逮捕")
	pv, err := Parse("a.csv", data, testVocab())
	sum := sha256.Sum256(data)
	if err != nil || pv.SHA256 != hex.EncodeToString(sum[:]) || pv.Format != FormatCSVUTF8 {
		t.Errorf("err %v, sha %s, format %s", err, pv.SHA256, pv.Format)
	}
}

// A FileError keeps its cause for logs and errors.Is.
func TestFileErrorCause(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, syntheticCards(t, 5), testVocab()); err != nil {
		t.Fatal(err)
	}
	_, err := Parse("a.xlsx", buf.Bytes()[:buf.Len()-30], testVocab())
	if !errors.Is(err, xlsx.ErrTruncated) || !strings.Contains(err.Error(), keyTruncated) {
		t.Errorf("err = %v", err)
	}
}
