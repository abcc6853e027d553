package deadline

import (
	"errors"
	"slices"
	"testing"
)

func TestDefaultCalendarYears(t *testing.T) {
	c := DefaultCalendar()
	if got := c.Years(); !slices.Equal(got, []int{2024, 2025, 2026}) {
		t.Fatalf("years %v", got)
	}
	if c.Covers(2023) || !c.Covers(2026) || c.Covers(2027) {
		t.Fatal("Covers wrong")
	}
}

// TestShippedHolidays checks the embedded files day by day against
// DOMAIN §5.1, so a typo in a file cannot hide.
func TestShippedHolidays(t *testing.T) {
	want := map[int]struct{ holidays, workdays []string }{
		2024: {
			[]string{"01-01", "02-10", "02-11", "02-12", "02-13", "02-14", "02-15", "02-16", "02-17",
				"04-04", "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05", "06-10",
				"09-15", "09-16", "09-17", "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"},
			[]string{"02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"},
		},
		2025: {
			[]string{"01-01", "01-28", "01-29", "01-30", "01-31", "02-01", "02-02", "02-03", "02-04",
				"04-04", "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05", "05-31", "06-01", "06-02",
				"10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07", "10-08"},
			[]string{"01-26", "02-08", "04-27", "09-28", "10-11"},
		},
		2026: {
			[]string{"01-01", "01-02", "01-03", "02-15", "02-16", "02-17", "02-18", "02-19", "02-20", "02-21",
				"02-22", "02-23", "04-04", "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05",
				"06-19", "06-20", "06-21", "09-25", "09-26", "09-27", "10-01", "10-02", "10-03", "10-04",
				"10-05", "10-06", "10-07"},
			[]string{"01-04", "02-14", "02-28", "05-09", "09-20", "10-10"},
		},
	}
	years, err := DefaultYears()
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range years {
		w := want[y.Year]
		var got []string
		for _, d := range y.HolidayDates() {
			got = append(got, d.String()[5:])
		}
		if !slices.Equal(got, w.holidays) {
			t.Errorf("%d holidays\n got %v\nwant %v", y.Year, got, w.holidays)
		}
		got = got[:0]
		for _, d := range y.Workdays {
			got = append(got, d.String()[5:])
		}
		if !slices.Equal(got, w.workdays) {
			t.Errorf("%d workdays %v, want %v", y.Year, got, w.workdays)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		d    string
		want bool
	}{
		{"2025-03-04", true},  // Tuesday
		{"2025-03-08", false}, // Saturday
		{"2025-04-04", false}, // 清明, Friday
		{"2025-04-07", true},
		{"2025-01-26", true},  // make-up Sunday
		{"2025-02-08", true},  // make-up Saturday
		{"2025-10-08", false}, // last day of the 8-day National Day holiday
		{"2025-10-11", true},  // make-up Saturday
		{"2026-02-14", true},  // make-up Saturday before Spring Festival
		{"2026-02-15", false}, // Spring Festival
		{"2026-02-23", false}, // last day of Spring Festival, a Monday
		{"2026-02-24", true},
		{"2026-02-28", true}, // make-up Saturday after Spring Festival
		{"2026-01-04", true}, // make-up Sunday
		{"2024-06-10", false},
		{"2024-09-14", true},
		{"2027-01-01", true},  // beyond the data: a Friday, weekends only
		{"2027-01-02", false}, // Saturday
		{"2023-10-02", true},  // before the data: weekends only
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(day(tt.d)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	if n, ok := c.Holiday(day("2026-02-17")); !ok || n != "春节" {
		t.Errorf("Holiday(2026-02-17) = %q, %v", n, ok)
	}
	if !c.IsMakeUpWorkday(day("2026-02-28")) || c.IsMakeUpWorkday(day("2026-02-27")) {
		t.Error("IsMakeUpWorkday wrong")
	}
}

func TestWorkingDayArithmetic(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		from   string
		n      int
		want   string
		beyond bool
	}{
		{"2025-03-06", 3, "2025-03-11", false}, // Thu → Fri, Mon, Tue
		{"2025-09-30", 3, "2025-10-11", false}, // over National Day to the make-up Saturday
		{"2026-02-12", 3, "2026-02-24", false}, // Fri, make-up Sat 14 Feb, then after Spring Festival
		{"2025-04-03", 1, "2025-04-07", false},
		{"2026-12-30", 3, "2027-01-04", true}, // 31 Dec, 1 Jan (unknown year: a Friday), 4 Jan
	}
	for _, tt := range tests {
		got, beyond := c.AddWorkingDays(day(tt.from), tt.n)
		if got != day(tt.want) || beyond != tt.beyond {
			t.Errorf("AddWorkingDays(%s, %d) = %v, %v; want %s, %v", tt.from, tt.n, got, beyond, tt.want, tt.beyond)
		}
	}
	if got := c.NextWorkingDay(day("2025-05-01")); got != day("2025-05-06") {
		t.Errorf("NextWorkingDay(2025-05-01) = %v", got)
	}
}

func TestNilCalendarIsWeekendsOnly(t *testing.T) {
	var c *Calendar
	if c.Covers(2025) || c.Years() != nil || !c.IsWorkingDay(day("2025-04-04")) || c.IsWorkingDay(day("2025-04-05")) {
		t.Fatal("nil calendar should know weekends only")
	}
	r := c.Count(CountInput{Start: day("2025-03-04"), Base: Months(1)})
	if r.Due != day("2025-04-04") || !r.BeyondCalendar {
		t.Fatalf("nil calendar count: %v beyond %v", r.Due, r.BeyondCalendar)
	}
}

func TestLoadCalendarErrors(t *testing.T) {
	years, err := DefaultYears()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCalendar(years[0], years[0]); !errors.Is(err, ErrDuplicateYear) {
		t.Errorf("duplicate year: %v", err)
	}
	bad := years[1]
	bad.Workdays = append(bad.Workdays, day("2025-03-04"))
	if _, err := LoadCalendar(bad); !errors.Is(err, ErrWorkdayNotWeekend) {
		t.Errorf("unvalidated year accepted: %v", err)
	}
	// A calendar of 2025 alone knows nothing of 2026.
	c, err := LoadCalendar(years[1])
	if err != nil {
		t.Fatal(err)
	}
	if c.Covers(2026) || !c.IsWorkingDay(day("2026-02-16")) {
		t.Error("2026 should be weekends only")
	}
}
