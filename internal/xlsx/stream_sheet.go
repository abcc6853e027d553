package xlsx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/anguan/anguan/internal/ooxml"
)

// Decoding the worksheet is nearly all the work of reading a large file,
// and encoding/xml tokenizes some 25 MB of XML a second: a sheet of
// 100,000 full rows as this package writes it is about 190 MB. So the
// sheet is cut into chunks of whole rows, which are tokenized in parallel
// and handed to the caller in order. Finding where rows end needs no
// tokenizer: in XML a "<" always opens markup (it cannot occur in text or
// attribute values), so a byte scan from "<" to "<" sees every tag.

const (
	chunkBytes  = 1 << 20 // a chunk ends at the last row end once this much is buffered
	readBytes   = 256 << 10
	maxRowBytes = 64 << 20 // no real row is this large; refuse rather than buffer more
)

// parsedRow is a row as a chunk holds it. num is the r attribute, or 0
// when the row has none and follows on from the previous one, which only
// the caller of the chunks knows.
type parsedRow struct {
	num   int
	cells []string
	info  []CellInfo
}

type chunkResult struct {
	rows       []parsedRow
	start, end bool // <sheetData> and </sheetData> were seen
	err        error
}

type chunkJob struct {
	data   []byte
	inData bool // the chunk starts inside <sheetData>
	res    chan chunkResult
}

// Rows streams the first worksheet; see the package function Rows. The
// XML is decoded on up to GOMAXPROCS goroutines (at most 8), holding a
// few megabytes of it per goroutine whatever the sheet's size. Each call
// reads the sheet anew.
func (s *Stream) Rows(fn RowFunc) error {
	rc, err := s.open(s.sheet)
	if err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	done := make(chan struct{})
	jobs := make(chan chunkJob)
	// order carries each chunk's result channel in file order, so results
	// are used in order whichever worker finishes first.
	order := make(chan chan chunkResult, 2*workers)
	// Parsed chunks hold copies of their text, so their buffers go back
	// to the splitter: a large sheet then costs a few buffers, not one
	// per megabyte.
	free := make(chan []byte, 2*workers+2)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				j.res <- s.parseChunk(j.data, j.inData)
				select {
				case free <- j.data[:0]:
				default:
				}
			}
		})
	}
	wg.Go(func() {
		defer close(order)
		defer close(jobs)
		defer rc.Close()
		first := true
		err := s.split(rc, free, func(chunk []byte) bool {
			res := make(chan chunkResult, 1) // workers never block on a result
			select {
			case jobs <- chunkJob{data: chunk, inData: !first, res: res}:
			case <-done:
				return false
			}
			first = false
			select {
			case order <- res:
				return true
			case <-done:
				return false
			}
		})
		if err != nil {
			res := make(chan chunkResult, 1)
			res <- chunkResult{err: classify(s.sheet.Name, err)}
			select {
			case order <- res:
			case <-done:
			}
		}
	})
	err = s.sequence(order, fn)
	close(done) // stops the splitter if fn or a limit ended the reading early
	wg.Wait()
	return err
}

// sequence numbers the rows of the chunks in order, applies the row
// limit and calls fn.
func (s *Stream) sequence(order <-chan chan chunkResult, fn RowFunc) error {
	last := 0
	start, end := false, false
	for res := range order {
		r := <-res
		if r.err != nil {
			return r.err
		}
		start, end = start || r.start, end || r.end
		for _, row := range r.rows {
			n := row.num
			if n == 0 {
				n = last + 1 // the r attribute is optional; rows then follow on
			}
			if n <= last || n > maxRows {
				return fmt.Errorf("%w: %s: row %d out of order or range", ErrCorrupt, s.sheet.Name, n)
			}
			last = n
			if len(row.cells) == 0 {
				continue
			}
			if n > s.limits.MaxRows {
				return fmt.Errorf("%w: row %d holds a value, the limit is %d", ErrTooManyRows, n, s.limits.MaxRows)
			}
			if err := fn(n, row.cells, row.info); err != nil {
				return err
			}
		}
	}
	if start && !end {
		// The deflate stream was whole but the XML stops inside the data.
		return fmt.Errorf("%w: %s: sheetData is not closed", ErrTruncated, s.sheet.Name)
	}
	return nil
}

// split reads the sheet XML and passes it to emit in chunks of whole
// rows, stopping after </sheetData> or when emit returns false.
func (s *Stream) split(r io.Reader, free <-chan []byte, emit func([]byte) bool) error {
	var sp rowSplitter
	newBuf := func(size int) []byte {
		select {
		case b := <-free:
			if cap(b) >= size {
				return b[:size]
			}
		default:
		}
		return make([]byte, size, max(s.chunk+readBytes, size+readBytes))
	}
	buf := newBuf(0)
	next, cut, retry := 0, -1, 0
	for {
		if len(buf)+readBytes > cap(buf) {
			nb := make([]byte, len(buf), 2*cap(buf)+readBytes)
			copy(nb, buf)
			buf = nb
		}
		n, rerr := r.Read(buf[len(buf) : len(buf)+readBytes])
		buf = buf[:len(buf)+n]
		// A construct cut off by the end of the buffer is scanned again
		// only once the buffer has grown by its length, so a huge
		// comment costs linear time, not quadratic.
		if len(buf) >= retry || rerr != nil {
			c, nx := sp.scan(buf, next)
			if c >= 0 {
				cut = c
			}
			next, retry = nx, 0
			if next < len(buf) {
				retry = len(buf) + max(readBytes, len(buf)-next)
			}
		}
		switch {
		case sp.ended:
			emit(buf[:cut])
			return nil
		case cut >= 0 && len(buf) >= s.chunk:
			rest := buf[cut:]
			nb := newBuf(len(rest))
			copy(nb, rest)
			if !emit(buf[:cut]) {
				return nil
			}
			buf, next = nb, next-cut
			if retry > 0 {
				retry -= cut
			}
			cut = -1
		case cut < 0 && len(buf) > s.maxRow:
			return fmt.Errorf("%w: %s: no row ends in %d bytes", ErrPartTooLarge, s.sheet.Name, len(buf))
		}
		if rerr == io.EOF {
			if len(buf) > 0 {
				emit(buf)
			}
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// rowSplitter finds where rows end in worksheet XML. Only comments, CDATA
// sections and processing instructions can hold a "</row>" that is not a
// tag, so they are skipped whole.
type rowSplitter struct {
	inData bool // after <sheetData>
	ended  bool // after </sheetData>
}

// scan reads the markup from b[from:] on. It returns the offset just
// past the last row end it found, or past </sheetData> (-1 if neither),
// and the offset to resume from: the start of a construct that b cuts
// off, or len(b).
func (sp *rowSplitter) scan(b []byte, from int) (cut, next int) {
	cut = -1
	i := from
	for !sp.ended {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return cut, len(b)
		}
		i += j
		n, local, kind := markup(b[i:])
		if n == 0 {
			return cut, i
		}
		switch {
		case string(local) == "sheetData" && kind == tagStart:
			sp.inData = true
		case string(local) == "sheetData": // an end tag, or <sheetData/>
			sp.inData, sp.ended, cut = false, true, i+n
		case string(local) == "row" && sp.inData && kind != tagStart:
			cut = i + n
		}
		i += n
	}
	return cut, i
}

// Kinds of markup.
const (
	tagOther = iota // comment, CDATA, processing instruction, declaration
	tagStart
	tagEnd
	tagEmpty // <x/>
)

// markup measures the markup at the start of b (which begins with "<")
// and names the tag's local name. For start tags other than row and
// sheetData only the name is measured: the scan resumes at the next "<"
// anyway. n is 0 when b ends before the markup can be measured.
func markup(b []byte) (n int, local []byte, kind int) {
	if len(b) < 2 {
		return 0, nil, tagOther
	}
	switch b[1] {
	case '?':
		return skipTo(b, 2, "?>"), nil, tagOther
	case '!':
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			return skipTo(b, 4, "-->"), nil, tagOther
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			return skipTo(b, 9, "]]>"), nil, tagOther
		case len(b) < 9 && (bytes.HasPrefix([]byte("<!--"), b) || bytes.HasPrefix([]byte("<![CDATA["), b)):
			return 0, nil, tagOther // too short to tell
		}
		// A declaration such as <!DOCTYPE>, which only comes before the data.
		return skipTo(b, 2, ">"), nil, tagOther
	case '/':
		k := bytes.IndexByte(b, '>')
		if k < 0 {
			return 0, nil, tagEnd
		}
		return k + 1, localName(bytes.TrimSpace(b[2:k])), tagEnd
	}
	k := bytes.IndexAny(b[1:], " \t\r\n/>")
	if k < 0 {
		return 0, nil, tagStart
	}
	name := localName(b[1 : 1+k])
	if string(name) != "row" && string(name) != "sheetData" {
		return 1 + k, name, tagStart
	}
	// The whole tag, to see whether it closes itself; ">" may occur in
	// attribute values, so quotes are followed.
	var quote byte
	for j := 1 + k; j < len(b); j++ {
		switch c := b[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if b[j-1] == '/' {
				return j + 1, name, tagEmpty
			}
			return j + 1, name, tagStart
		}
	}
	return 0, nil, tagStart
}

// skipTo returns the length of b up to and including the first close
// after offset from, or 0 when b holds none.
func skipTo(b []byte, from int, close string) int {
	k := bytes.Index(b[from:], []byte(close))
	if k < 0 {
		return 0
	}
	return from + k + len(close)
}

func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// chunkReader is the state of tokenizing one chunk.
type chunkReader struct {
	s      *Stream
	inData bool
	start  bool
	end    bool
	rows   []parsedRow

	inRow   bool
	row     parsedRow
	inCell  bool
	col     int
	lastCol int
	typ     string
	formula bool
	inV     bool
	inline  stringItem
	v, text []byte
	ref     string // the cell's r attribute, for error messages
}

// parseChunk tokenizes one chunk of the sheet.
func (s *Stream) parseChunk(data []byte, inData bool) chunkResult {
	cr := &chunkReader{s: s, inData: inData}
	// RawToken skips namespace resolution and end-tag matching, which
	// this reader does not need (elements are known by local name) and
	// which a chunk starting inside the document could not pass.
	d := xml.NewDecoder(bytes.NewReader(data))
	for !cr.end {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = cr.token(tok)
		}
		if err != nil {
			return chunkResult{err: classify(s.sheet.Name, err)}
		}
	}
	return chunkResult{rows: cr.rows, start: cr.start, end: cr.end}
}

func (cr *chunkReader) token(tok xml.Token) error {
	switch e := tok.(type) {
	case xml.StartElement:
		return cr.startElement(e)
	case xml.EndElement:
		return cr.endElement(e)
	case xml.CharData:
		switch {
		case cr.inV:
			cr.v = append(cr.v, e...)
		case cr.inline.inText():
			cr.text = append(cr.text, e...)
		}
	}
	return nil
}

func (cr *chunkReader) startElement(e xml.StartElement) error {
	local := e.Name.Local
	switch {
	case local == "sheetData":
		cr.inData, cr.start = true, true
	case !cr.inData:
	case local == "row" && !cr.inRow:
		cr.inRow, cr.lastCol = true, -1
		n := len(cr.row.cells) // rows of a sheet are alike in length
		cr.row = parsedRow{cells: make([]string, 0, n), info: make([]CellInfo, 0, n)}
		if r, ok := attr(e, "r"); ok {
			n, err := strconv.Atoi(r)
			if err != nil || n <= 0 {
				return fmt.Errorf("%w: bad row number %q", ErrCorrupt, r)
			}
			cr.row.num = n
		}
	case !cr.inRow:
	case local == "c" && !cr.inCell:
		cr.inCell, cr.formula, cr.inV = true, false, false
		cr.v, cr.text = cr.v[:0], cr.text[:0]
		cr.inline = stringItem{}
		cr.typ, _ = attr(e, "t")
		cr.col, cr.ref = cr.lastCol+1, ""
		if ref, ok := attr(e, "r"); ok {
			col, err := colIndex(ref)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			cr.col, cr.ref = col, ref
		}
		if cr.col <= cr.lastCol {
			return fmt.Errorf("%w: cell %s out of order", ErrCorrupt, cr.cellRef())
		}
		cr.lastCol = cr.col
	case !cr.inCell:
	case local == "v":
		cr.inV = true
	case local == "f":
		cr.formula = true
	case local == "is":
		cr.inline = stringItem{in: true}
	default:
		cr.inline.start(local)
	}
	return nil
}

func (cr *chunkReader) endElement(e xml.EndElement) error {
	local := e.Name.Local
	switch {
	case local == "sheetData":
		cr.inData, cr.end = false, true // nothing after the data is read
	case !cr.inRow:
	case local == "row" && !cr.inCell:
		cr.inRow = false
		if len(cr.row.cells) == 0 {
			cr.row.cells = nil // formatting only
		}
		cr.rows = append(cr.rows, cr.row)
	case !cr.inCell:
	case local == "c":
		cr.inCell = false
		return cr.endCell()
	case local == "v":
		cr.inV = false
	case local == "is":
		cr.inline.in = false
	default:
		cr.inline.end(local)
	}
	return nil
}

// endCell places the finished cell in the row.
func (cr *chunkReader) endCell() error {
	info := CellInfo{Formula: cr.formula}
	var val string
	switch cr.typ {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(cr.v)))
		if err != nil || i < 0 || i >= len(cr.s.shared) {
			return fmt.Errorf("%w: cell %s: bad shared string index %q", ErrCorrupt, cr.cellRef(), cr.v)
		}
		val = cr.s.shared[i]
	case "inlineStr":
		val = ooxml.UnescapeXstring(string(cr.text))
		if len(cr.text) == 0 && len(cr.v) > 0 {
			val = ooxml.UnescapeXstring(string(cr.v))
		}
	case "str":
		val = ooxml.UnescapeXstring(string(cr.v))
	case "b":
		info.Type, val = CellBool, string(bytes.TrimSpace(cr.v))
	case "e":
		info.Type, val = CellError, string(bytes.TrimSpace(cr.v))
	case "d":
		info.Type, val = CellDate, string(bytes.TrimSpace(cr.v))
	default: // "n" or absent
		info.Type, val = CellNumber, string(bytes.TrimSpace(cr.v))
	}
	if val == "" && !info.Formula && info.Type != CellError {
		return nil // formatting only
	}
	if cr.col >= cr.s.limits.MaxCols {
		return fmt.Errorf("%w: cell %s holds a value, the limit is %d columns", ErrTooManyColumns, cr.cellRef(), cr.s.limits.MaxCols)
	}
	for len(cr.row.cells) < cr.col {
		cr.row.cells = append(cr.row.cells, "")
		cr.row.info = append(cr.row.info, CellInfo{})
	}
	cr.row.cells = append(cr.row.cells, val)
	cr.row.info = append(cr.row.info, info)
	return nil
}

func (cr *chunkReader) cellRef() string {
	if cr.ref != "" {
		return cr.ref
	}
	return colName(cr.col) + "?"
}
