package deadline

import (
	"errors"
	"strings"
	"testing"
)

func TestParseYear(t *testing.T) {
	ok := `{"year":2027,"source":"test","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":["2027-01-09"]}`
	y, err := ParseYear([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2027 || len(y.Holidays) != 1 || y.Holidays[0].To != day("2027-01-03") || y.Workdays[0] != day("2027-01-09") {
		t.Fatalf("parsed %+v", y)
	}
	c, err := LoadCalendar(y)
	if err != nil || c.IsWorkingDay(day("2027-01-01")) || !c.IsWorkingDay(day("2027-01-09")) {
		t.Fatalf("imported year not used: %v", err)
	}

	tests := []struct {
		name  string
		in    string
		want  error
		field string
	}{
		{"syntax", `{"year":2027,`, ErrBadYearFile, ""},
		{"unknown field", `{"year":2027,"holidays":[],"workday":["2027-01-09"]}`, ErrBadYearFile, ""},
		{"trailing", `{"year":2027} {}`, ErrBadYearFile, ""},
		{"year as text", `{"year":"2027"}`, ErrBadYearFile, ""},
		{"year range", `{"year":1900}`, ErrYearRange, "year"},
		{"bad date", `{"year":2027,"holidays":[{"name":"x","from":"2027-02-30","to":"2027-03-01"}]}`, ErrBadDate, "holidays[0].from"},
		{"bad workday", `{"year":2027,"workdays":["2027-1-9"]}`, ErrBadDate, "workdays[0]"},
		{"outside year", `{"year":2027,"holidays":[{"name":"x","from":"2026-12-31","to":"2027-01-01"}]}`, ErrOutsideYear, "holidays[0].from"},
		{"reversed", `{"year":2027,"holidays":[{"name":"x","from":"2027-10-07","to":"2027-10-01"}]}`, ErrRangeReversed, "holidays[0].to"},
		{"too long", `{"year":2027,"holidays":[{"name":"x","from":"2027-10-01","to":"2027-12-08"}]}`, ErrRangeTooLong, "holidays[0].to"},
		{"duplicate holiday", `{"year":2027,"holidays":[{"name":"a","from":"2027-10-01","to":"2027-10-03"},{"name":"b","from":"2027-10-03","to":"2027-10-04"}]}`, ErrDuplicateDate, "holidays[1]"},
		{"duplicate workday", `{"year":2027,"workdays":["2027-01-09","2027-01-09"]}`, ErrDuplicateDate, "workdays[1]"},
		{"both", `{"year":2027,"holidays":[{"name":"a","from":"2027-01-01","to":"2027-01-03"}],"workdays":["2027-01-02"]}`, ErrHolidayAndWorkday, "workdays[0]"},
		{"weekday workday", `{"year":2027,"workdays":["2027-01-08"]}`, ErrWorkdayNotWeekend, "workdays[0]"},
		{"workday outside", `{"year":2027,"workdays":["2026-01-04"]}`, ErrOutsideYear, "workdays[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYear([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var ye *YearError
			if !errors.As(err, &ye) {
				t.Fatalf("not a *YearError: %T", err)
			}
			if ye.Issues[0].Field != tt.field {
				t.Errorf("field %q, want %q", ye.Issues[0].Field, tt.field)
			}
			v := ye.Validation()
			if len(v.Fields) != len(ye.Issues) || !strings.HasPrefix(v.Fields[0].Key, "deadline.problem.") {
				t.Errorf("validation %+v", v)
			}
		})
	}
}

// TestParseYearReportsAll: every problem of a file comes back at once.
func TestParseYearReportsAll(t *testing.T) {
	in := `{"year":2027,"holidays":[{"name":"a","from":"2027-13-01","to":"2027-13-02"}],"workdays":["x","2027-01-09"]}`
	_, err := ParseYear([]byte(in))
	var ye *YearError
	if !errors.As(err, &ye) || len(ye.Issues) != 3 {
		t.Fatalf("want 3 issues, got %v", err)
	}
	if !strings.Contains(err.Error(), "workdays[0]") {
		t.Errorf("message does not name the field: %v", err)
	}
}

// FuzzParseYear: no input panics, and an accepted year loads.
func FuzzParseYear(f *testing.F) {
	f.Add(`{"year":2027,"holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":["2027-01-09"]}`)
	f.Add(`{"year":2027,"holidays":[{"name":"a","from":"2027-10-01","to":"2027-10-15"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		y, err := ParseYear([]byte(s))
		if err != nil {
			return
		}
		if _, err := LoadCalendar(y); err != nil {
			t.Fatalf("accepted year does not load: %v", err)
		}
	})
}
