package dataquality

import (
	"errors"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"

	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/idcard"
)

// Env is what a rule's expression sees: the card under check as `card`, the
// other cards of the same unified case number as `related`, and the scan's
// date as `today` (ISO). Card items are read by their Go names
// (card.ReceivedOn, .Category inside a predicate), the same names the
// casecard package documents, so the checker catches a misspelt item when
// the rule is saved rather than on the nightly scan.
//
// Today is passed in rather than read from the clock so a scan is
// reproducible and a test can pin the date.
type Env struct {
	Card    casecard.Card   `expr:"card"`
	Related []casecard.Card `expr:"related"`
	Today   string          `expr:"today"`
}

// Function documents one helper for the rule editor. Doc is Chinese: it is
// shown to the administrators who write rules.
type Function struct {
	Name      string
	Signature string
	DocKey    string // i18n key of the description
}

// Functions lists the helpers an expression may call, besides expr's own
// built-ins (len, any, all, none, filter, count, contains, startsWith,
// endsWith, the `matches` operator…). Regular expressions are written with
// the operator, `card.DocNo matches "^…$"`, whose constant pattern expr
// compiles once with the rule; a pattern built at run time is refused.
var Functions = []Function{
	{"blank", "blank(s) bool", "dq.fn.blank"},
	{"days", "days(from, to) int", "dq.fn.days"},
	{"before", "before(a, b) bool", "dq.fn.before"},
	{"year", "year(date) int", "dq.fn.year"},
	{"addDays", "addDays(date, n) string", "dq.fn.addDays"},
	{"addMonths", "addMonths(date, n) string", "dq.fn.addMonths"},
	{"validID", "validID(id) bool", "dq.fn.validID"},
	{"birthDate", "birthDate(id) string", "dq.fn.birthDate"},
	{"ageOn", "ageOn(id, date) int", "dq.fn.ageOn"},
	{"docYear", "docYear(docNo) int", "dq.fn.docYear"},
	{"oneOf", "oneOf(s, a, b, …) bool", "dq.fn.oneOf"},
}

// exprOptions are the compile options every rule shares. Helpers are
// registered with their Go signatures so the checker refuses a call with
// wrong arguments when the rule is saved, and the VM calls them without
// reflection.
var exprOptions = []expr.Option{
	expr.Env(Env{}),
	expr.AsBool(),
	// The scan passes today; a rule reading the clock would give a
	// different answer on a re-run of the same day's scan.
	expr.DisableBuiltin("now"),
	expr.Function("blank", func(a ...any) (any, error) { return blank(a[0].(string)), nil },
		new(func(string) bool)),
	expr.Function("days", func(a ...any) (any, error) { return days(a[0].(string), a[1].(string)), nil },
		new(func(string, string) int)),
	expr.Function("before", func(a ...any) (any, error) { return before(a[0].(string), a[1].(string)), nil },
		new(func(string, string) bool)),
	expr.Function("year", func(a ...any) (any, error) { return year(a[0].(string)), nil },
		new(func(string) int)),
	expr.Function("addDays", func(a ...any) (any, error) { return addDays(a[0].(string), a[1].(int)), nil },
		new(func(string, int) string)),
	expr.Function("addMonths", func(a ...any) (any, error) { return addMonths(a[0].(string), a[1].(int)), nil },
		new(func(string, int) string)),
	expr.Function("validID", func(a ...any) (any, error) { return validID(a[0].(string)), nil },
		new(func(string) bool)),
	expr.Function("birthDate", func(a ...any) (any, error) { return birthDate(a[0].(string)), nil },
		new(func(string) string)),
	expr.Function("ageOn", func(a ...any) (any, error) { return ageOn(a[0].(string), a[1].(string)), nil },
		new(func(string, string) int)),
	expr.Function("docYear", func(a ...any) (any, error) { return docYear(a[0].(string)), nil },
		new(func(string) int)),
	expr.Function("oneOf", func(a ...any) (any, error) {
		s := a[0].(string)
		for _, o := range a[1:] {
			if o.(string) == s {
				return true, nil
			}
		}
		return false, nil
	}, new(func(string, ...string) bool)),
}

// ErrPatternNotConstant: the right side of `matches` is not a string
// literal (see constPatterns).
var ErrPatternNotConstant = errors.New("dataquality: the pattern of matches must be a string literal")

// constPatterns refuses a `matches` whose pattern is not a string literal:
// expr compiles a literal pattern once with the program, but any other
// pattern would be compiled again on every card of every scan.
type constPatterns struct{ err error }

func (c *constPatterns) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok || b.Operator != "matches" || c.err != nil {
		return
	}
	if _, ok := b.Right.(*ast.StringNode); !ok {
		c.err = ErrPatternNotConstant
	}
}

// blank reports an unfilled item. Cards are trimmed on import, but a
// projected card or a hand-edited rule test may carry spaces.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// dayNumber parses an ISO date into a day count since 1970-01-01 without
// allocating (time.Parse is several times slower and the helpers run on
// every card of every scan).
func dayNumber(s string) (int, bool) {
	y, m, d, ok := parseISO(s)
	if !ok {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

func parseISO(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > monthLen(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func monthLen(y, m int) int {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil and civilFromDays are H. Hinnant's proleptic Gregorian
// conversions (public domain), exact for every year the cards can hold.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400 // y ≥ 0 here: parseISO refuses year 0
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func formatISO(y, m, d int) string {
	if y < 1 || y > 9999 {
		return ""
	}
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-',
		byte('0' + d/10), byte('0' + d%10),
	}
	return string(b[:])
}

// days is the number of calendar days from one date to another (negative
// when to is earlier). A blank or invalid side gives 0, so `days(a, b) > n`
// is false on an unfilled card and a rule about a missing date is written
// separately (漏填 is its own finding, not a deadline breach).
func days(from, to string) int {
	a, ok1 := dayNumber(from)
	b, ok2 := dayNumber(to)
	if !ok1 || !ok2 {
		return 0
	}
	return b - a
}

// before reports whether both dates are filled and a is earlier than b.
// String comparison would do for valid ISO dates, but parsing keeps a
// malformed date from ordering itself into a false finding.
func before(a, b string) bool {
	x, ok1 := dayNumber(a)
	y, ok2 := dayNumber(b)
	return ok1 && ok2 && x < y
}

// year is the year of an ISO date, 0 when blank or invalid.
func year(date string) int {
	y, _, _, ok := parseISO(date)
	if !ok {
		return 0
	}
	return y
}

// addDays adds n calendar days; "" when the date is blank or invalid.
func addDays(date string, n int) string {
	z, ok := dayNumber(date)
	if !ok {
		return ""
	}
	return formatISO(civilFromDays(z + n))
}

// addMonths adds n months by the counting rule of CPL 105 and the SPC
// interpretation: to the same day n months later; when the start is the
// last day of its month, or the same day does not exist in the target
// month, to the target month's last day (31 Jan + 1 = 28/29 Feb, 30 Apr + 1
// = 31 May). "" when the date is blank or invalid.
func addMonths(date string, n int) string {
	y, m, d, ok := parseISO(date)
	if !ok {
		return ""
	}
	last := d == monthLen(y, m)
	t := y*12 + (m - 1) + n
	if t < 12 { // before year 1
		return ""
	}
	ty, tm := t/12, t%12+1
	end := monthLen(ty, tm)
	if last || d > end {
		d = end
	}
	return formatISO(ty, tm, d)
}

// validID reports whether s is a valid 18-digit resident identity number.
func validID(s string) bool {
	_, err := idcard.Parse(s)
	return err == nil
}

// birthDate is the birth date an identity number encodes, "" when the
// number is invalid.
func birthDate(id string) string {
	if !validID(id) {
		return ""
	}
	return id[6:10] + "-" + id[10:12] + "-" + id[12:14]
}

// ageOn is the age in full years (周岁) on date of the holder of id, -1
// when either is invalid. A year is completed on the day after the
// birthday, not on the birthday itself (SPC interpretation on minors'
// criminal cases, art. 2), which is what the 未成年人 item follows.
func ageOn(id, date string) int {
	if !validID(id) {
		return -1
	}
	// validID has checked the birth digits form a real date.
	by, _ := atoi(id[6:10])
	bm, _ := atoi(id[10:12])
	bd, _ := atoi(id[12:14])
	y, m, d, ok := parseISO(date)
	if !ok {
		return -1
	}
	age := y - by
	if m < bm || m == bm && d <= bd {
		age--
	}
	if age < 0 {
		return -1
	}
	return age
}

// docYear is the year in a document number's brackets (疏检刑诉〔2026〕12号
// → 2026), 0 when there is none. Square brackets are accepted too: they are
// the usual typing substitute for 〔〕, and the format rule reports them.
func docYear(docNo string) int {
	for i := 0; i < len(docNo); i++ {
		var open int
		switch {
		case strings.HasPrefix(docNo[i:], "〔"):
			open = len("〔")
		case docNo[i] == '[':
			open = 1
		default:
			continue
		}
		j := i + open
		if j+4 > len(docNo) {
			return 0
		}
		y, ok := atoi(docNo[j : j+4])
		if !ok {
			continue
		}
		rest := docNo[j+4:]
		if strings.HasPrefix(rest, "〕") || strings.HasPrefix(rest, "]") {
			return y
		}
	}
	return 0
}
