package deadline

import "fmt"

// Colour is the warning colour (预警) of a clock on the monitoring board.
type Colour string

// Colours, from calm to late (the three-colour practice of DOMAIN §5,
// Shanghai: yellow some days before, orange one day before, red overdue).
const (
	ColourNone   Colour = "none"
	ColourYellow Colour = "yellow"
	ColourOrange Colour = "orange"
	ColourRed    Colour = "red"
)

// Colours lists every colour.
func Colours() []Colour { return []Colour{ColourNone, ColourYellow, ColourOrange, ColourRed} }

// ColourKey is the i18n key of a colour's name.
func ColourKey(c Colour) string { return "deadline.colour." + string(c) }

// Thresholds say how many days before the due date a clock turns yellow
// and orange. Days are calendar days: the board warns people, and a
// weekend before a due date is exactly when a warning is needed.
type Thresholds struct {
	Yellow int `json:"yellow"`
	Orange int `json:"orange"`
}

// WarningSettings are the thresholds per case category, an office
// setting: practice differs (DOMAIN §5: some offices warn 5 days ahead for
// prosecution review and 2 days for arrest review).
type WarningSettings struct {
	Default    Thresholds            `json:"default"`
	Categories map[string]Thresholds `json:"categories,omitempty"`
}

// DefaultWarningSettings returns the defaults of issue 3: yellow 3 days
// before (2 for arrest review, whose 7-day period would otherwise be half
// yellow), orange 1 day before, red when overdue.
func DefaultWarningSettings() WarningSettings {
	return WarningSettings{
		Default: Thresholds{Yellow: 3, Orange: 1},
		Categories: map[string]Thresholds{
			CategoryProsecutionReview: {Yellow: 3, Orange: 1},
			CategoryArrestReview:      {Yellow: 2, Orange: 1},
		},
	}
}

// For returns the thresholds of a category (the default if not set).
func (s WarningSettings) For(category string) Thresholds {
	if th, ok := s.Categories[category]; ok {
		return th
	}
	return s.Default
}

// Validate checks 0 ≤ orange ≤ yellow in every entry.
func (s WarningSettings) Validate() error {
	check := func(name string, th Thresholds) error {
		if th.Orange < 0 || th.Yellow < th.Orange {
			return fmt.Errorf("deadline: warning thresholds for %s: need 0 ≤ orange (%d) ≤ yellow (%d)", name, th.Orange, th.Yellow)
		}
		return nil
	}
	if err := check("default", s.Default); err != nil {
		return err
	}
	for c, th := range s.Categories {
		if err := check(c, th); err != nil {
			return err
		}
	}
	return nil
}

// Colour returns the clock's warning colour on today: red when overdue,
// orange when Orange days or fewer are left (the due date itself
// included), yellow when Yellow days or fewer are left, none otherwise.
// Closed clocks (met, missed, stopped), suspended ones, whose time is not
// running, and waiting periods (公告期), which nobody can miss, have no
// colour.
func (c Clock) Colour(today Date, th Thresholds) Colour {
	if (c.State != StateRunning && c.State != StateOverdue) || c.Waiting {
		return ColourNone
	}
	left := c.DaysLeft(today)
	switch {
	case left < 0:
		return ColourRed
	case left <= th.Orange:
		return ColourOrange
	case left <= th.Yellow:
		return ColourYellow
	}
	return ColourNone
}
