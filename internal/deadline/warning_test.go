package deadline

import "testing"

func TestColour(t *testing.T) {
	s := DefaultWarningSettings()
	pr := s.For(CategoryProsecutionReview)
	ar := s.For(CategoryArrestReview)
	other := s.For(CategoryPetition)
	if pr != (Thresholds{3, 1}) || ar != (Thresholds{2, 1}) || other != (Thresholds{3, 1}) {
		t.Fatalf("defaults %v %v %v", pr, ar, other)
	}
	running := Clock{State: StateRunning, Due: day("2025-04-07")}
	tests := []struct {
		c     Clock
		today string
		th    Thresholds
		want  Colour
	}{
		{running, "2025-04-01", pr, ColourNone},
		{running, "2025-04-03", pr, ColourNone},
		{running, "2025-04-04", pr, ColourYellow},
		{running, "2025-04-05", ar, ColourYellow},
		{running, "2025-04-04", ar, ColourNone},
		{running, "2025-04-06", pr, ColourOrange},
		{running, "2025-04-07", pr, ColourOrange},
		{Clock{State: StateOverdue, Due: day("2025-04-07")}, "2025-04-08", pr, ColourRed},
		{Clock{State: StateMet, Due: day("2025-04-07")}, "2025-04-08", pr, ColourNone},
		{Clock{State: StateMissed, Due: day("2025-04-07")}, "2025-04-08", pr, ColourNone},
		{Clock{State: StateStopped, Due: day("2025-04-07")}, "2025-04-06", pr, ColourNone},
		{Clock{State: StateSuspended, Due: day("2025-04-07")}, "2025-04-06", pr, ColourNone},
		{running, "2025-04-02", Thresholds{Yellow: 5, Orange: 1}, ColourYellow},
	}
	for _, tt := range tests {
		if got := tt.c.Colour(day(tt.today), tt.th); got != tt.want {
			t.Errorf("%s due %s on %s with %v: %s, want %s", tt.c.State, tt.c.Due, tt.today, tt.th, got, tt.want)
		}
	}
}

// TestColourOfDerivedClocks: the colour follows the state Derive gave.
func TestColourOfDerivedClocks(t *testing.T) {
	c := Case{Category: CategoryArrestReview, InCustody: true, Events: []Event{ev("received", "2025-03-03")}}
	th := DefaultWarningSettings().For(c.Category)
	for today, want := range map[string]Colour{
		"2025-03-04": ColourNone, "2025-03-08": ColourYellow, "2025-03-09": ColourOrange,
		"2025-03-10": ColourOrange, "2025-03-11": ColourRed,
	} {
		k := DefaultEngine().Derive(c, day(today)).Clocks[0]
		if got := k.Colour(day(today), th); got != want {
			t.Errorf("%s: %s, want %s", today, got, want)
		}
	}
}

func TestWarningSettingsValidate(t *testing.T) {
	if err := DefaultWarningSettings().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultWarningSettings()
	bad.Categories[CategoryPetition] = Thresholds{Yellow: 1, Orange: 2}
	if bad.Validate() == nil {
		t.Error("orange after yellow accepted")
	}
	if (WarningSettings{Default: Thresholds{Yellow: 3, Orange: -1}}).Validate() == nil {
		t.Error("negative threshold accepted")
	}
}
