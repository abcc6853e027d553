package xlsx

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/ooxml"
)

const nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

// Cell style indexes into cellXfs in styles.
const (
	styleNormal = 0
	styleHeader = 1
	styleTitle  = 2
	styleWrap   = 3 // multi-line text, which Excel shows on one line unless wrapped
)

// layout places a sheet's optional title and header rows above its data and
// records the size that several worksheet elements refer to.
type layout struct {
	title, header int // one-based row numbers, 0 when absent
	first         int // row number of the first data row
	rows, cols    int // last row number and number of columns
}

func newLayout(s Sheet) layout {
	var l layout
	row := 0
	if s.Title != "" {
		row++
		l.title = row
	}
	if len(s.Header) > 0 {
		row++
		l.header = row
	}
	l.first = row + 1
	l.rows = row + len(s.Rows)
	l.cols = len(s.Header)
	for _, r := range s.Rows {
		l.cols = max(l.cols, len(r))
	}
	if l.cols == 0 && l.title != 0 {
		l.cols = 1
	}
	return l
}

// filterRange is the autofilter range: the header row through the last row.
func (l layout) filterRange() string {
	return cellRef(0, l.header) + ":" + cellRef(l.cols-1, l.rows)
}

// writeSheet writes the worksheet part for s. Excel rejects a worksheet
// whose elements are out of the CT_Worksheet sequence order, which is:
// dimension, sheetViews, cols, sheetData, autoFilter, mergeCells.
func writeSheet(w *ooxml.PartWriter, s Sheet) {
	l := newLayout(s)
	w.WriteString(xml.Header)
	w.WriteString(`<worksheet xmlns="` + nsMain + `">`)
	dim := "A1"
	if l.rows > 0 && l.cols > 0 {
		dim += ":" + cellRef(l.cols-1, l.rows)
	}
	w.WriteString(`<dimension ref="` + dim + `"/>`)
	writeViews(w, l)
	writeCols(w, columnWidths(s, l.cols))
	w.WriteString("<sheetData>")
	if l.title != 0 {
		writeRow(w, l.title, []Cell{Str(s.Title)}, styleTitle)
	}
	if l.header != 0 {
		header := make([]Cell, len(s.Header))
		for i, h := range s.Header {
			header[i] = Str(h)
		}
		writeRow(w, l.header, header, styleHeader)
	}
	for i, r := range s.Rows {
		writeRow(w, l.first+i, r, styleNormal)
	}
	w.WriteString("</sheetData>")
	if l.header != 0 {
		w.WriteString(`<autoFilter ref="` + l.filterRange() + `"/>`)
	}
	if l.title != 0 && l.cols > 1 { // a one-cell merge is invalid
		w.WriteString(`<mergeCells count="1"><mergeCell ref="A1:` + cellRef(l.cols-1, 1) + `"/></mergeCells>`)
	}
	w.WriteString("</worksheet>")
}

// writeViews freezes the rows down to the header so it stays visible.
func writeViews(w *ooxml.PartWriter, l layout) {
	if l.header == 0 {
		w.WriteString(`<sheetViews><sheetView workbookViewId="0"/></sheetViews>`)
		return
	}
	top := cellRef(0, l.header+1)
	w.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="` + strconv.Itoa(l.header) +
		`" topLeftCell="` + top + `" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="` +
		top + `" sqref="` + top + `"/></sheetView></sheetViews>`)
}

func writeCols(w *ooxml.PartWriter, widths []float64) {
	if len(widths) == 0 {
		return
	}
	w.WriteString("<cols>")
	for i, wd := range widths {
		n := strconv.Itoa(i + 1)
		w.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(wd, 'f', -1, 64) + `" customWidth="1"/>`)
	}
	w.WriteString("</cols>")
}

// writeRow writes row number row. Empty text cells are left out, as Excel
// does, so they do not count as content.
func writeRow(w *ooxml.PartWriter, row int, cells []Cell, style int) {
	w.WriteString(`<row r="` + strconv.Itoa(row) + `">`)
	for i, c := range cells {
		if c.IsNum {
			w.WriteString(`<c r="` + cellRef(i, row) + `"><v>` + formatNumber(c.Num) + `</v></c>`)
			continue
		}
		text := cellText(c.Text)
		if text == "" {
			continue
		}
		s := style
		if s == styleNormal && strings.ContainsAny(text, "\r\n") {
			s = styleWrap
		}
		w.WriteString(`<c r="` + cellRef(i, row) + `"`)
		if s != styleNormal {
			w.WriteString(` s="` + strconv.Itoa(s) + `"`)
		}
		w.WriteString(` t="inlineStr"><is><t xml:space="preserve">`)
		ooxml.WriteXstring(w, text)
		w.WriteString(`</t></is></c>`)
	}
	w.WriteString("</row>")
}

// display is the cell as text, for width estimates.
func (c Cell) display() string {
	if c.IsNum {
		return formatNumber(c.Num)
	}
	return c.Text
}

// formatNumber writes f as an xsd:double. Plain decimals are used over the
// usual magnitudes so that readers comparing text see "1234567", not
// "1.234567e+06".
func formatNumber(f float64) string {
	if a := math.Abs(f); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
