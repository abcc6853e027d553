package stats

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/apperr"
)

// Period is a range of legal dates (ISO, inclusive).
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Period kinds.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
	PeriodCustom  = "custom"
)

var (
	reMonth   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	reQuarter = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	reYear    = regexp.MustCompile(`^(\d{4})$`)
)

// Years outside this window are typos, not statistics.
const (
	minYear = 2000
	maxYear = 2100
)

// MaxCustomDays bounds a custom period (ten years of history).
const MaxCustomDays = 3700

// ParsePeriod reads a period: kind month ("2026-03"), quarter ("2026-Q1"),
// year ("2026") or custom (from, to: ISO dates, inclusive). Bad input is an
// *apperr.Validation naming the field.
func ParsePeriod(kind, value, from, to string) (Period, error) {
	switch kind {
	case PeriodMonth:
		m := reMonth.FindStringSubmatch(value)
		if m == nil {
			return Period{}, apperr.Invalid("period", "err.stats_period_month")
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 || y < minYear || y > maxYear {
			return Period{}, apperr.Invalid("period", "err.stats_period_month")
		}
		return monthPeriod(y, time.Month(mo)), nil
	case PeriodQuarter:
		m := reQuarter.FindStringSubmatch(value)
		if m == nil {
			return Period{}, apperr.Invalid("period", "err.stats_period_quarter")
		}
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		if y < minYear || y > maxYear {
			return Period{}, apperr.Invalid("period", "err.stats_period_quarter")
		}
		start := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return Period{From: start.Format(time.DateOnly), To: start.AddDate(0, 3, -1).Format(time.DateOnly)}, nil
	case PeriodYear:
		m := reYear.FindStringSubmatch(value)
		y, _ := strconv.Atoi(value)
		if m == nil || y < minYear || y > maxYear {
			return Period{}, apperr.Invalid("period", "err.stats_period_year")
		}
		return Period{From: fmt.Sprintf("%04d-01-01", y), To: fmt.Sprintf("%04d-12-31", y)}, nil
	case PeriodCustom:
		p := Period{From: from, To: to}
		return p, p.Validate()
	default:
		return Period{}, apperr.Invalid("period_kind", "err.stats_period_kind")
	}
}

func monthPeriod(y int, m time.Month) Period {
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return Period{From: start.Format(time.DateOnly), To: start.AddDate(0, 1, -1).Format(time.DateOnly)}
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false
	}
	return t, true
}

// Validate checks a period given as two dates: both ISO dates, the end not
// before the start, at most MaxCustomDays long.
func (p Period) Validate() error {
	v := &apperr.Validation{}
	f, okF := parseDay(p.From)
	t, okT := parseDay(p.To)
	if !okF {
		v.Add("from", "err.stats_date")
	}
	if !okT {
		v.Add("to", "err.stats_date")
	}
	if okF && okT {
		switch {
		case t.Before(f):
			v.Add("to", "err.stats_period_order")
		case t.Sub(f).Hours()/24 > MaxCustomDays:
			v.Add("to", "err.stats_period_long", MaxCustomDays)
		}
	}
	return v.Err()
}

// Label names the period without words ("2026-03", "2026-Q1", "2026",
// "2026-03-02/2026-03-15"); pages render LabelKey.
func (p Period) Label() string {
	key, args := p.LabelKey()
	switch key {
	case "stats.period.month":
		return fmt.Sprintf("%04d-%02d", args...)
	case "stats.period.quarter":
		return fmt.Sprintf("%04d-Q%d", args...)
	case "stats.period.year":
		return fmt.Sprintf("%04d", args...)
	}
	return p.From + "/" + p.To
}

// LabelKey is the i18n key and arguments naming the period
// ("2026年3月", "2026年第1季度", "2026年", "2026-03-02至2026-03-15").
func (p Period) LabelKey() (string, []any) {
	f, okF := parseDay(p.From)
	t, okT := parseDay(p.To)
	if !okF || !okT {
		return "stats.period.custom", []any{p.From, p.To}
	}
	end := func(months int) bool { return f.Day() == 1 && f.AddDate(0, months, -1).Equal(t) }
	switch {
	case end(12) && f.Month() == time.January:
		return "stats.period.year", []any{f.Year()}
	case end(3) && (f.Month()-1)%3 == 0:
		return "stats.period.quarter", []any{f.Year(), int(f.Month()-1)/3 + 1}
	case end(1):
		return "stats.period.month", []any{f.Year(), int(f.Month())}
	}
	return "stats.period.custom", []any{p.From, p.To}
}

// Month is the month period containing day (ISO).
func monthOf(day time.Time) Period { return monthPeriod(day.Year(), day.Month()) }
