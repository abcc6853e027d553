package casecard

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var utf8BOM = []byte("\xEF\xBB\xBF")

// looksLikeCSV rejects binary files and markup before they are read as
// text: a NUL byte never occurs in UTF-8 or GB18030 text, and a file
// starting with "<" is HTML or XML, such as the web-page tables some
// systems export under an .xls name.
func looksLikeCSV(data []byte) bool {
	head := data[:min(len(data), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	return len(head) == 0 || head[0] != '<'
}

// decodeCSV returns the text of a CSV file and its format. Valid UTF-8
// (after an optional byte order mark) is taken as UTF-8: GB18030 text of
// any length is almost never valid UTF-8. Anything else is decoded as
// GB18030, which Excel on Chinese Windows writes ("CSV (逗号分隔)"); if that
// yields replacement or control characters the file is in neither.
func decodeCSV(data []byte) ([]byte, string, error) {
	if rest, ok := bytes.CutPrefix(data, utf8BOM); ok || utf8.Valid(data) {
		if !utf8.Valid(rest) {
			return nil, "", fileError(keyEncoding, nil)
		}
		return rest, FormatCSVUTF8, nil
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) || bytes.IndexFunc(text, isControl) >= 0 {
		return nil, "", fileError(keyEncoding, err)
	}
	return text, FormatCSVGB18030, nil
}

// readCSV decodes the file and hands each record to p.row.
func (p *parser) readCSV(data []byte) error {
	text, format, err := decodeCSV(data)
	if err != nil {
		return err
	}
	p.pv.Format = format
	return csvRows(text, func(num int, cells []string) error { return p.row(num, cells, nil) })
}

// csvRows calls fn with each record and the row number a spreadsheet
// program shows for it. encoding/csv skips empty lines, which Excel shows
// as empty rows, and a quoted field may span lines, so the row number is
// counted from the line breaks consumed rather than taken from either.
func csvRows(text []byte, fn func(num int, cells []string) error) error {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1 // a short or long row is reported by cell, not refused
	r.LazyQuotes = false   // a stray quote is a broken file, not data to guess at
	r.ReuseRecord = true
	row := 0
	var prev int64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fileError(keyCSVSyntax, err, pe.StartLine)
			}
			return fileError(keyCSVSyntax, err, row+1)
		}
		off := r.InputOffset()
		breaks := bytes.Count(text[prev:off], []byte{'\n'})
		for _, f := range rec {
			breaks -= strings.Count(f, "\n")
		}
		row += 1 + max(0, breaks-1) // the record's own line break, then one empty row per skipped line
		prev = off
		if err := fn(row, rec); err != nil {
			return err
		}
	}
}
