package deadline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// Holiday is one official holiday (法定节假日) as the State Council's yearly
// notice states it: a name and an inclusive range of days off.
type Holiday struct {
	Name string `json:"name"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
}

// YearData is one year of the working-day calendar: the official holidays
// and the make-up working days (调休) of that year. It is also the format
// of a holiday file, one per year, which an administrator adds every
// November when the State Council publishes the next year's notice:
//
//	{"year": 2026, "source": "…通知",
//	 "holidays": [{"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"}, …],
//	 "workdays": ["2026-01-04", …]}
type YearData struct {
	Year     int       `json:"year"`
	Source   string    `json:"source,omitempty"`
	Holidays []Holiday `json:"holidays"`
	Workdays []Date    `json:"workdays"`
}

// maxHolidayRun guards against typing errors in a range ("2025-10-01" to
// "2025-12-08"): no official holiday since 1999 lasted more than 9 days.
const maxHolidayRun = 15

// YearIssue is one problem in a holiday file: where it is (a field path
// such as "holidays[2].from"), the offending value, and the sentinel.
type YearIssue struct {
	Field string
	Value string
	Err   error
}

// YearError collects every problem of a holiday file, so the administrator
// fixes the file in one pass. errors.Is works against each issue's sentinel.
type YearError struct {
	Year   int
	Issues []YearIssue
}

// Error implements error.
func (e *YearError) Error() string {
	parts := make([]string, 0, len(e.Issues))
	for _, is := range e.Issues {
		parts = append(parts, fmt.Sprintf("%s %q: %v", is.Field, is.Value, is.Err))
	}
	return fmt.Sprintf("deadline: holiday file for %d: %s", e.Year, strings.Join(parts, "; "))
}

// Unwrap exposes the issues' sentinels to errors.Is.
func (e *YearError) Unwrap() []error {
	out := make([]error, 0, len(e.Issues))
	for _, is := range e.Issues {
		out = append(out, is.Err)
	}
	return out
}

// Validation converts the issues to field errors for the edges, each with
// the i18n key of its sentinel and the offending value as argument.
func (e *YearError) Validation() *apperr.Validation {
	v := &apperr.Validation{}
	for _, is := range e.Issues {
		key := "deadline.problem.unknown"
		var de *Error
		if errors.As(is.Err, &de) {
			key = de.Key()
		}
		field := is.Field
		if field == "" {
			field = "file" // the file as a whole (not JSON, trailing data)
		}
		v.Add(field, key)
	}
	return v
}

func (e *YearError) add(field, value string, err error) {
	e.Issues = append(e.Issues, YearIssue{Field: field, Value: value, Err: err})
}

// rawYear mirrors YearData with dates as text, so that every bad date is
// reported with its place instead of stopping at the first one.
type rawYear struct {
	Year     int    `json:"year"`
	Source   string `json:"source"`
	Holidays []struct {
		Name string `json:"name"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"holidays"`
	Workdays []string `json:"workdays"`
}

// ParseYear reads and validates one holiday file (the input of a future
// `anguan calendar import FILE`). Unknown fields are refused, so a
// misspelt "workday" does not silently drop the make-up days. The error,
// if any, is a *YearError listing every problem.
func ParseYear(b []byte) (YearData, error) {
	var raw rawYear
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return YearData{}, &YearError{Issues: []YearIssue{{Field: "", Value: err.Error(), Err: ErrBadYearFile}}}
	}
	if dec.More() {
		return YearData{}, &YearError{Issues: []YearIssue{{Field: "", Value: "trailing data", Err: ErrBadYearFile}}}
	}
	ye := &YearError{Year: raw.Year}
	y := YearData{Year: raw.Year, Source: raw.Source}
	parse := func(field, s string) (Date, bool) {
		d, err := ParseDate(s)
		if err != nil {
			ye.add(field, s, ErrBadDate)
			return Date{}, false
		}
		return d, true
	}
	for i, h := range raw.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		from, ok1 := parse(f+".from", h.From)
		to, ok2 := parse(f+".to", h.To)
		if ok1 && ok2 {
			y.Holidays = append(y.Holidays, Holiday{Name: h.Name, From: from, To: to})
		}
	}
	for i, s := range raw.Workdays {
		if d, ok := parse(fmt.Sprintf("workdays[%d]", i), s); ok {
			y.Workdays = append(y.Workdays, d)
		}
	}
	if len(ye.Issues) > 0 {
		// Date syntax first: the checks below would only repeat the noise.
		return YearData{}, ye
	}
	if err := y.Validate(); err != nil {
		return YearData{}, err
	}
	return y, nil
}

// Validate checks a year: a plausible year; every date inside it; ranges
// in order and short; no day listed twice; no day both a holiday and a
// make-up working day; make-up working days on weekends only (a weekday is
// a working day anyway, so listing one is a mistake in the file).
func (y YearData) Validate() error {
	ye := &YearError{Year: y.Year}
	if y.Year < 1949 || y.Year > 9999 {
		ye.add("year", fmt.Sprint(y.Year), ErrYearRange)
		return ye
	}
	seen := map[Date]string{}
	for i, h := range y.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		bad := false
		for _, p := range []struct {
			field string
			d     Date
		}{{f + ".from", h.From}, {f + ".to", h.To}} {
			if !p.d.Valid() {
				ye.add(p.field, p.d.String(), ErrBadDate)
				bad = true
			} else if p.d.Y != y.Year {
				ye.add(p.field, p.d.String(), ErrOutsideYear)
				bad = true
			}
		}
		if bad {
			continue
		}
		if h.To.Before(h.From) {
			ye.add(f+".to", h.To.String(), ErrRangeReversed)
			continue
		}
		if h.To.Sub(h.From)+1 > maxHolidayRun {
			ye.add(f+".to", h.To.String(), ErrRangeTooLong)
			continue
		}
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if _, dup := seen[d]; dup {
				ye.add(f, d.String(), ErrDuplicateDate)
			}
			seen[d] = f
		}
	}
	work := map[Date]bool{}
	for i, d := range y.Workdays {
		f := fmt.Sprintf("workdays[%d]", i)
		switch {
		case !d.Valid():
			ye.add(f, d.String(), ErrBadDate)
		case d.Y != y.Year:
			ye.add(f, d.String(), ErrOutsideYear)
		case work[d]:
			ye.add(f, d.String(), ErrDuplicateDate)
		case seen[d] != "":
			ye.add(f, d.String(), ErrHolidayAndWorkday)
		case !d.IsWeekend():
			ye.add(f, d.String(), ErrWorkdayNotWeekend)
		}
		work[d] = true
	}
	if len(ye.Issues) > 0 {
		return ye
	}
	return nil
}

// HolidayDates lists every day off of the year's holidays, sorted.
func (y YearData) HolidayDates() []Date {
	var out []Date
	for _, h := range y.Holidays {
		for d := h.From; !d.After(h.To) && d.Valid(); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}
