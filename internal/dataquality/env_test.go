package dataquality

import (
	"github.com/anguan/anguan/internal/i18n"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/idcard"
)

func TestDays(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-03-03", "2026-03-10", 7}, // DOMAIN §5.1: the starting day is not counted
		{"2026-03-10", "2026-03-03", -7},
		{"2026-02-28", "2026-03-01", 1},
		{"2024-02-28", "2024-03-01", 2}, // leap year
		{"2025-12-31", "2026-01-01", 1},
		{"2000-01-01", "2026-01-01", 9497},
		{"1970-01-01", "1970-01-01", 0},
		{"", "2026-03-10", 0},
		{"2026-03-10", "", 0},
		{"2026-02-30", "2026-03-10", 0}, // not a date
		{"2026/03/01", "2026-03-10", 0},
		{"2026-3-1", "2026-03-10", 0},
	} {
		if got := days(tc.from, tc.to); got != tc.want {
			t.Errorf("days(%q, %q) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

// days agrees with the time package over a long range, so the hand-rolled
// calendar arithmetic has no off-by-one at month, year or century ends.
func TestDaysMatchesTime(t *testing.T) {
	base := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	from := base.Format("2006-01-02")
	for d := 0; d < 200*366; d += 17 {
		tt := base.AddDate(0, 0, d)
		if got := days(from, tt.Format("2006-01-02")); got != d {
			t.Fatalf("days(%s, %s) = %d, want %d", from, tt.Format("2006-01-02"), got, d)
		}
		if got := addDays(from, d); got != tt.Format("2006-01-02") {
			t.Fatalf("addDays(%s, %d) = %s, want %s", from, d, got, tt.Format("2006-01-02"))
		}
	}
}

func TestBeforeAndYear(t *testing.T) {
	if !before("2026-03-01", "2026-03-02") || before("2026-03-02", "2026-03-02") || before("2026-03-03", "2026-03-02") {
		t.Error("before orders dates wrongly")
	}
	if before("", "2026-03-02") || before("2026-03-02", "") || before("2026-13-01", "2027-01-01") {
		t.Error("before is true with a blank or invalid side")
	}
	if year("2026-03-02") != 2026 || year("") != 0 || year("2026-02-29") != 0 {
		t.Error("year")
	}
	if !blank("") || !blank(" \t") || blank("是") {
		t.Error("blank")
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		date string
		n    int
		want string
	}{
		{"2026-03-03", 1, "2026-04-03"},
		{"2026-01-31", 1, "2026-02-28"}, // the same day does not exist: month end
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2026-04-30", 1, "2026-05-31"}, // start on a month end: to the month end (DOMAIN §5.1)
		{"2026-02-28", 1, "2026-03-31"},
		{"2024-02-28", 1, "2024-03-28"}, // 28 Feb is not a month end in a leap year
		{"2024-02-29", 1, "2024-03-31"},
		{"2026-01-30", 1, "2026-02-28"},
		{"2026-11-15", 2, "2027-01-15"},
		{"2026-12-31", 3, "2027-03-31"},
		{"2026-03-02", 12, "2027-03-02"},
		{"2026-03-02", 0, "2026-03-02"},
		{"2026-03-31", -1, "2026-02-28"},
		{"", 1, ""},
		{"2026-02-30", 1, ""},
	} {
		if got := addMonths(tc.date, tc.n); got != tc.want {
			t.Errorf("addMonths(%q, %d) = %q, want %q", tc.date, tc.n, got, tc.want)
		}
	}
	if addDays("2026-02-28", 1) != "2026-03-01" || addDays("", 1) != "" || addDays("2026-03-01", -1) != "2026-02-28" {
		t.Error("addDays")
	}
}

func TestIdentityHelpers(t *testing.T) {
	id, err := idcard.Build("110101", time.Date(2008, 3, 2, 0, 0, 0, 0, time.UTC), 31)
	if err != nil {
		t.Fatal(err)
	}
	if !validID(id) || birthDate(id) != "2008-03-02" {
		t.Fatalf("validID/birthDate(%s) = %v, %q", id, validID(id), birthDate(id))
	}
	bad := id[:17] + "0"
	if id[17] == '0' {
		bad = id[:17] + "1"
	}
	for _, s := range []string{bad, "", "G12345678", id[:17], "11010120080230031X"} {
		if validID(s) {
			t.Errorf("validID(%q) is true", s)
		}
		if birthDate(s) != "" || ageOn(s, "2026-03-02") != -1 {
			t.Errorf("birthDate/ageOn of invalid %q answer", s)
		}
	}
	// A year of age is completed on the day after the birthday.
	for _, tc := range []struct {
		on   string
		want int
	}{
		{"2026-03-01", 17}, {"2026-03-02", 17}, {"2026-03-03", 18}, {"2026-12-31", 18},
		{"2008-03-02", -1}, {"2008-03-03", 0}, {"2000-01-01", -1}, {"", -1},
	} {
		if got := ageOn(id, tc.on); got != tc.want {
			t.Errorf("ageOn(born 2008-03-02, %s) = %d, want %d", tc.on, got, tc.want)
		}
	}
	leapID, _ := idcard.Build("110101", time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC), 32)
	if ageOn(leapID, "2026-02-28") != 17 || ageOn(leapID, "2026-03-01") != 18 {
		t.Errorf("ageOn of a 29 February birthday: %d, %d", ageOn(leapID, "2026-02-28"), ageOn(leapID, "2026-03-01"))
	}
}

func TestDocYear(t *testing.T) {
	for doc, want := range map[string]int{
		"安东检刑诉〔2026〕12号":   2026,
		"吴堡检刑不诉〔2023〕9号":   2023,
		"安东检刑诉[2025]12号":   2025,
		"安东检刑诉〔26〕12号":     0,
		"安东检刑诉12号":         0,
		"":                 0,
		"〔〕〔2024〕":         2024,
		"安东检刑诉〔2026":       0,
		"安东检〔abcd〕刑〔2021〕": 2021,
	} {
		if got := docYear(doc); got != want {
			t.Errorf("docYear(%q) = %d, want %d", doc, got, want)
		}
	}
}

// The date helpers run for most rules on every card of every scan: they
// must not allocate.
func TestHelpersDoNotAllocate(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_ = days("2026-03-02", "2026-03-25")
		_ = before("2026-03-02", "2026-03-25")
		_ = year("2026-03-02")
		_ = blank(" ")
		_ = ageOn(adultID, "2026-03-02")
		_ = validID(adultID)
		_ = docYear("安东检刑诉〔2026〕12号")
	})
	if n != 0 {
		t.Errorf("helpers allocate %v times per run", n)
	}
}

// TestFunctionsDescribed: every helper the rule editor lists has its
// description in the catalogue.
func TestFunctionsDescribed(t *testing.T) {
	cat, err := i18n.Load(i18n.DefaultLang)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Functions {
		if !cat.Has(f.DocKey) {
			t.Errorf("%s: no message %s", f.Name, f.DocKey)
		}
	}
	if !cat.Has("err.dq_rule_pattern") {
		t.Error("no message for a non-constant pattern")
	}
}
