package deadline

import (
	"fmt"
	"time"
)

// Date is a civil date (日期) without time of day or zone. Procedural periods
// are counted in whole days (CPL 105), and legal dates are stored as
// 'YYYY-MM-DD' text, so a plain year-month-day triple is the honest type.
// The zero Date means "no date".
type Date struct {
	Y int
	M time.Month
	D int
}

// NewDate returns the date y-m-d, normalising out-of-range months and days
// the way time.Date does (e.g. 32 January is 1 February).
func NewDate(y int, m time.Month, d int) Date {
	mi := int(m) - 1
	y += floorDiv(mi, 12)
	mi = floorMod(mi, 12)
	return fromDayNumber(dayNumber(y, mi+1, 1) + d - 1)
}

// Today returns the civil date of t in t's location. Callers pass the
// legal time zone (Asia/Shanghai); this package has no clock of its own.
func Today(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Y: y, M: m, D: d}
}

// ParseDate reads "YYYY-MM-DD" (years 0001–9999). Anything else, including
// a date that does not exist such as 2025-02-29, is an error.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w: %q is not YYYY-MM-DD", ErrBadDate, s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%w: %q is not YYYY-MM-DD", ErrBadDate, s)
	}
	out := Date{Y: y, M: time.Month(m), D: d}
	if y < 1 || !out.Valid() {
		return Date{}, fmt.Errorf("%w: %q does not exist", ErrBadDate, s)
	}
	return out, nil
}

func digits(s string) (int, bool) {
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

// String formats the date as "2006-01-02"; the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Y, int(d.M), d.D)
}

// MarshalText implements encoding.TextMarshaler ("YYYY-MM-DD").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real day of the proleptic Gregorian
// calendar.
func (d Date) Valid() bool {
	return d.M >= time.January && d.M <= time.December && d.D >= 1 && d.D <= daysIn(d.Y, d.M)
}

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return fromDayNumber(d.dayNumber() + n) }

// Sub returns the number of days from o to d (d − o).
func (d Date) Sub(o Date) int { return d.dayNumber() - o.dayNumber() }

// Compare returns −1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch a, b := d.dayNumber(), o.dayNumber(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	// Day number 0 is 1970-01-01, a Thursday.
	return time.Weekday(floorMod(d.dayNumber()+4, 7))
}

// IsWeekend reports whether d is a Saturday or Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// IsLastOfMonth reports whether d is the last day of its month; the month
// rule of CPL 105 treats such a start day specially.
func (d Date) IsLastOfMonth() bool { return d.D == daysIn(d.Y, d.M) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func (d Date) dayNumber() int { return dayNumber(d.Y, int(d.M), d.D) }

// dayNumber counts days since 1970-01-01 (Howard Hinnant's days_from_civil),
// so date arithmetic is integer arithmetic and never overflows a Duration.
func dayNumber(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func fromDayNumber(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return Date{Y: y, M: time.Month(m), D: d}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
