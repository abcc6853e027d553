package casecard

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/anguan/anguan/internal/xlsx"
)

// Limits of the values a cell may hold.
const (
	MaxCount = 99   // counts (退回补充侦查次数…) are small; more is a typo
	MinYear  = 1990 // dates outside MinYear…MaxYear are typos (2062 for 2026, 1026…)
	MaxYear  = 2100
)

// problem is a failed check: a message key and its arguments.
type problem struct {
	key  string
	args []any
}

func fail(key string, args ...any) *problem { return &problem{key: key, args: args} }

// checker validates cells. date1904 is the workbook's date system, for
// serial dates in XLSX files.
type checker struct {
	vocab    Vocabulary
	date1904 bool
}

// check validates the raw content of one cell of col and returns it as
// the card stores it: trimmed, dates in ISO form, flags as Yes/No, the
// category as its code.
func (ck *checker) check(col *Column, raw string, info xlsx.CellInfo) (string, *problem) {
	if info.Formula {
		// Even a formula whose cached value looks right is refused: the
		// value is whatever the program last computed, and a formula may
		// hide a hyperlink or a lookup into another file.
		return "", fail(keyFormula)
	}
	if info.Type == xlsx.CellError {
		return "", fail(keyErrorValue, raw)
	}
	v := trimCell(raw)
	if v == "" {
		if col.Required {
			return "", fail(keyRequired)
		}
		return "", nil
	}
	if col.Kind == KindCount && isSignedInt(v) {
		return parseCount(v, info.Type) // "-1" is a bad count, not an injection
	}
	if prob := injection(v); prob != nil {
		return "", prob
	}
	switch col.Kind {
	case KindDate:
		return parseDate(v, info.Type, ck.date1904)
	case KindFlag:
		return parseFlag(v)
	case KindCount:
		return parseCount(v, info.Type)
	case KindCategory:
		if code, ok := ck.vocab.Code(v); ok {
			return code, nil
		}
		if code, ok := ck.vocab.Code(narrow(v)); ok {
			return code, nil
		}
		return "", fail(keyCategory)
	}
	if info.Type == xlsx.CellNumber && lostPrecision(v) {
		return "", fail(keyPrecision)
	}
	if strings.IndexFunc(v, isControl) >= 0 {
		return "", fail(keyControl)
	}
	if n := utf8.RuneCountInString(v); n > MaxText {
		return "", fail(keyTooLong, MaxText, n)
	}
	return v, nil
}

// trimCell drops surrounding white space, full-width (U+3000) and
// no-break spaces included, but keeps a leading tab or carriage return:
// those are formula-injection vectors and must be seen by injectionLead.
func trimCell(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	return strings.TrimLeftFunc(s, func(r rune) bool { return r != '\t' && r != '\r' && unicode.IsSpace(r) })
}

// injection refuses a value that starts with a character that makes a
// spreadsheet program read the cell as a formula (OWASP, CSV Injection).
func injection(v string) *problem {
	switch v[0] {
	case '=', '+', '-', '@':
		return fail(keyInjection, v[:1])
	case '\t':
		return fail(keyInjectionTab)
	case '\r':
		return fail(keyInjectionCR)
	}
	return nil
}

// isControl: characters no one types into a cell. Tabs and line breaks
// inside text are allowed; anything else below U+0020, DEL, the C1
// controls and U+FFFD (what invalid bytes became) mean a damaged file.
func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r >= 0x7F && r < 0xA0, r == utf8.RuneError:
		return true
	}
	return false
}

// narrow maps full-width digits, letters and punctuation (２０２６／３／４,
// Ｙ) to their ASCII forms, as Chinese input methods often produce them.
func narrow(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Narrow.String(s)
		}
	}
	return s
}

// lostPrecision reports whether a number stored in a text column has
// already been damaged by the spreadsheet program: Excel keeps 15
// significant digits, so an 18-digit ID number typed into a number cell
// comes back as 1.10101199003071E+17.
func lostPrecision(v string) bool {
	if strings.ContainsAny(v, "Ee") {
		return true
	}
	digits := 0
	for i := 0; i < len(v); i++ {
		if '0' <= v[i] && v[i] <= '9' {
			digits++
		}
	}
	return digits > 15
}

func isSignedInt(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	return isDigits(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseFlag accepts the spellings of yes and no found in exported files;
// anything else (是的, 有, √) is refused rather than guessed.
func parseFlag(v string) (string, *problem) {
	if v == Yes || v == No {
		return v, nil
	}
	switch strings.ToLower(narrow(v)) {
	case Yes, "y", "yes", "1", "true":
		return Yes, nil
	case No, "n", "no", "0", "false":
		return No, nil
	}
	return "", fail(keyFlag)
}

// parseCount accepts a whole number from 0 to MaxCount. A number cell may
// store 2 as "2" or, from some programs, "2.0".
func parseCount(v string, typ xlsx.CellType) (string, *problem) {
	v = narrow(v)
	n := -1
	if isDigits(v) && len(v) <= 3 {
		n, _ = strconv.Atoi(v)
	} else if typ == xlsx.CellNumber {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f == float64(int64(f)) && f >= 0 && f <= MaxCount {
			n = int(f)
		}
	}
	if n < 0 || n > MaxCount {
		return "", fail(keyCount, MaxCount)
	}
	return strconv.Itoa(n), nil
}

// parseDate accepts 2026-03-04, 2026/3/4, 2026.3.4 and 2026年3月4日, each
// optionally followed by a time of day (which is dropped, as systems often
// export "2026-03-04 00:00:00"), and, from XLSX number cells, Excel
// serial dates.
func parseDate(v string, typ xlsx.CellType, date1904 bool) (string, *problem) {
	var d time.Time
	if typ == xlsx.CellNumber {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "", fail(keyDate)
		}
		var ok bool
		if d, ok = xlsx.SerialDate(f, date1904); !ok {
			return "", fail(keyDateRange, MinYear, MaxYear)
		}
	} else {
		y, m, day, ok := splitDate(narrow(v))
		if !ok {
			return "", fail(keyDate)
		}
		d = time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || day < 1 || d.Month() != time.Month(m) || d.Day() != day {
			return "", fail(keyDateNotExist)
		}
	}
	if d.Year() < MinYear || d.Year() > MaxYear {
		return "", fail(keyDateRange, MinYear, MaxYear)
	}
	return d.Format(time.DateOnly), nil
}

// splitDate reads year, month and day from s without judging whether they
// form a date. The year has four digits, month and day one or two.
func splitDate(s string) (y, m, d int, ok bool) {
	num := func(min, max int) (int, bool) {
		i := 0
		for i < len(s) && i < max && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i < min || i < len(s) && '0' <= s[i] && s[i] <= '9' {
			return 0, false
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		return n, true
	}
	take := func(sep string) bool {
		if !strings.HasPrefix(s, sep) {
			return false
		}
		s = s[len(sep):]
		return true
	}
	if y, ok = num(4, 4); !ok {
		return
	}
	var sep string // between month and day: the same as after the year, or 月
	switch {
	case take("年"):
		sep = "月"
	case take("-"):
		sep = "-"
	case take("/"):
		sep = "/"
	case take("."):
		sep = "."
	default:
		return 0, 0, 0, false
	}
	if m, ok = num(1, 2); !ok || !take(sep) {
		return 0, 0, 0, false
	}
	if d, ok = num(1, 2); !ok {
		return 0, 0, 0, false
	}
	if sep == "月" && !take("日") {
		return 0, 0, 0, false
	}
	return y, m, d, isTimeSuffix(s)
}

// isTimeSuffix accepts nothing, or a space or "T" and a time of day such
// as 0:00, 00:00:00 or 00:00:00.000 (an ISO 8601 "Z" too).
func isTimeSuffix(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimSuffix(strings.TrimSpace(s[1:]), "Z")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	colons := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			colons++
		case c == '.' && colons == 2, '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return colons == 1 || colons == 2
}
