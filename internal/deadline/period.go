package deadline

import (
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit a period is counted in (CPL 105: hours, days, months;
// R49 adds working days for lawyers' file review).
type Unit uint8

// Units of a Period.
const (
	// UnitDays counts calendar days (日).
	UnitDays Unit = iota + 1
	// UnitMonths counts months (月) with the month-end rules of CPL 105 and
	// the SPC interpretation (see AddMonths).
	UnitMonths
	// UnitWorkingDays counts working days (工作日) only.
	UnitWorkingDays
	// UnitHours counts hours (小时). Clocks are kept on civil dates, so an
	// hour period is rounded up to whole days (see Count).
	UnitHours
)

// MaxPeriodN bounds the number in a period. No statutory period comes near
// it; the bound keeps arithmetic on outside input (a parsed "99999999m")
// far from overflow.
const MaxPeriodN = 10000

// Period is a length of time fixed by law, such as 7 days or 1 month.
// The zero Period means "none".
type Period struct {
	N    int
	Unit Unit
}

// Days returns a period of n calendar days.
func Days(n int) Period { return Period{N: n, Unit: UnitDays} }

// Months returns a period of n months.
func Months(n int) Period { return Period{N: n, Unit: UnitMonths} }

// WorkingDays returns a period of n working days.
func WorkingDays(n int) Period { return Period{N: n, Unit: UnitWorkingDays} }

// Hours returns a period of n hours.
func Hours(n int) Period { return Period{N: n, Unit: UnitHours} }

// HalfMonths returns n half months. The SPC interpretation of the CPL counts
// half a month as 15 days whatever the month, so it is a day period.
func HalfMonths(n int) Period { return Days(15 * n) }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Valid reports whether p has a known unit and 1 ≤ N ≤ MaxPeriodN.
func (p Period) Valid() bool {
	return p.N >= 1 && p.N <= MaxPeriodN && p.Unit >= UnitDays && p.Unit <= UnitHours
}

// String formats p in the notation ParsePeriod reads: "7d", "1m", "3wd",
// "24h"; the zero Period is "".
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	suf := "?"
	switch p.Unit {
	case UnitDays:
		suf = "d"
	case UnitMonths:
		suf = "m"
	case UnitWorkingDays:
		suf = "wd"
	case UnitHours:
		suf = "h"
	}
	return strconv.Itoa(p.N) + suf
}

// ParsePeriod reads a period written as a positive number and a unit:
// "7d" (days), "1m" (months), "3wd" (working days), "24h" (hours) or
// "1hm" (half months, read as 15 days). It is the notation of rule data and
// of the calculator's input.
func ParsePeriod(s string) (Period, error) {
	var unit Unit
	var num string
	half := false
	switch {
	case strings.HasSuffix(s, "wd"):
		unit, num = UnitWorkingDays, s[:len(s)-2]
	case strings.HasSuffix(s, "hm"):
		unit, num, half = UnitDays, s[:len(s)-2], true
	case strings.HasSuffix(s, "d"):
		unit, num = UnitDays, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		unit, num = UnitMonths, s[:len(s)-1]
	case strings.HasSuffix(s, "h"):
		unit, num = UnitHours, s[:len(s)-1]
	default:
		return Period{}, fmt.Errorf("%w: %q has no unit (d, m, wd, h, hm)", ErrBadPeriod, s)
	}
	if num == "" || len(num) > 5 {
		return Period{}, fmt.Errorf("%w: %q needs a number from 1 to %d", ErrBadPeriod, s, MaxPeriodN)
	}
	n, ok := digits(num)
	if !ok || n < 1 || n > MaxPeriodN || (half && 15*n > MaxPeriodN) {
		return Period{}, fmt.Errorf("%w: %q needs a number from 1 to %d", ErrBadPeriod, s, MaxPeriodN)
	}
	if half {
		n *= 15
	}
	return Period{N: n, Unit: unit}, nil
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
