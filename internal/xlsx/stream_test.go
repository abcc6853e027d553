package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"
)

// streamRow is one row as RowFunc saw it, copied.
type streamRow struct {
	num   int
	cells []string
	info  []CellInfo
}

func streamAll(data []byte, limits Limits) ([]streamRow, error) {
	var out []streamRow
	err := Rows(bytes.NewReader(data), int64(len(data)), limits, func(n int, cells []string, info []CellInfo) error {
		out = append(out, streamRow{n, slices.Clone(cells), slices.Clone(info)})
		return nil
	})
	return out, err
}

// zipParts builds a zip of the given name, body pairs.
func zipParts(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	testWorkbook = `<?xml version="1.0"?><workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheets><sheet name="甲" sheetId="7" r:id="rId3"/><sheet name="乙" sheetId="1" r:id="rId1"/></sheets></workbook>`
	testWorkbookRels = `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + relWS + `" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId3" Type="` + relWS + `" Target="/xl/worksheets/Data.xml"/>` +
		`<Relationship Id="rId9" Type="` + nsRel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
)

// handWorkbook is a workbook as other programs write it: the first tab is
// not sheet1.xml, text is in a shared string table with rich and phonetic
// runs, and cells carry formulas, errors and booleans.
func handWorkbook(t testing.TB, sheetData string) []byte {
	t.Helper()
	sst := `<sst xmlns="` + nsMain + `"><si><t>部门受案号</t></si>` +
		`<si><r><t>案件</t></r><r><rPr><b/></rPr><t xml:space="preserve">名称 </t></r><rPh sb="0" eb="1"><t>アン</t></rPh></si>` +
		`<si><t>a_x0041_b</t></si><si/></sst>`
	return zipParts(t,
		"xl/workbook.xml", testWorkbook,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/sharedStrings.xml", sst,
		"xl/worksheets/sheet1.xml", `<worksheet xmlns="`+nsMain+`"><sheetData><row r="1"><c r="A1"><v>999</v></c></row></sheetData></worksheet>`,
		"xl/worksheets/data.xml", `<x:worksheet xmlns:x="`+nsMain+`"><x:sheetData>`+sheetData+`</x:sheetData></x:worksheet>`,
	)
}

func TestRowsWrittenWorkbook(t *testing.T) {
	data := write(t, Sheet{
		Name:   "案卡",
		Header: []string{"部门受案号", "案件名称", "次数"},
		Rows: [][]Cell{
			{Str("某检刑审受〔2026〕1号"), Str(""), Int(2)},
			{},
			{Str("=1+1"), Str("a<b>&\"c\" _x0041_"), Float(1.5)},
		},
	}, Sheet{Name: "second", Rows: [][]Cell{{Str("not read")}}})
	rows, err := streamAll(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []streamRow{
		{1, []string{"部门受案号", "案件名称", "次数"}, []CellInfo{{}, {}, {}}},
		{2, []string{"某检刑审受〔2026〕1号", "", "2"}, []CellInfo{{}, {}, {Type: CellNumber}}},
		{4, []string{"=1+1", `a<b>&"c" _x0041_`, "1.5"}, []CellInfo{{}, {}, {Type: CellNumber}}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i := range want {
		if rows[i].num != want[i].num || !slices.Equal(rows[i].cells, want[i].cells) || !slices.Equal(rows[i].info, want[i].info) {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestRowsSharedStringsFormulasAndTypes(t *testing.T) {
	data := handWorkbook(t, `<x:row r="2" spans="1:5"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="C2" t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>`+
		`<x:row r="3" customHeight="1"/>`+ // formatting only: not reported
		`<x:row r="5"><x:c r="B5" s="3"/><x:c r="C5"><x:f>SUM(A1:A4)</x:f><x:v>10</x:v></x:c>`+
		`<x:c r="D5" t="e"><x:v>#N/A</x:v></x:c><x:c r="E5" t="b"><x:v>1</x:v></x:c><x:c r="F5" t="str"><x:f t="shared" si="0"/><x:v></x:v></x:c></x:row>`+
		`<x:row><x:c r="A6" t="inlineStr"><x:is><x:t>行内</x:t></x:is></x:c><x:c r="B6" t="d"><x:v>2026-03-04T00:00:00</x:v></x:c><x:c r="C6" t="s"><x:v>3</x:v></x:c></x:row>`)
	rows, err := streamAll(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []streamRow{
		{2, []string{"部门受案号", "", "案件名称 ", "aAb"}, []CellInfo{{}, {}, {}, {}}},
		{5, []string{"", "", "10", "#N/A", "1", ""}, []CellInfo{{}, {}, {Type: CellNumber, Formula: true}, {Type: CellError}, {Type: CellBool}, {Formula: true}}},
		{6, []string{"行内", "2026-03-04T00:00:00"}, []CellInfo{{}, {Type: CellDate}}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i := range want {
		if rows[i].num != want[i].num || !slices.Equal(rows[i].cells, want[i].cells) || !slices.Equal(rows[i].info, want[i].info) {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestRowsDate1904(t *testing.T) {
	data := zipParts(t,
		"xl/workbook.xml", `<workbook xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><workbookPr date1904="1"/><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships xmlns="`+nsRels+`"><Relationship Id="rId1" Type="`+relWS+`" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", `<worksheet xmlns="`+nsMain+`"><sheetData/></worksheet>`,
	)
	s, err := OpenStream(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Date1904() {
		t.Error("date1904 not seen")
	}
	if err := s.Rows(func(int, []string, []CellInfo) error { t.Error("row in an empty sheet"); return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestRowsErrors(t *testing.T) {
	valid := write(t, Sheet{Name: "a", Rows: [][]Cell{{Str("x"), Str("y")}, {Str("z")}}})
	flipped := slices.Clone(valid)
	// Damage the compressed bytes of the last part (the sheet) but not
	// the zip directory that follows them.
	zr := openZip(t, valid)
	last := zr.File[len(zr.File)-1]
	off, err := last.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	for i := off; i < off+int64(last.CompressedSize64); i++ {
		flipped[i] ^= 0x5A
	}
	cases := []struct {
		name   string
		data   []byte
		limits Limits
		want   error
	}{
		{"not a zip", []byte("部门受案号,案件类别\n1,审查逮捕\n"), Limits{}, ErrNotXLSX},
		{"empty", nil, Limits{}, ErrNotXLSX},
		{"legacy xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of a compound file"), Limits{}, ErrNotXLSX},
		{"zip without workbook", zipParts(t, "word/document.xml", "<w:document/>"), Limits{}, ErrNotXLSX},
		{"truncated", valid[:len(valid)/2], Limits{}, ErrTruncated},
		{"damaged deflate", flipped, Limits{}, ErrCorrupt},
		{"bad xml", handWorkbook(t, `<x:row r="1"><x:c r="A1"><x:v>1</x:row>&bogus;`), Limits{}, ErrCorrupt},
		{"bad shared index", handWorkbook(t, `<x:row r="1"><x:c r="A1" t="s"><x:v>99</x:v></x:c></x:row>`), Limits{}, ErrCorrupt},
		{"rows out of order", handWorkbook(t, `<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row><x:row r="1"/>`), Limits{}, ErrCorrupt},
		{"cells out of order", handWorkbook(t, `<x:row r="1"><x:c r="B1"><x:v>1</x:v></x:c><x:c r="A1"><x:v>1</x:v></x:c></x:row>`), Limits{}, ErrCorrupt},
		{"bad cell ref", handWorkbook(t, `<x:row r="1"><x:c r="1A"><x:v>1</x:v></x:c></x:row>`), Limits{}, ErrCorrupt},
		{"too many rows", valid, Limits{MaxRows: 1}, ErrTooManyRows},
		{"too many columns", valid, Limits{MaxCols: 1}, ErrTooManyColumns},
		{"too many strings", handWorkbook(t, ""), Limits{MaxSharedStrings: 3}, ErrTooManyStrings},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := streamAll(c.data, c.limits)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// A part that inflates past the limit is refused while streaming, whether
// its header tells the truth about its size or not.
func TestRowsZipBomb(t *testing.T) {
	const limit = 1 << 20
	// 4 MiB of one byte deflates to a few kilobytes.
	body := `<worksheet xmlns="` + nsMain + `"><sheetData>` + strings.Repeat(" ", 4<<20) + `</sheetData></worksheet>`
	honest := zipParts(t,
		"xl/workbook.xml", testWorkbook,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/worksheets/data.xml", body)
	if len(honest) > 100<<10 {
		t.Fatalf("test file is %d bytes, not a bomb", len(honest))
	}
	if _, err := streamAll(honest, Limits{MaxPartBytes: limit}); !errors.Is(err, ErrPartTooLarge) {
		t.Errorf("honest header: err = %v, want ErrPartTooLarge", err)
	}
	// Under the default limit the same file reads (as an empty sheet).
	if rows, err := streamAll(honest, Limits{}); err != nil || len(rows) != 0 {
		t.Errorf("default limit: rows %v, err %v", rows, err)
	}

	// The same part with a header claiming it is tiny.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range [][2]string{{"xl/workbook.xml", testWorkbook}, {"xl/_rels/workbook.xml.rels", testWorkbookRels}} {
		w, _ := zw.Create(p[0])
		w.Write([]byte(p[1]))
	}
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write([]byte(body))
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/data.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE([]byte(body)), CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	zw.Close()
	if _, err := streamAll(buf.Bytes(), Limits{MaxPartBytes: limit}); !errors.Is(err, ErrPartTooLarge) && !errors.Is(err, ErrCorrupt) {
		t.Errorf("lying header: err = %v, want ErrPartTooLarge or ErrCorrupt", err)
	}
}

func TestRowsCallbackError(t *testing.T) {
	stop := errors.New("stop")
	data := write(t, Sheet{Name: "a", Rows: [][]Cell{{Str("x")}, {Str("y")}}})
	n := 0
	err := Rows(bytes.NewReader(data), int64(len(data)), Limits{}, func(int, []string, []CellInfo) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err = %v after %d rows, want stop after 1", err, n)
	}
}

func TestSerialDate(t *testing.T) {
	cases := []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{46085, false, "2026-03-04"},
		{46085.75, false, "2026-03-04"},
		{61, false, "1900-03-01"},
		{32874, false, "1990-01-01"},
		{44623, true, "2026-03-04"},
		{0, true, "1904-01-01"},
	}
	for _, c := range cases {
		d, ok := SerialDate(c.serial, c.d1904)
		if !ok || d.Format(time.DateOnly) != c.want {
			t.Errorf("SerialDate(%v, %v) = %v, %v; want %s", c.serial, c.d1904, d, ok, c.want)
		}
	}
	for _, bad := range []float64{-1, 60, 3e6} {
		if _, ok := SerialDate(bad, false); ok {
			t.Errorf("SerialDate(%v) accepted", bad)
		}
	}
}

func TestColumnLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 16383: "XFD", -1: "?", 16384: "?"} {
		if got := ColumnLetters(i); got != want {
			t.Errorf("ColumnLetters(%d) = %q, want %q", i, got, want)
		}
	}
}

// FuzzRows: no input panics or hangs the reader, and the rows it reports
// are in order and within the limits.
func FuzzRows(f *testing.F) {
	f.Add(write(f, Sheet{Name: "a", Header: []string{"h"}, Rows: [][]Cell{{Str("x"), Int(3)}}}))
	f.Add(handWorkbook(f, `<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c></x:row>`))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		limits := Limits{MaxPartBytes: 1 << 20, MaxRows: 100, MaxCols: 20}
		_ = Rows(bytes.NewReader(data), int64(len(data)), limits, func(n int, cells []string, info []CellInfo) error {
			if n <= last || n > 100 || len(cells) > 20 || len(cells) != len(info) {
				t.Fatalf("row %d after %d with %d cells, %d infos", n, last, len(cells), len(info))
			}
			last = n
			return nil
		})
	})
}
