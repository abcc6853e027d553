package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/ooxml"
)

// write returns the workbook bytes or fails the test.
func write(t testing.TB, sheets ...Sheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, sheets...); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func openZip(t testing.TB, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	return zr
}

func readPart(t testing.TB, zr *zip.Reader, name string) []byte {
	t.Helper()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return b
}

// checkWellFormed fails unless every part is well-formed XML.
func checkWellFormed(t testing.TB, zr *zip.Reader) {
	t.Helper()
	for _, f := range zr.File {
		dec := xml.NewDecoder(bytes.NewReader(readPart(t, zr, f.Name)))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
}

// sheetCells parses a worksheet independently of ReadSheet and returns the
// value of every stored cell by reference.
func sheetCells(t testing.TB, data []byte) map[string]string {
	t.Helper()
	var ws struct {
		Rows []struct {
			R     int `xml:"r,attr"`
			Cells []struct {
				R    string `xml:"r,attr"`
				T    string `xml:"t,attr"`
				V    string `xml:"v"`
				Text string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(data, &ws); err != nil {
		t.Fatalf("worksheet: %v", err)
	}
	cells := make(map[string]string)
	for _, row := range ws.Rows {
		for _, c := range row.Cells {
			if !strings.HasSuffix(c.R, strconv.Itoa(row.R)) {
				t.Errorf("cell %s is in row %d", c.R, row.R)
			}
			if c.T == "inlineStr" {
				cells[c.R] = ooxml.UnescapeXstring(c.Text)
			} else {
				cells[c.R] = c.V
			}
		}
	}
	return cells
}

// wideSheet is a 30-column ledger: past Z, with awkward text and numbers.
func wideSheet() Sheet {
	header := make([]string, 30)
	for i := range header {
		header[i] = "列" + strconv.Itoa(i+1)
	}
	header[0], header[1], header[2] = "序号", "案件名称", "统一受案号"
	last := make([]Cell, 30)
	last[29] = Str("第30列")
	return Sheet{
		Name:   "流程监控台账",
		Title:  "2026年3月 流程监控台账",
		Header: header,
		Rows: [][]Cell{
			{Int(1), Str("张某某盗窃案"), Str("喀市检刑受〔2026〕1号"), Float(1.5), Float(-0.25), Int(1234567)},
			{Int(2), Str(`<&>"'`), Str("emoji 🙂"), Str("a\x01b\x1fc"), Str("第一行\n第二行"), Str(" 前后空格 "), Str("_x0041_"), Str("行\r\n尾"), Str("\uFFFE")},
			last,
		},
	}
}

func TestWriteRoundTrip(t *testing.T) {
	second := Sheet{Name: "汇总", Rows: [][]Cell{{Str("合计"), Int(3)}}}
	b := write(t, wideSheet(), second)
	zr := openZip(t, b)
	checkWellFormed(t, zr)

	got := sheetCells(t, readPart(t, zr, "xl/worksheets/sheet1.xml"))
	want := map[string]string{
		"A1": "2026年3月 流程监控台账",
		"A2": "序号", "B2": "案件名称", "C2": "统一受案号", "Z2": "列26", "AA2": "列27", "AD2": "列30",
		"A3": "1", "B3": "张某某盗窃案", "C3": "喀市检刑受〔2026〕1号", "D3": "1.5", "E3": "-0.25", "F3": "1234567",
		"A4": "2", "B4": `<&>"'`, "C4": "emoji 🙂", "D4": "abc", "E4": "第一行\n第二行", "F4": " 前后空格 ", "G4": "_x0041_", "H4": "行\r\n尾",
		"AD5": "第30列",
	}
	for ref, v := range want {
		if got[ref] != v {
			t.Errorf("cell %s = %q, want %q", ref, got[ref], v)
		}
	}
	// I4 held only an illegal character, and the empty cells of row 5 hold
	// nothing, so neither is stored.
	for _, ref := range []string{"I4", "A5", "AC5"} {
		if v, ok := got[ref]; ok {
			t.Errorf("cell %s stored as %q, want absent", ref, v)
		}
	}
	if n := 1 + 30 + 6 + 8 + 1; len(got) != n { // title, header, three data rows
		t.Errorf("stored %d cells, want %d", len(got), n)
	}

	rows, err := ReadSheet(bytes.NewReader(b), int64(len(b)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || len(rows[1]) != 30 || len(rows[4]) != 30 {
		t.Fatalf("ReadSheet shape: %d rows, row lengths %v", len(rows), lens(rows))
	}
	if rows[0][0] != "2026年3月 流程监控台账" || rows[1][29] != "列30" || rows[3][1] != `<&>"'` || rows[3][6] != "_x0041_" || rows[4][29] != "第30列" || rows[4][0] != "" {
		t.Errorf("ReadSheet = %q", rows)
	}

	rows, err = ReadSheet(bytes.NewReader(b), int64(len(b)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"合计", "3"}}; !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("second sheet = %q, want %q", rows, want)
	}
	if _, err := ReadSheet(bytes.NewReader(b), int64(len(b)), 2); err == nil {
		t.Error("ReadSheet of a missing sheet succeeded")
	}
}

func lens(rows [][]string) []int {
	n := make([]int, len(rows))
	for i, r := range rows {
		n[i] = len(r)
	}
	return n
}

func TestColumnNames(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := colName(i); got != want {
			t.Errorf("colName(%d) = %q, want %q", i, got, want)
		}
	}
	for i := range maxCols {
		ref := cellRef(i, 7)
		if got, err := colIndex(ref); err != nil || got != i {
			t.Fatalf("colIndex(%q) = %d, %v, want %d", ref, got, err, i)
		}
	}
	for _, bad := range []string{"", "1", "a1", "XFE1"} {
		if _, err := colIndex(bad); err == nil {
			t.Errorf("colIndex(%q) succeeded", bad)
		}
	}
}

func TestContentTypesListEveryPart(t *testing.T) {
	zr := openZip(t, write(t, wideSheet(), Sheet{Name: "二"}, Sheet{Name: "三"}))
	var types struct {
		Defaults []struct {
			Ext string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(readPart(t, zr, "[Content_Types].xml"), &types); err != nil {
		t.Fatal(err)
	}
	overrides := make(map[string]string)
	for _, o := range types.Overrides {
		overrides[o.Part] = o.Type
		if _, err := zr.Open(strings.TrimPrefix(o.Part, "/")); err != nil {
			t.Errorf("override for missing part %s", o.Part)
		}
	}
	rels := false
	for _, d := range types.Defaults {
		rels = rels || d.Ext == "rels"
	}
	if !rels {
		t.Error("no default content type for .rels")
	}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" || strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		if overrides["/"+f.Name] == "" {
			t.Errorf("part %s has no content type override", f.Name)
		}
	}
	for i := 1; i <= 3; i++ {
		if !strings.HasSuffix(overrides["/xl/worksheets/sheet"+strconv.Itoa(i)+".xml"], "worksheet+xml") {
			t.Errorf("sheet%d not typed as a worksheet", i)
		}
	}
}

// worksheetOrder is the CT_Worksheet sequence from ECMA-376 Part 1, §18.3.1.99.
var worksheetOrder = []string{
	"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
	"sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
	"customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
	"hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
}

func TestWorksheetElementOrder(t *testing.T) {
	zr := openZip(t, write(t, wideSheet(), Sheet{Name: "空"}))
	for name, want := range map[string][]string{
		"xl/worksheets/sheet1.xml": {"dimension", "sheetViews", "cols", "sheetData", "autoFilter", "mergeCells"},
		"xl/worksheets/sheet2.xml": {"dimension", "sheetViews", "sheetData"},
	} {
		dec := xml.NewDecoder(bytes.NewReader(readPart(t, zr, name)))
		var got []string
		depth := 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if depth == 1 {
					got = append(got, tok.Name.Local)
				}
				depth++
			case xml.EndElement:
				depth--
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s children = %v, want %v", name, got, want)
		}
		last := -1
		for _, el := range got {
			i := slices.Index(worksheetOrder, el)
			if i <= last {
				t.Errorf("%s: <%s> out of schema order in %v", name, el, got)
			}
			last = i
		}
	}
}

func TestHeaderViewsAndNames(t *testing.T) {
	zr := openZip(t, write(t, wideSheet(), Sheet{Name: "it's", Header: []string{"a"}}))
	sheet := string(readPart(t, zr, "xl/worksheets/sheet1.xml"))
	for _, want := range []string{
		`<dimension ref="A1:AD5"/>`,
		`<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>`,
		`<autoFilter ref="A2:AD5"/>`,
		`<mergeCell ref="A1:AD1"/>`,
		`<c r="A1" s="2" t="inlineStr">`,
		`<c r="A2" s="1" t="inlineStr">`,
		`<c r="E4" s="3" t="inlineStr">`, // multi-line text wraps
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet1 lacks %s", want)
		}
	}
	wb := string(readPart(t, zr, "xl/workbook.xml"))
	for _, want := range []string{
		`<sheet name="it&apos;s" sheetId="2" r:id="rId2"/>`,
		`<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;流程监控台账&apos;!$A$2:$AD$5</definedName>`,
		`<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;流程监控台账&apos;!$1:$2</definedName>`,
		`<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">&apos;it&apos;&apos;s&apos;!$A$1:$A$1</definedName>`,
	} {
		if !strings.Contains(wb, want) {
			t.Errorf("workbook lacks %s", want)
		}
	}
	if !strings.Contains(string(readPart(t, zr, "xl/styles.xml")), "<b/>") {
		t.Error("styles have no bold font")
	}
}

func TestColumnWidths(t *testing.T) {
	s := Sheet{
		Header: []string{"序号", "案件名称", "说明", "x"},
		Rows: [][]Cell{
			{Int(10), Str("张某某涉嫌盗窃案"), Str(strings.Repeat("长", 40)), Str("y")},
			{Int(11), Str("短"), Str("多行\n文本"), Str("z")},
		},
		Widths: []float64{0, 0, 0, 12.5},
	}
	got := columnWidths(s, 5)
	want := []float64{minWidth, 8*2 + padWidth, maxWidth, 12.5, minWidth}
	if !slices.Equal(got, want) {
		t.Errorf("columnWidths = %v, want %v", got, want)
	}
}

func TestWriteErrors(t *testing.T) {
	ok := Sheet{Name: "案件"}
	for _, tc := range []struct {
		name   string
		sheets []Sheet
		want   error
	}{
		{"none", nil, ErrNoSheets},
		{"empty name", []Sheet{{}}, ErrSheetName},
		{"32 chars", []Sheet{{Name: strings.Repeat("案", 32)}}, ErrSheetName},
		{"slash", []Sheet{{Name: "2026/03"}}, ErrSheetName},
		{"bracket", []Sheet{{Name: "[台账]"}}, ErrSheetName},
		{"colon", []Sheet{{Name: "a:b"}}, ErrSheetName},
		{"star", []Sheet{{Name: "a*"}}, ErrSheetName},
		{"question", []Sheet{{Name: "a?"}}, ErrSheetName},
		{"backslash", []Sheet{{Name: `a\b`}}, ErrSheetName},
		{"leading apostrophe", []Sheet{{Name: "'a"}}, ErrSheetName},
		{"control char", []Sheet{{Name: "a\tb"}}, ErrSheetName},
		{"invalid utf-8", []Sheet{{Name: "a\xffb"}}, ErrSheetName},
		{"duplicate", []Sheet{ok, ok}, ErrDuplicateSheet},
		{"duplicate ignoring case", []Sheet{{Name: "Sheet"}, {Name: "SHEET"}}, ErrDuplicateSheet},
		{"NaN", []Sheet{{Name: "a", Rows: [][]Cell{{Float(math.NaN())}}}}, ErrNumber},
		{"Inf", []Sheet{{Name: "a", Rows: [][]Cell{{Str("x"), Float(math.Inf(-1))}}}}, ErrNumber},
		{"too wide", []Sheet{{Name: "a", Header: make([]string, maxCols+1)}}, ErrTooLarge},
	} {
		var buf bytes.Buffer
		err := Write(&buf, tc.sheets...)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tc.name, buf.Len())
		}
	}
	if err := Write(io.Discard, Sheet{Name: strings.Repeat("案", 31)}); err != nil {
		t.Errorf("31-character name: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(write(t, wideSheet()), write(t, wideSheet())) {
		t.Error("same input gave different bytes")
	}
}

func TestEmptySheets(t *testing.T) {
	b := write(t, Sheet{Name: "空"}, Sheet{Name: "仅标题", Title: "标题"})
	checkWellFormed(t, openZip(t, b))
	rows, err := ReadSheet(bytes.NewReader(b), int64(len(b)), 0)
	if err != nil || len(rows) != 0 {
		t.Errorf("empty sheet = %q, %v", rows, err)
	}
	rows, err = ReadSheet(bytes.NewReader(b), int64(len(b)), 1)
	if err != nil || len(rows) != 1 || rows[0][0] != "标题" {
		t.Errorf("title-only sheet = %q, %v", rows, err)
	}
}

func TestCellTextLimit(t *testing.T) {
	long := strings.Repeat("a", maxCellChars-1) + "🙂" // the emoji is two UTF-16 units
	if got := cellText(long); got != long[:maxCellChars-1] {
		t.Errorf("cut at %d bytes, want %d", len(got), maxCellChars-1)
	}
	if s := strings.Repeat("案", maxCellChars); cellText(s) != s {
		t.Error("text at the limit was cut")
	}
}

// TestReadSheetSharedStrings reads the layout Excel itself writes: shared
// strings (plain and rich), skipped rows and cells, booleans.
func TestReadSheetSharedStrings(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"xl/workbook.xml": `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets>` +
			`<sheet name="A" sheetId="1" r:id="rId7"/><sheet name="B" sheetId="2" r:id="rId3"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="` + nsRels + `">` +
			`<Relationship Id="rId3" Type="` + relWS + `" Target="/xl/worksheets/data.xml"/>` +
			`<Relationship Id="rId7" Type="` + relWS + `" Target="worksheets/other.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<sst xmlns="` + nsMain + `"><si><t>案件</t></si>` +
			`<si><r><t>监</t></r><r><rPr><b/></rPr><t>督</t></r><rPh><t>x</t></rPh></si><si><t>a_x000D_b</t></si></sst>`,
		"xl/worksheets/data.xml": `<worksheet xmlns="` + nsMain + `"><sheetData>` +
			`<row r="2"><c r="B2" t="s"><v>1</v></c><c r="D2" t="b"><v>1</v></c></row>` +
			`<row><c t="s"><v>0</v></c><c><v>2.5</v></c><c t="s"><v>2</v></c></row></sheetData></worksheet>`,
		"xl/worksheets/other.xml": `<worksheet xmlns="` + nsMain + `"><sheetData/></worksheet>`,
	} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{nil, {"", "监督", "", "1"}, {"案件", "2.5", "a\rb"}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("ReadSheet = %q, want %q", rows, want)
	}
}

// FuzzWrite checks that any cell text yields well-formed parts and reads
// back as its sanitised form, wherever it appears.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"", "案件名称", `<&>"'`, "a\x00b\x1f", "🙂", "_x0041_", "_x005F_x0041_", "\r\n\t", "\xff\xfe", "\uFFFE\uFFFF", "]]>", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var buf bytes.Buffer
		err := Write(&buf, Sheet{
			Name:   "S",
			Title:  text,
			Header: []string{text, "h"},
			Rows:   [][]Cell{{Str(text), Int(1), Str(text)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkWellFormed(t, openZip(t, buf.Bytes()))
		rows, err := ReadSheet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
		if err != nil {
			t.Fatal(err)
		}
		want := cellText(text)
		top := 0 // an empty title takes no row
		if text != "" {
			top = 1
		}
		at := func(r, c int) string {
			if r < len(rows) && c < len(rows[r]) {
				return rows[r][c]
			}
			return ""
		}
		if got := at(0, 0); top == 1 && got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
		for _, rc := range [][2]int{{top, 0}, {top + 1, 0}, {top + 1, 2}} {
			if got := at(rc[0], rc[1]); got != want {
				t.Errorf("cell %v = %q, want %q", rc, got, want)
			}
		}
		if at(top, 1) != "h" || at(top+1, 1) != "1" {
			t.Errorf("neighbouring cells disturbed: %q", rows)
		}
	})
}
