package deadline

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

// The shipped holiday files, one per year (DOMAIN §5.1: 2024–2026, from the
// State Council's yearly notices). Later years are imported by an
// administrator; a Calendar is built from whatever is loaded.
//
//go:embed holidays/*.json
var holidayFiles embed.FS

// Calendar answers whether a day is a working day (工作日). Weekends are
// days off, official holidays are days off, and make-up working days (调休)
// are working days even on a weekend. For a year with no loaded data only
// weekends are days off, and Covers says so, so that an explanation can warn
// that the result may be early (CPL 105 shifts a due date past holidays the
// calendar does not know yet).
//
// A Calendar is immutable once built and safe for concurrent use. A nil
// *Calendar knows no year: weekends only.
type Calendar struct {
	years    map[int]string // year → source of its data
	holidays map[Date]string
	workdays map[Date]bool
}

// LoadCalendar builds a calendar from validated years. A year given twice
// is an error: which one wins would be an accident of argument order.
func LoadCalendar(years ...YearData) (*Calendar, error) {
	c := &Calendar{years: map[int]string{}, holidays: map[Date]string{}, workdays: map[Date]bool{}}
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		if _, dup := c.years[y.Year]; dup {
			return nil, fmt.Errorf("%w: %d", ErrDuplicateYear, y.Year)
		}
		c.years[y.Year] = y.Source
		for _, h := range y.Holidays {
			for d := h.From; !d.After(h.To); d = d.AddDays(1) {
				c.holidays[d] = h.Name
			}
		}
		for _, d := range y.Workdays {
			c.workdays[d] = true
		}
	}
	return c, nil
}

// DefaultYears parses the embedded holiday files (2024–2026). Each call
// returns fresh values the caller may change.
func DefaultYears() ([]YearData, error) {
	names, err := fs.Glob(holidayFiles, "holidays/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]YearData, 0, len(names))
	for _, n := range names {
		b, err := holidayFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		out = append(out, y)
	}
	return out, nil
}

// defaultCalendar is built once: the embedded data never changes, and the
// Calendar is immutable, so sharing it is safe.
var defaultCalendar = sync.OnceValues(func() (*Calendar, error) {
	years, err := DefaultYears()
	if err != nil {
		return nil, err
	}
	return LoadCalendar(years...)
})

// DefaultCalendar returns the calendar of the shipped years. The embedded
// files are checked by the package tests, so a failure here is a build
// defect and panics.
func DefaultCalendar() *Calendar {
	c, err := defaultCalendar()
	if err != nil {
		panic(err)
	}
	return c
}

// Years lists the loaded years in order.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Covers reports whether holiday data for year is loaded.
func (c *Calendar) Covers(year int) bool {
	if c == nil {
		return false
	}
	_, ok := c.years[year]
	return ok
}

// Holiday returns the name of the official holiday on d, if any.
func (c *Calendar) Holiday(d Date) (string, bool) {
	if c == nil {
		return "", false
	}
	n, ok := c.holidays[d]
	return n, ok
}

// IsMakeUpWorkday reports whether d is a weekend day worked in exchange for
// a holiday (调休).
func (c *Calendar) IsMakeUpWorkday(d Date) bool { return c != nil && c.workdays[d] }

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if c.IsMakeUpWorkday(d) {
		return true
	}
	if _, ok := c.Holiday(d); ok {
		return false
	}
	return !d.IsWeekend()
}

// NextWorkingDay returns the first working day after d.
func (c *Calendar) NextWorkingDay(d Date) Date {
	d, _ = c.nextWorkingDay(d)
	return d
}

// nextWorkingDay also reports whether a day of an unloaded year was
// consulted on the way.
func (c *Calendar) nextWorkingDay(d Date) (Date, bool) {
	beyond := false
	for {
		d = d.AddDays(1)
		beyond = beyond || !c.Covers(d.Y)
		if c.IsWorkingDay(d) {
			return d, beyond
		}
	}
}

// AddWorkingDays returns the n-th working day after d (the start day is
// not counted, CPL 105), and whether a day of an unloaded year was counted.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, bool) {
	beyond := false
	for i := 0; i < n; i++ {
		var b bool
		d, b = c.nextWorkingDay(d)
		beyond = beyond || b
	}
	return d, beyond
}

// offRun returns the last day of the run of non-working days that starts
// at d, and whether the run contains an official holiday (rather than only a
// weekend), for the explanation "4月4日至6日为法定节假日".
func (c *Calendar) offRun(d Date) (last Date, holiday bool) {
	last = d
	for ; !c.IsWorkingDay(d); d = d.AddDays(1) {
		last = d
		if _, ok := c.Holiday(d); ok {
			holiday = true
		}
	}
	return last, holiday
}
