// Package xlsx writes Office Open XML spreadsheets (.xlsx) for exports such
// as 流程监控台账, using only the standard library. The output is the small
// subset of ECMA-376 that Excel, WPS and LibreOffice all open without a repair
// prompt: inline strings, one bold style for titles and headers, a frozen
// header row with an autofilter, and estimated column widths.
package xlsx

import (
	"archive/zip"
	"fmt"
	"io"

	"github.com/anguan/anguan/internal/ooxml"
)

// Cell is one spreadsheet cell: text, or a number when IsNum is set.
// Identifiers such as 统一受案号 or ID card numbers must be text: Excel keeps
// only 15 significant digits of a number.
type Cell struct {
	Text  string
	Num   float64
	IsNum bool
}

// Str returns a text cell.
func Str(s string) Cell { return Cell{Text: s} }

// Int returns a numeric cell holding n.
func Int(n int) Cell { return Cell{Num: float64(n), IsNum: true} }

// Float returns a numeric cell holding f, which must be finite.
func Float(f float64) Cell { return Cell{Num: f, IsNum: true} }

// Sheet is one worksheet. Rows are laid out below the optional Title and
// Header rows; rows may have different lengths.
type Sheet struct {
	// Name is the tab name: 1–31 characters, none of []:*?/\, not starting
	// or ending with an apostrophe, unique (ignoring case) in the workbook.
	Name string
	// Title, if set, is a bold first row merged across all columns.
	Title string
	// Header, if set, is a bold row that stays visible when scrolling and
	// carries the autofilter buttons.
	Header []string
	Rows   [][]Cell
	// Widths optionally sets column widths in characters; a missing or
	// non-positive entry is estimated from the column's content.
	Widths []float64
}

// Write writes a workbook holding sheets, in order, to w. Characters that XML
// 1.0 forbids (control characters other than tab, newline and carriage
// return) are dropped from text, invalid UTF-8 becomes U+FFFD, and text
// longer than Excel's 32767-character cell limit is cut. Sheets are validated
// before anything is written, so an error leaves w untouched.
func Write(w io.Writer, sheets ...Sheet) error {
	if err := validate(sheets); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	static := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes(len(sheets))},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook(sheets)},
		{"xl/_rels/workbook.xml.rels", workbookRels(len(sheets))},
		{"xl/styles.xml", styles},
	}
	for _, p := range static {
		if err := ooxml.WritePart(zw, p.name, func(w *ooxml.PartWriter) { w.WriteString(p.body) }); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		if err := ooxml.WritePart(zw, sheetPart(i), func(w *ooxml.PartWriter) { writeSheet(w, s) }); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sheetPart is the package path of the i-th (zero-based) worksheet.
func sheetPart(i int) string { return fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1) }
