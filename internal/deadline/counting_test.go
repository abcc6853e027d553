package deadline

import "testing"

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
		rule MonthRule
	}{
		{"2025-03-04", 1, "2025-04-04", MonthSameDay},
		{"2025-01-31", 1, "2025-02-28", MonthEndToEnd}, // DOMAIN: 31 Jan + 1 month = 28 Feb
		{"2024-01-31", 1, "2024-02-29", MonthEndToEnd}, // … 29 Feb in a leap year
		{"2025-04-30", 1, "2025-05-31", MonthEndToEnd}, // DOMAIN: 30 Apr + 1 month = 31 May
		{"2025-02-28", 1, "2025-03-31", MonthEndToEnd}, // 28 Feb is the end of February 2025
		{"2024-02-28", 1, "2024-03-28", MonthSameDay},  // but not of February 2024
		{"2024-02-29", 1, "2024-03-31", MonthEndToEnd},
		{"2025-01-30", 1, "2025-02-28", MonthClamped}, // no 30 Feb
		{"2025-01-29", 1, "2025-02-28", MonthClamped},
		{"2024-01-30", 1, "2024-02-29", MonthClamped},
		{"2025-01-31", 2, "2025-03-31", MonthSameDay},
		{"2025-03-31", 1, "2025-04-30", MonthEndToEnd},
		{"2025-05-31", 1, "2025-06-30", MonthEndToEnd},
		{"2025-11-30", 3, "2026-02-28", MonthEndToEnd},
		{"2025-12-15", 1, "2026-01-15", MonthSameDay},
		{"2025-10-31", 3, "2026-01-31", MonthSameDay},
		{"2025-08-31", 6, "2026-02-28", MonthEndToEnd},
	}
	for _, tt := range tests {
		got, rule := AddMonths(day(tt.from), tt.n)
		if got != day(tt.want) || rule != tt.rule {
			t.Errorf("AddMonths(%s, %d) = %v, %v; want %s, %v", tt.from, tt.n, got, rule, tt.want, tt.rule)
		}
	}
}

// TestCount covers the counting rules of DOMAIN §5.1 with hand-checked
// dates (weekday and holiday of every due date looked up by hand).
func TestCount(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		name    string
		start   string
		base    Period
		custody bool
		ext     []Extension
		susp    []Suspension
		asOf    string
		baseDue string
		due     string
		beyond  bool
	}{
		{"7 days from 3 March end 10 March", "2025-03-03", Days(7), false, nil, nil, "", "2025-03-10", "2025-03-10", false},
		{"same in custody", "2025-03-03", Days(7), true, nil, nil, "", "2025-03-10", "2025-03-10", false},
		{"31 Jan + 1 month", "2025-01-31", Months(1), false, nil, nil, "", "2025-02-28", "2025-02-28", false},
		{"31 Jan + 1 month, leap year", "2024-01-31", Months(1), false, nil, nil, "", "2024-02-29", "2024-02-29", false},
		{"30 Apr + 1 month ends on holiday 31 May, shifted", "2025-04-30", Months(1), false, nil, nil, "", "2025-05-31", "2025-06-03", false},
		{"30 Apr + 1 month, custody keeps 31 May", "2025-04-30", Months(1), true, nil, nil, "", "2025-05-31", "2025-05-31", false},
		{"4–6 Apr 2025 → 7 Apr", "2025-03-04", Months(1), false, nil, nil, "", "2025-04-04", "2025-04-07", false},
		{"4–6 Apr 2025 in custody stays 4 Apr", "2025-03-04", Months(1), true, nil, nil, "", "2025-04-04", "2025-04-04", false},
		{"weekend shift", "2025-02-21", Days(15), false, nil, nil, "", "2025-03-08", "2025-03-10", false},
		{"weekend, custody", "2025-02-21", Days(15), true, nil, nil, "", "2025-03-08", "2025-03-08", false},
		{"half month is 15 days", "2025-03-03", HalfMonths(1), false, nil, nil, "", "2025-03-18", "2025-03-18", false},
		{"ends on make-up Saturday 14 Feb 2026", "2026-02-07", Days(7), false, nil, nil, "", "2026-02-14", "2026-02-14", false},
		{"ends in Spring Festival 2026", "2026-02-08", Days(7), false, nil, nil, "", "2026-02-15", "2026-02-24", false},
		{"Spring Festival, custody", "2026-02-08", Days(7), true, nil, nil, "", "2026-02-15", "2026-02-15", false},
		{"ends on make-up Saturday 28 Feb 2026", "2026-02-21", Days(7), false, nil, nil, "", "2026-02-28", "2026-02-28", false},
		{"National Day 2025, 8 days", "2025-09-16", Days(15), false, nil, nil, "", "2025-10-01", "2025-10-09", false},
		{"1 Jan 2027 unknown: a Friday, kept", "2026-12-17", Days(15), false, nil, nil, "", "2027-01-01", "2027-01-01", true},
		{"2 Jan 2027 Saturday → 4 Jan", "2026-12-18", Days(15), false, nil, nil, "", "2027-01-02", "2027-01-04", true},
		{"31 Dec 2026 working, no note", "2026-12-16", Days(15), false, nil, nil, "", "2026-12-31", "2026-12-31", false},
		{"extension 15 days then shift", "2025-03-04", Months(1), false,
			[]Extension{{Date: day("2025-03-30"), Period: Days(15)}}, nil, "", "2025-04-04", "2025-04-21", false},
		{"extension, custody", "2025-03-04", Months(1), true,
			[]Extension{{Date: day("2025-03-30"), Period: Days(15)}}, nil, "", "2025-04-04", "2025-04-19", false},
		{"10-day suspension moves the due date", "2025-03-04", Months(1), false, nil,
			[]Suspension{{From: day("2025-03-10"), To: day("2025-03-20"), Reason: ReasonPsychiatric}}, "", "2025-04-04", "2025-04-14", false},
		{"suspension onto a holiday, then shift", "2025-03-04", Days(28), false, nil,
			[]Suspension{{From: day("2025-03-10"), To: day("2025-03-13"), Reason: ReasonPsychiatric}}, "", "2025-04-01", "2025-04-07", false},
		{"open suspension counted to asOf", "2025-03-04", Months(1), false, nil,
			[]Suspension{{From: day("2025-03-10"), Open: true, Reason: ReasonPsychiatric}}, "2025-03-25", "2025-04-04", "2025-04-21", false},
		{"same-day suspension counts nothing", "2025-03-04", Days(7), false, nil,
			[]Suspension{{From: day("2025-03-05"), To: day("2025-03-05"), Reason: ReasonPsychiatric}}, "", "2025-03-11", "2025-03-11", false},
		{"3 working days over a weekend", "2025-03-06", WorkingDays(3), false, nil, nil, "", "2025-03-11", "2025-03-11", false},
		{"3 working days over National Day", "2025-09-30", WorkingDays(3), false, nil, nil, "", "2025-10-11", "2025-10-11", false},
		{"24 hours on a holiday: no shift", "2025-04-03", Hours(24), false, nil, nil, "", "2025-04-04", "2025-04-04", false},
		{"36 hours round up to 2 days", "2025-03-03", Hours(36), false, nil, nil, "", "2025-03-05", "2025-03-05", false},
		{"3 months over year end", "2025-11-30", Months(3), false, nil, nil, "", "2026-02-28", "2026-02-28", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := CountInput{Start: day(tt.start), Base: tt.base, Custody: tt.custody, CustodyRelevant: true,
				Extensions: tt.ext, Suspensions: tt.susp}
			if tt.asOf != "" {
				in.AsOf = day(tt.asOf)
			}
			r := cal.Count(in)
			if r.BaseDue != day(tt.baseDue) || r.Due != day(tt.due) || r.BeyondCalendar != tt.beyond {
				t.Errorf("base %v due %v beyond %v; want %s %s %v", r.BaseDue, r.Due, r.BeyondCalendar, tt.baseDue, tt.due, tt.beyond)
			}
		})
	}
}
