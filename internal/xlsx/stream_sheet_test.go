package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// streamChunked reads data with the given chunk size (0: the default).
func streamChunked(data []byte, limits Limits, chunk, maxRow int) ([]streamRow, error) {
	s, err := OpenStream(bytes.NewReader(data), int64(len(data)), limits)
	if err != nil {
		return nil, err
	}
	if chunk > 0 {
		s.chunk = chunk
	}
	if maxRow > 0 {
		s.maxRow = maxRow
	}
	var out []streamRow
	err = s.Rows(func(n int, cells []string, info []CellInfo) error {
		out = append(out, streamRow{n, slices.Clone(cells), slices.Clone(info)})
		return nil
	})
	return out, err
}

// trickySheet holds what could mislead a search for row ends: "</row>"
// in comments, CDATA and processing instructions, ">" in attribute
// values, prefixed and self-closing rows, rows without numbers.
func trickySheet(t testing.TB, rows int) []byte {
	var b strings.Builder
	for i := 1; i <= rows; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `<x:row r="%d" x14ac:dyDescent="0.25"/><!-- </x:row> <x:row> -->`, i)
		case 1:
			fmt.Fprintf(&b, `<x:row><x:c r="A%d" t="inlineStr"><x:is><x:t><![CDATA[</x:row><x:row r="1">]]></x:t></x:is></x:c>`+
				`<x:c t="inlineStr"><x:is><x:t>a &gt; b &amp; &lt;/x:row&gt;</x:t></x:is></x:c></x:row>`, i)
		case 2:
			fmt.Fprintf(&b, `<x:row r="%d" note='a>b' ><?pi </x:row> ?><x:c r="C%d"><x:v>%d</x:v></x:c></x:row >`, i, i, i)
		default:
			fmt.Fprintf(&b, "<x:row r=\"%d\">\n  <x:c r=\"B%d\" t=\"s\"><x:v>%d</x:v></x:c>\n</x:row>\n", i, i, i%4)
		}
	}
	return handWorkbook(t, b.String())
}

// However the sheet is cut into chunks, the rows read are the same. (Of
// the 400 rows, the self-closing ones and those whose only cell is the
// empty shared string hold nothing and are not reported.)
func TestRowsChunking(t *testing.T) {
	data := trickySheet(t, 400)
	want, err := streamChunked(data, Limits{}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 280 || want[0].cells[0] != "</x:row><x:row r=\"1\">" || want[0].cells[1] != "a > b & </x:row>" {
		t.Fatalf("%d rows, first %q", len(want), want[0].cells)
	}
	for _, chunk := range []int{1, 7, 64, 500, 4096} {
		got, err := streamChunked(data, Limits{}, chunk, 0)
		if err != nil {
			t.Fatalf("chunk %d: %v", chunk, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunk %d: rows differ", chunk)
		}
	}
}

func TestRowsSheetErrors(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		maxRow int
		want   error
	}{
		// The deflate stream is whole, the XML inside it is not.
		{"xml cut inside the data", nil, 0, ErrTruncated}, // built below
		{"no row end", handWorkbook(t, `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>`+strings.Repeat("x", 300000)+`</x:t></x:is></x:c></x:row>`), 4096, ErrPartTooLarge},
		{"huge comment", handWorkbook(t, `<!--`+strings.Repeat("-", 300000)), 4096, ErrPartTooLarge},
	}
	// Rebuild the first case by hand: handWorkbook closes sheetData.
	cases[0].data = zipParts(t,
		"xl/workbook.xml", testWorkbook,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/worksheets/data.xml", `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, chunk := range []int{0, 16} {
				if _, err := streamChunked(c.data, Limits{}, chunk, c.maxRow); !errors.Is(err, c.want) {
					t.Errorf("chunk %d: err = %v, want %v", chunk, err, c.want)
				}
			}
		})
	}
	// A sheet without sheetData (a chart sheet first, say) has no rows.
	data := zipParts(t,
		"xl/workbook.xml", testWorkbook,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/worksheets/data.xml", `<chartsheet/>`)
	if rows, err := streamAll(data, Limits{}); err != nil || len(rows) != 0 {
		t.Errorf("chart sheet: %v, %v", rows, err)
	}
}

// Stopping early, by the callback or a limit, leaves no goroutine behind.
func TestRowsStopsCleanly(t *testing.T) {
	var rows [][]Cell
	for i := range 5000 {
		rows = append(rows, []Cell{Str(strings.Repeat("行", i%50)), Int(i)})
	}
	data := write(t, Sheet{Name: "a", Rows: rows})
	before := runtime.NumGoroutine()
	stop := errors.New("stop")
	for _, chunk := range []int{0, 256} {
		n := 0
		s, err := OpenStream(bytes.NewReader(data), int64(len(data)), Limits{MaxRows: 3000})
		if err != nil {
			t.Fatal(err)
		}
		if chunk > 0 {
			s.chunk = chunk
		}
		if err := s.Rows(func(int, []string, []CellInfo) error {
			if n++; n == 100 {
				return stop
			}
			return nil
		}); err != stop {
			t.Errorf("err = %v, want stop", err)
		}
		if _, err := streamChunked(data, Limits{MaxRows: 3000}, chunk, 0); !errors.Is(err, ErrTooManyRows) {
			t.Errorf("err = %v, want ErrTooManyRows", err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running, %d before", n, before)
	}
}

// FuzzRowsChunked: cutting the sheet into tiny chunks never changes the
// rows of a sheet that reads without error both ways.
func FuzzRowsChunked(f *testing.F) {
	f.Add([]byte(`<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c></x:row><!-- </x:row> -->`))
	f.Add([]byte(`<x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[</x:row>]]></x:t></x:is></x:c></x:row><x:row a='>'/>`))
	f.Add([]byte(`<x:row r="3"><?p </x:row>?><x:c r="B3"><x:v>4</x:v></x:c></x:row>`))
	f.Fuzz(func(t *testing.T, sheetData []byte) {
		data := handWorkbook(t, string(sheetData))
		whole, err1 := streamChunked(data, Limits{MaxPartBytes: 1 << 20}, 0, 0)
		cut, err2 := streamChunked(data, Limits{MaxPartBytes: 1 << 20}, 3, 0)
		if err1 == nil && err2 == nil && !reflect.DeepEqual(whole, cut) {
			t.Fatalf("rows differ:\n%v\n%v", whole, cut)
		}
	})
}
