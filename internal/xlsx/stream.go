package xlsx

import (
	"archive/zip"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/ooxml"
)

// The streaming reader below is for files users upload, which may be
// damaged, hostile or simply not spreadsheets. Unlike ReadSheet it never
// decodes a whole part into memory: the worksheet is read token by token
// and handed over one row at a time, and every part read is capped so
// that a small zip cannot inflate into gigabytes (a zip bomb).

// Errors returned by the streaming reader, wrapped with detail. Callers
// tell them apart with errors.Is to explain the problem to the user.
var (
	// ErrNotXLSX: the data is not a zip file, or a zip file without a
	// workbook (a .docx, a legacy .xls, a renamed CSV…).
	ErrNotXLSX = errors.New("xlsx: not an xlsx workbook")
	// ErrTruncated: the data starts as a zip file but ends early, as an
	// interrupted upload or download leaves it.
	ErrTruncated = errors.New("xlsx: file is truncated")
	// ErrCorrupt: a part cannot be decompressed or is not well-formed
	// SpreadsheetML.
	ErrCorrupt = errors.New("xlsx: file is damaged")
	// ErrPartTooLarge: a part inflates beyond Limits.MaxPartBytes.
	ErrPartTooLarge = errors.New("xlsx: part too large when decompressed")
	// ErrTooManyRows: a row beyond Limits.MaxRows holds a value.
	ErrTooManyRows = errors.New("xlsx: too many rows")
	// ErrTooManyColumns: a column beyond Limits.MaxCols holds a value.
	ErrTooManyColumns = errors.New("xlsx: too many columns")
	// ErrTooManyStrings: the shared string table exceeds
	// Limits.MaxSharedStrings entries.
	ErrTooManyStrings = errors.New("xlsx: too many shared strings")
)

// Default limits, used for zero fields of Limits.
const (
	DefaultMaxPartBytes     = 400 << 20
	DefaultMaxRows          = maxRows
	DefaultMaxCols          = maxCols
	DefaultMaxSharedStrings = 8 << 20
)

// Limits bound the work and memory of reading one file. A zero field
// takes its default.
type Limits struct {
	// MaxPartBytes caps the decompressed size of every part read (the
	// workbook, its relationships, the shared strings and the sheet).
	MaxPartBytes int64
	// MaxRows is the highest row number that may hold a value; empty
	// rows, which carry only formatting, are not counted.
	MaxRows int
	// MaxCols is the number of columns that may hold values.
	MaxCols int
	// MaxSharedStrings caps the entries of the shared string table, the
	// one structure held in memory; each costs a string header even when
	// empty, so the part size alone does not bound it.
	MaxSharedStrings int
}

func (l Limits) withDefaults() Limits {
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = DefaultMaxPartBytes
	}
	if l.MaxRows <= 0 || l.MaxRows > maxRows {
		l.MaxRows = DefaultMaxRows
	}
	if l.MaxCols <= 0 || l.MaxCols > maxCols {
		l.MaxCols = DefaultMaxCols
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = DefaultMaxSharedStrings
	}
	return l
}

// CellType is what a stored cell holds, from its t attribute.
type CellType uint8

// Cell types. Cells that are not stored read as CellString with no text.
const (
	CellString CellType = iota // shared, inline or formula string
	CellNumber                 // a number as stored, e.g. "3" or "46085.5" (dates are numbers too)
	CellBool                   // "1" or "0"
	CellError                  // an error value such as "#N/A"
	CellDate                   // an ISO 8601 date or time (t="d", rare)
)

// CellInfo describes one cell beyond its text.
type CellInfo struct {
	Type CellType
	// Formula is set when the cell holds a formula (an <f> element); the
	// text is then the value the writing program last calculated.
	Formula bool
}

// RowFunc receives one row: its one-based number and the cells from
// column A up to the last one holding a value, with info parallel to
// cells. Both slices may be reused once fn returns, so fn must copy what
// it keeps (the strings themselves may be kept). An error from fn stops
// the reading and is returned as is. fn is called from one goroutine at a
// time, in row order.
type RowFunc func(rowNum int, cells []string, info []CellInfo) error

// Stream is an opened workbook whose first worksheet can be read row by
// row. Opening reads the workbook, its relationships and the shared
// string table; the worksheet is read by Rows.
type Stream struct {
	zr       *zip.Reader
	limits   Limits
	sheet    *zip.File
	shared   []string
	date1904 bool
	chunk    int // bytes of sheet XML per parallel chunk; see Rows
	maxRow   int // bytes of sheet XML that may pass without a row end
}

// Rows calls fn for each row of the first worksheet (in tab order) of the
// .xlsx file in r, which is size bytes long, that holds at least one cell
// with a value, a formula or an error. Rows come in order; rows and cells
// that are not stored are skipped, so the row numbers may jump and a
// missing cell reads as "". A sheet whose XML stops inside its data is
// ErrTruncated, even when the zip file itself is whole.
func Rows(r io.ReaderAt, size int64, limits Limits, fn RowFunc) error {
	s, err := OpenStream(r, size, limits)
	if err != nil {
		return err
	}
	return s.Rows(fn)
}

// OpenStream opens the .xlsx file in r, which is size bytes long, and
// reads what is needed to stream its first worksheet.
func OpenStream(r io.ReaderAt, size int64, limits Limits) (*Stream, error) {
	s := &Stream{limits: limits.withDefaults(), chunk: chunkBytes, maxRow: maxRowBytes}
	zr, err := zip.NewReader(r, size)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // names such as "../x" are harmless: parts are looked up, never extracted
	}
	if err != nil {
		var magic [4]byte
		if n, _ := r.ReadAt(magic[:], 0); n == 4 && string(magic[:]) == "PK\x03\x04" {
			// A local file header but no readable central directory,
			// which sits at the end: the file was cut short.
			return nil, fmt.Errorf("%w: %v", ErrTruncated, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotXLSX, err)
	}
	s.zr = zr
	wbPath := "xl/workbook.xml"
	if rels, err := s.rels("_rels/.rels"); err != nil {
		return nil, err
	} else if t, ok := rels.byType("/officeDocument"); ok {
		wbPath = resolve("", t)
	}
	rid, err := s.readWorkbook(wbPath)
	if err != nil {
		return nil, err
	}
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	rels, err := s.rels(relsPath)
	if err != nil {
		return nil, err
	}
	target, ok := rels.byID(rid)
	if !ok {
		return nil, fmt.Errorf("%w: no relationship %q for the first sheet", ErrCorrupt, rid)
	}
	if s.sheet = s.file(resolve(path.Dir(wbPath), target)); s.sheet == nil {
		return nil, fmt.Errorf("%w: sheet part %q missing", ErrCorrupt, target)
	}
	if t, ok := rels.byType("/sharedStrings"); ok {
		if err := s.readShared(resolve(path.Dir(wbPath), t)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Date1904 reports whether the workbook counts dates from 1904 (old Mac
// files) rather than 1900; see SerialDate.
func (s *Stream) Date1904() bool { return s.date1904 }

// file finds a part. Part names are case-insensitive (ECMA-376 part 2
// §6.2.2.3) and some producers disagree with their own relationships on
// case, so the lookup ignores it.
func (s *Stream) file(name string) *zip.File {
	for _, f := range s.zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// open opens a part for reading, capped at MaxPartBytes.
func (s *Stream) open(f *zip.File) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(s.limits.MaxPartBytes) {
		return nil, fmt.Errorf("%w: %s declares %d bytes", ErrPartTooLarge, f.Name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, classify(f.Name, err)
	}
	// The declared size cannot be trusted, so the bytes are counted too.
	return &capReader{rc: rc, left: s.limits.MaxPartBytes, name: f.Name}, nil
}

// capReader fails with ErrPartTooLarge once more than left bytes come out.
type capReader struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, err := c.rc.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: %s", ErrPartTooLarge, c.name)
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *capReader) Close() error { return c.rc.Close() }

// classify maps the errors of decompression and XML parsing onto the
// exported kinds, keeping the detail.
func classify(part string, err error) error {
	var syntax *xml.SyntaxError
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, ErrPartTooLarge), errors.Is(err, ErrTooManyRows),
		errors.Is(err, ErrTooManyColumns), errors.Is(err, ErrTooManyStrings),
		errors.Is(err, ErrCorrupt), errors.Is(err, ErrTruncated):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s: %v", ErrTruncated, part, err)
	case errors.As(err, &syntax), errors.As(err, &corrupt),
		errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm):
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, part, err)
	}
	return fmt.Errorf("xlsx: %s: %w", part, err)
}

// tokens calls fn for each token of part name. A missing part is reported
// as missing (false) with no error, for optional parts. fn returns false
// to stop early.
func (s *Stream) tokens(name string, fn func(xml.Token) (bool, error)) (found bool, err error) {
	f := s.file(name)
	if f == nil {
		return false, nil
	}
	rc, err := s.open(f)
	if err != nil {
		return true, err
	}
	defer rc.Close()
	// RawToken skips namespace resolution and end-tag matching, which
	// this reader does not need (elements are known by local name) and
	// which are a large share of encoding/xml's cost on big sheets.
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, classify(name, err)
		}
		more, err := fn(tok)
		if err != nil {
			return true, err
		}
		if !more {
			return true, nil
		}
	}
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// relationships of one part, in file order.
type relationships []struct{ id, typ, target string }

func (r relationships) byID(id string) (string, bool) {
	for _, x := range r {
		if x.id == id {
			return x.target, true
		}
	}
	return "", false
}

// byType finds the first relationship whose type ends with suffix: the
// transitional and strict namespaces differ only in their prefix.
func (r relationships) byType(suffix string) (string, bool) {
	for _, x := range r {
		if strings.HasSuffix(x.typ, suffix) {
			return x.target, true
		}
	}
	return "", false
}

func (s *Stream) rels(name string) (relationships, error) {
	var out relationships
	_, err := s.tokens(name, func(tok xml.Token) (bool, error) {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" {
			return true, nil
		}
		if mode, _ := attr(e, "TargetMode"); mode == "External" {
			return true, nil
		}
		id, _ := attr(e, "Id")
		typ, _ := attr(e, "Type")
		target, _ := attr(e, "Target")
		if len(out) >= 10000 { // a workbook relates a handful of parts
			return false, fmt.Errorf("%w: %s has too many relationships", ErrCorrupt, name)
		}
		out = append(out, struct{ id, typ, target string }{id, typ, target})
		return true, nil
	})
	return out, err
}

// resolve turns a relationship target into a part name: absolute targets
// start at the package root, others are relative to the source's folder.
func resolve(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Join(dir, target)
}

// readWorkbook returns the relationship id of the first sheet and notes
// the date system.
func (s *Stream) readWorkbook(name string) (string, error) {
	rid := ""
	found, err := s.tokens(name, func(tok xml.Token) (bool, error) {
		e, ok := tok.(xml.StartElement)
		if !ok {
			return true, nil
		}
		switch e.Name.Local {
		case "workbookPr":
			v, _ := attr(e, "date1904")
			s.date1904 = v == "1" || v == "true"
		case "sheet":
			// r:id; the prefix is bound to different namespaces in
			// transitional and strict files, and sheetId is a different
			// attribute, so the id is the namespaced "id".
			for _, a := range e.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					rid = a.Value
				}
			}
			return false, nil // the first sheet is the one read
		}
		return true, nil
	})
	switch {
	case err != nil:
		return "", err
	case !found:
		return "", fmt.Errorf("%w: no workbook part", ErrNotXLSX)
	case rid == "":
		return "", fmt.Errorf("%w: workbook lists no sheet", ErrCorrupt)
	}
	return rid, nil
}

// readShared loads the shared string table.
func (s *Stream) readShared(name string) error {
	var st stringItem
	var buf []byte
	_, err := s.tokens(name, func(tok xml.Token) (bool, error) {
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "si" {
				if len(s.shared) >= s.limits.MaxSharedStrings {
					return false, fmt.Errorf("%w: more than %d", ErrTooManyStrings, s.limits.MaxSharedStrings)
				}
				st = stringItem{in: true}
				buf = buf[:0]
				return true, nil
			}
			st.start(e.Name.Local)
		case xml.EndElement:
			if e.Name.Local == "si" && st.in {
				s.shared = append(s.shared, ooxml.UnescapeXstring(string(buf)))
				st = stringItem{}
				return true, nil
			}
			st.end(e.Name.Local)
		case xml.CharData:
			if st.inText() {
				buf = append(buf, e...)
			}
		}
		return true, nil
	})
	return err
}

// stringItem tracks where the decoder is inside a string item (<si> or
// <is>): its text is the <t> elements, directly or in runs (<r>), but not
// those of phonetic runs (<rPh>), which hold the reading of the text.
type stringItem struct {
	in       bool
	t        bool
	phonetic int
}

func (st *stringItem) start(local string) {
	switch {
	case !st.in:
	case local == "rPh":
		st.phonetic++
	case local == "t":
		st.t = true
	}
}

func (st *stringItem) end(local string) {
	switch {
	case !st.in:
	case local == "rPh" && st.phonetic > 0:
		st.phonetic--
	case local == "t":
		st.t = false
	}
}

func (st *stringItem) inText() bool { return st.in && st.t && st.phonetic == 0 }

// ColumnLetters returns the letters of the zero-based column i as Excel
// shows them: A…Z, AA…, for messages that point at a column.
func ColumnLetters(i int) string {
	if i < 0 || i >= maxCols {
		return "?"
	}
	return colName(i)
}

// SerialDate converts an Excel date serial number to the calendar date it
// shows. Day 1 is 1900-01-01 in the 1900 date system, which wrongly
// counts a 29 February 1900 as Lotus 1-2-3 did, so from day 61 on the
// epoch is 1899-12-30; in the 1904 system day 0 is 1904-01-01. A time of
// day (the fraction) is dropped. ok is false for serials that are not
// finite or fall before day 61 (1900-03-01), where the two counts differ.
func SerialDate(serial float64, date1904 bool) (day time.Time, ok bool) {
	if math.IsNaN(serial) || math.IsInf(serial, 0) || serial < 0 || serial > 2958465 { // 9999-12-31
		return time.Time{}, false
	}
	n := int(math.Floor(serial))
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
	}
	if n < 61 {
		return time.Time{}, false
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
}
