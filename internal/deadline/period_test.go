package deadline

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		err  bool
	}{
		{"7d", Days(7), false},
		{"1m", Months(1), false},
		{"3wd", WorkingDays(3), false},
		{"24h", Hours(24), false},
		{"1hm", Days(15), false},
		{"2hm", Days(30), false},
		{"10000d", Days(10000), false},
		{"007d", Days(7), false},
		{"0d", Period{}, true},
		{"10001d", Period{}, true},
		{"667hm", Period{}, true},
		{"d", Period{}, true},
		{"7", Period{}, true},
		{"7w", Period{}, true},
		{"-7d", Period{}, true},
		{"+7d", Period{}, true},
		{"7 d", Period{}, true},
		{"1.5m", Period{}, true},
		{"99999999999999999999d", Period{}, true},
		{"", Period{}, true},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrBadPeriod) {
			t.Errorf("ParsePeriod(%q) error %v is not ErrBadPeriod", tt.in, err)
		}
	}
}

func TestPeriodStringAndJSON(t *testing.T) {
	for _, p := range []Period{Days(7), Months(3), WorkingDays(3), Hours(24), HalfMonths(1)} {
		q, err := ParsePeriod(p.String())
		if err != nil || q != p {
			t.Errorf("round trip of %v: %v, %v", p, q, err)
		}
	}
	if HalfMonths(1) != Days(15) {
		t.Error("half a month must be 15 days")
	}
	var v struct {
		P Period `json:"p"`
	}
	if err := json.Unmarshal([]byte(`{"p":"2m"}`), &v); err != nil || v.P != Months(2) {
		t.Fatalf("%v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"p":"2y"}`), &v); err == nil {
		t.Fatal("2y accepted")
	}
}

// FuzzParsePeriod: whatever parses is valid and survives a round trip.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"7d", "1m", "3wd", "24h", "1hm", "0d", "hm", "wd", "99999m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if !p.Valid() {
			t.Fatalf("ParsePeriod(%q) = invalid %+v", s, p)
		}
		q, err := ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip of %q: %v → %v, %v", s, p, q, err)
		}
		// Counting with any valid period terminates and moves forward.
		r := DefaultCalendar().Count(CountInput{Start: day("2025-03-04"), Base: p})
		if !r.Due.After(day("2025-03-04")) {
			t.Fatalf("due %v not after start for %v", r.Due, p)
		}
	})
}
