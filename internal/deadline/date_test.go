package deadline

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		err  bool
	}{
		{"2025-03-04", Date{2025, time.March, 4}, false},
		{"2024-02-29", Date{2024, time.February, 29}, false},
		{"0001-01-01", Date{1, time.January, 1}, false},
		{"9999-12-31", Date{9999, time.December, 31}, false},
		{"2025-02-29", Date{}, true},
		{"2100-02-29", Date{}, true},
		{"2025-13-01", Date{}, true},
		{"2025-00-10", Date{}, true},
		{"2025-04-31", Date{}, true},
		{"0000-01-01", Date{}, true},
		{"2025-3-4", Date{}, true},
		{"2025/03/04", Date{}, true},
		{"2025-03-04T00:00:00Z", Date{}, true},
		{" 2025-03-04", Date{}, true},
		{"+025-03-04", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) error %v is not ErrBadDate", tt.in, err)
		}
	}
}

// TestDateArithmetic checks the integer day arithmetic against the time
// package over three centuries, leap years and all.
func TestDateArithmetic(t *testing.T) {
	base := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	d0 := NewDate(1900, 1, 1)
	for i := 0; i < 300*366; i += 7 {
		tm := base.AddDate(0, 0, i)
		want := Date{tm.Year(), tm.Month(), tm.Day()}
		got := d0.AddDays(i)
		if got != want {
			t.Fatalf("1900-01-01 + %d = %v, want %v", i, got, want)
		}
		if got.Weekday() != tm.Weekday() {
			t.Fatalf("%v weekday %v, want %v", got, got.Weekday(), tm.Weekday())
		}
		if got.Sub(d0) != i {
			t.Fatalf("%v − 1900-01-01 = %d, want %d", got, got.Sub(d0), i)
		}
	}
}

func TestNewDateNormalises(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2025, 1, 32, "2025-02-01"},
		{2025, 13, 1, "2026-01-01"},
		{2025, 0, 1, "2024-12-01"},
		{2024, 3, 0, "2024-02-29"},
		{2025, 2, 29, "2025-03-01"},
	}
	for _, tt := range tests {
		if got := NewDate(tt.y, tt.m, tt.d).String(); got != tt.want {
			t.Errorf("NewDate(%d,%d,%d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestDateJSONAndCompare(t *testing.T) {
	var v struct {
		D Date `json:"d"`
		Z Date `json:"z"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2025-03-04","z":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.D != day("2025-03-04") || !v.Z.IsZero() {
		t.Fatalf("got %+v", v)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"2025-03-04","z":""}` {
		t.Fatalf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"d":"2025-02-30"}`), &v); !errors.Is(err, ErrBadDate) {
		t.Fatalf("bad date accepted: %v", err)
	}
	a, b2 := day("2025-03-04"), day("2025-03-05")
	if !a.Before(b2) || !b2.After(a) || a.Compare(a) != 0 || a.Compare(b2) != -1 || b2.Compare(a) != 1 {
		t.Fatal("comparison wrong")
	}
	if Today(time.Date(2025, 3, 4, 23, 59, 0, 0, time.FixedZone("CST", 8*3600))) != a {
		t.Fatal("Today wrong")
	}
	if !day("2024-02-29").IsLastOfMonth() || day("2025-02-27").IsLastOfMonth() {
		t.Fatal("IsLastOfMonth wrong")
	}
}

// FuzzParseDate: whatever parses prints back to the same text and is a
// real day; nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-04", "2024-02-29", "2025-02-29", "0000-00-00", "9999-12-31", "abcd-ef-gh", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if !d.Valid() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v (valid %v)", s, d, d.Valid())
		}
		if d.AddDays(40).AddDays(-40) != d {
			t.Fatalf("AddDays not reversible at %v", d)
		}
	})
}
