package casecard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/xlsx"
)

// Limits of an import.
const (
	// MaxFileBytes is the largest file accepted; a larger one is split.
	MaxFileBytes = 40 << 20
	// MaxRows is the most data rows a file may hold.
	MaxRows = 200000
	// MaxErrors is the most cell errors a preview lists; the rest are
	// counted in Preview.MoreErrors.
	MaxErrors = 1000
	// maxColumns bounds the columns read from a file: the layout has a
	// few dozen, so more means a file that is not a case card sheet.
	maxColumns = 256
	// maxUnpackedBytes caps the decompressed size of each XLSX part, the
	// zip-bomb guard. MaxRows full rows as WriteXLSX writes them (inline
	// strings, the bulkiest form) are about 380 MB of sheet XML, which
	// deflates some 15 times; the cap leaves room for longer texts while
	// bounding the work a 40 MB upload can cause.
	maxUnpackedBytes = 1 << 30
)

// File formats, as Preview.Format reports them.
const (
	FormatXLSX       = "xlsx"
	FormatCSVUTF8    = "csv-utf8"
	FormatCSVGB18030 = "csv-gb18030"
)

// Preview is a parsed and validated file. Cards holds the valid rows in
// file order; rows with any error are left out and their errors listed.
type Preview struct {
	Format string
	// SHA256 is the hex digest of the file's bytes, to recognise the same
	// file uploaded twice.
	SHA256 string
	// Rows counts the data rows (blank rows are skipped and not counted).
	Rows       int
	Cards      []Card
	Errors     []CellError
	MoreErrors int
	cardRows   []int
}

// RowOf returns the spreadsheet row number of Cards[i].
func (p Preview) RowOf(i int) int { return p.cardRows[i] }

// CheckSize refuses a file of n bytes before it is read into memory.
func CheckSize(n int64) error {
	if n > MaxFileBytes {
		return fileError(keyTooLarge, nil, megabytes(n), MaxFileBytes>>20)
	}
	return nil
}

// megabytes formats n bytes for a message, to a tenth, rounding up so
// that a file just over the limit does not read as equal to it.
func megabytes(n int64) string {
	mb := math.Ceil(float64(n)*10/(1<<20)) / 10
	return strings.TrimSuffix(strconv.FormatFloat(mb, 'f', 1, 64), ".0")
}

// Parse reads a case card file: an XLSX workbook (its first sheet) or a
// CSV file in UTF-8 or GB18030, told apart by content. name is the file's
// name, used only to refuse an .xlsx that is not a workbook instead of
// reading it as text. A problem with the file as a whole is returned as a
// *FileError, with a Preview holding only Format and SHA256 (for logs);
// problems with cells are in Preview.Errors.
func Parse(name string, data []byte, vocab Vocabulary) (Preview, error) {
	if err := CheckSize(int64(len(data))); err != nil {
		return Preview{}, err
	}
	sum := sha256.Sum256(data)
	p := &parser{
		pv:    Preview{SHA256: hex.EncodeToString(sum[:])},
		chk:   checker{vocab: vocab},
		stage: map[string]int{},
	}
	var err error
	switch ext := strings.ToLower(path.Ext(name)); {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0:
		return p.pv, fileError(keyEmpty, nil)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		p.pv.Format = FormatXLSX
		err = p.readXLSX(data)
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		// An OLE compound file: a legacy .xls, or any workbook saved
		// with a password (Excel encrypts into this container).
		return p.pv, fileError(keyLegacyXLS, nil)
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		// UTF-16, as Excel's "Unicode text" saves.
		return p.pv, fileError(keyEncoding, nil)
	case ext == ".xlsx" || ext == ".xlsm" || !looksLikeCSV(data):
		return p.pv, fileError(keyNotSheet, nil)
	default:
		err = p.readCSV(data)
	}
	switch {
	case err != nil:
	case !p.header:
		err = fileError(keyEmpty, nil)
	case p.pv.Rows == 0:
		err = fileError(keyNoRows, nil)
	}
	if err != nil {
		return Preview{Format: p.pv.Format, SHA256: p.pv.SHA256}, err
	}
	return p.pv, nil
}

// readXLSX streams the first sheet.
func (p *parser) readXLSX(data []byte) error {
	limits := xlsx.Limits{MaxPartBytes: maxUnpackedBytes, MaxCols: maxColumns}
	s, err := xlsx.OpenStream(bytes.NewReader(data), int64(len(data)), limits)
	if err != nil {
		return xlsxError(err)
	}
	p.chk.date1904 = s.Date1904()
	if err := s.Rows(p.row); err != nil {
		return xlsxError(err)
	}
	return nil
}

// xlsxError explains the streaming reader's errors; a *FileError from
// the row function passes through.
func xlsxError(err error) error {
	var fe *FileError
	switch {
	case errors.As(err, &fe):
		return fe
	case errors.Is(err, xlsx.ErrNotXLSX):
		return fileError(keyNotSheet, err)
	case errors.Is(err, xlsx.ErrPartTooLarge), errors.Is(err, xlsx.ErrTooManyStrings):
		return fileError(keyUnpacked, err, maxUnpackedBytes>>20)
	case errors.Is(err, xlsx.ErrTooManyRows):
		return fileError(keyTooManyRows, err, MaxRows)
	case errors.Is(err, xlsx.ErrTooManyColumns):
		return fileError(keyTooManyCols, err, maxColumns)
	}
	// ErrTruncated, ErrCorrupt and anything unforeseen from a broken
	// file: the user's remedy is the same, save the file again.
	return fileError(keyTruncated, err)
}

// parser holds the state of reading one file.
type parser struct {
	pv     Preview
	chk    checker
	header bool
	cols   []int          // file column → index into Columns, -1 for a blank header
	stage  map[string]int // stage number → first row holding it
}

// row handles one spreadsheet row: the first non-blank one is the
// header, the others are cards. info is nil for CSV files.
func (p *parser) row(num int, cells []string, info []xlsx.CellInfo) error {
	if blankRow(cells, info) {
		return nil
	}
	if !p.header {
		return p.readHeader(cells)
	}
	p.pv.Rows++
	if p.pv.Rows > MaxRows {
		return fileError(keyTooManyRows, nil, MaxRows)
	}
	c := Card{Source: SourceImport}
	valid := true
	for j, k := range p.cols {
		if k < 0 {
			continue
		}
		col := &Columns[k]
		var raw string
		var ci xlsx.CellInfo
		if j < len(cells) {
			raw = cells[j]
		}
		if j < len(info) {
			ci = info[j]
		}
		v, prob := p.chk.check(col, raw, ci)
		if prob != nil {
			p.addError(CellError{Row: num, Column: col.Header, Key: prob.key, Args: prob.args, Value: quoteValue(trimCell(raw))})
			valid = false
			continue
		}
		c.store(col, v)
	}
	if c.StageNo != "" {
		if isExample(c.StageNo) {
			p.addError(CellError{Row: num, Column: Columns[stageCol].Header, Key: keyExampleRow, Value: c.StageNo})
			valid = false
		} else if first, dup := p.stage[c.StageNo]; dup {
			p.addError(CellError{Row: num, Column: Columns[stageCol].Header, Key: keyDuplicateNo, Args: []any{first}, Value: quoteValue(c.StageNo)})
			valid = false
		} else {
			p.stage[c.StageNo] = num
		}
	}
	if valid {
		p.pv.Cards = append(p.pv.Cards, c)
		p.pv.cardRows = append(p.pv.cardRows, num)
	}
	return nil
}

func (p *parser) addError(e CellError) {
	if len(p.pv.Errors) >= MaxErrors {
		p.pv.MoreErrors++
		return
	}
	p.pv.Errors = append(p.pv.Errors, e)
}

// blankRow: no cell holds anything but white space. A formula or an error
// value counts as content, so it is reported rather than skipped.
func blankRow(cells []string, info []xlsx.CellInfo) bool {
	for j, s := range cells {
		if trimCell(s) != "" {
			return false
		}
		if j < len(info) && (info[j].Formula || info[j].Type == xlsx.CellError) {
			return false
		}
	}
	return true
}

// readHeader maps the file's columns onto the layout.
func (p *parser) readHeader(cells []string) error {
	p.header = true
	p.cols = make([]int, len(cells))
	at := make(map[int]int, len(cells)) // layout index → file column
	for j, raw := range cells {
		h := trimCell(strings.TrimPrefix(raw, "\uFEFF"))
		p.cols[j] = -1
		if h == "" {
			continue // a column without a header carries nothing of the layout
		}
		k := columnByHeader(h)
		if k < 0 {
			return fileError(keyUnknownColumn, nil, xlsx.ColumnLetters(j), quoteValue(h), joinHeaders(headers()))
		}
		if prev, dup := at[k]; dup {
			return fileError(keyDuplicateCol, nil, h, xlsx.ColumnLetters(prev), xlsx.ColumnLetters(j))
		}
		at[k] = j
		p.cols[j] = k
	}
	var missing []string
	for k, col := range Columns {
		if _, ok := at[k]; !ok && col.Required {
			missing = append(missing, col.Header)
		}
	}
	if len(missing) > 0 {
		return fileError(keyMissingColumn, nil, joinHeaders(missing))
	}
	return nil
}

// stageCol is the index of the stage number in Columns.
const stageCol = 0

func columnByHeader(h string) int {
	for k, col := range Columns {
		if col.Header == h {
			return k
		}
	}
	return -1
}

func headers() []string {
	out := make([]string, len(Columns))
	for k, col := range Columns {
		out[k] = col.Header
	}
	return out
}

// store puts a checked value into its field.
func (c *Card) store(col *Column, v string) {
	if col.Kind == KindCount {
		_ = c.Set(col.Key, v) // checked: a whole number 0–MaxCount or ""
		return
	}
	if f := c.textField(col.Key); f != nil {
		*f = v
	}
}

// FromValues builds a card from item values by column key, checked
// exactly as a row of a file: a correction typed into a form passes the
// same rules as the file did. Keys outside the layout are ignored. A
// problem is returned as an *apperr.Validation whose fields are column
// keys, each labelled with the column's name.
func FromValues(values map[string]string, vocab Vocabulary) (Card, error) {
	chk := checker{vocab: vocab}
	c := Card{Source: SourceImport}
	var v apperr.Validation
	for k := range Columns {
		col := &Columns[k]
		val, prob := chk.check(col, values[col.Key], xlsx.CellInfo{})
		if prob != nil {
			v.AddLabeled(col.Key, labelPrefix+col.Key, prob.key, prob.args...)
			continue
		}
		c.store(col, val)
	}
	if isExample(c.StageNo) {
		v.AddLabeled("stage_no", labelPrefix+"stage_no", keyExampleRow)
	}
	return c, v.Err()
}
