package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/ooxml"
)

// ReadSheet returns the cell texts of sheet index (zero-based, in tab order)
// of the .xlsx file in r, which is size bytes long. Element i of the result
// is spreadsheet row i+1 and cell j of a row is column j, so rows and cells
// that are not stored come back empty; each row ends at its last stored
// cell. Shared and inline strings are returned as text; other cells as the
// stored value, e.g. "3" or "1.5" for numbers and "1" for TRUE.
//
// It reads what this package and mainstream spreadsheet programs write, for
// checking exports in tests; it is not hardened against hostile files.
func ReadSheet(r io.ReaderAt, size int64, index int) ([][]string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	name, err := sheetPath(zr, index)
	if err != nil {
		return nil, err
	}
	shared, err := sharedStrings(zr)
	if err != nil {
		return nil, err
	}
	var ws struct {
		Rows []struct {
			R     int `xml:"r,attr"`
			Cells []struct {
				R  string    `xml:"r,attr"`
				T  string    `xml:"t,attr"`
				V  string    `xml:"v"`
				IS *richText `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := decodePart(zr, name, &ws); err != nil {
		return nil, err
	}
	var out [][]string
	for _, row := range ws.Rows {
		n := len(out) + 1 // the row attribute is optional; rows then follow on
		if row.R != 0 {
			n = row.R
		}
		if n <= len(out) || n > maxRows {
			return nil, fmt.Errorf("xlsx: %s: row %d out of order or range", name, n)
		}
		out = append(out, make([][]string, n-len(out))...)
		var cells []string
		for _, c := range row.Cells {
			col := len(cells)
			if c.R != "" {
				if col, err = colIndex(c.R); err != nil {
					return nil, err
				}
			}
			if col < len(cells) {
				return nil, fmt.Errorf("xlsx: %s: cell %s out of order", name, c.R)
			}
			cells = append(cells, make([]string, col-len(cells)+1)...)
			switch c.T {
			case "s":
				i, err := strconv.Atoi(c.V)
				if err != nil || i < 0 || i >= len(shared) {
					return nil, fmt.Errorf("xlsx: %s: cell %s: bad shared string index %q", name, c.R, c.V)
				}
				cells[col] = shared[i]
			case "inlineStr":
				if c.IS != nil {
					cells[col] = c.IS.text()
				}
			default:
				cells[col] = c.V
			}
		}
		out[n-1] = cells
	}
	return out, nil
}

// richText is a string item (<si> or <is>): plain text in <t>, or runs of
// formatted text each with its own <t>. Phonetic runs (<rPh>) are skipped.
type richText struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (rt richText) text() string {
	s := rt.T
	for _, r := range rt.Runs {
		s += r.T
	}
	return ooxml.UnescapeXstring(s)
}

// sheetPath finds the part holding sheet index by following the workbook's
// relationship for it, as parts need not be named sheetN.xml.
func sheetPath(zr *zip.Reader, index int) (string, error) {
	var wb struct {
		Sheets []struct {
			ID string `xml:"id,attr"` // r:id; the namespace varies between transitional and strict files
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	if index < 0 || index >= len(wb.Sheets) {
		return "", fmt.Errorf("xlsx: sheet index %d out of range, workbook has %d sheets", index, len(wb.Sheets))
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, rel := range rels.Rels {
		if rel.ID == wb.Sheets[index].ID {
			if strings.HasPrefix(rel.Target, "/") {
				return rel.Target[1:], nil
			}
			return path.Join("xl", rel.Target), nil
		}
	}
	return "", fmt.Errorf("xlsx: no relationship %q for sheet %d", wb.Sheets[index].ID, index)
}

// sharedStrings returns the shared string table, or nil if there is none
// (as in files written by this package).
func sharedStrings(zr *zip.Reader) ([]string, error) {
	var sst struct {
		Items []richText `xml:"si"`
	}
	err := decodePart(zr, "xl/sharedStrings.xml", &sst)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]string, len(sst.Items))
	for i, it := range sst.Items {
		out[i] = it.text()
	}
	return out, nil
}

func decodePart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := xml.NewDecoder(f).Decode(v); err != nil {
		return fmt.Errorf("xlsx: %s: %w", name, err)
	}
	return nil
}
