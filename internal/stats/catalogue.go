// Package stats is indicators and analysis (统计分析, DOMAIN §9): a catalogue
// of indicators kept as data (catalogue.json), each the ratio of two
// measures; measures are a fixed, reviewed set of hand-written queries in
// the store (no SQL ever comes from data), or sums of other measures.
//
// Numbers are read from a daily cache (stats_daily) that Refresh keeps up
// to date incrementally; Verify recomputes any unit and period from scratch
// and lists the differences, so the cache can always be shown to agree with
// the records. Aggregates are visible to the caller's unit (and, for upper
// supervisors and the chief of an upper unit, its subordinates) and to
// units a unit chose to share with (stats_shares); the records behind a
// number only within the caller's case scope.
package stats

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

// Counting units.
const (
	UnitCase   = "case"
	UnitPerson = "person"
)

// Directions: lower is better, higher is better, within a reasonable range.
const (
	DirUp    = "up"
	DirDown  = "down"
	DirRange = "range"
)

// Kinds of indicator value.
const (
	KindRate  = "rate"  // percent
	KindRatio = "ratio" // 案件比, shown 1 : x
)

// Term is one signed part of a composite measure. Procedures marks the
// term "events" restricted to the catalogue's procedure list (案件比's 件).
type Term struct {
	Measure    string `json:"measure"`
	Sign       int    `json:"sign"`
	Procedures bool   `json:"procedures,omitempty"`
}

// Measure is a count over cases, persons (suspect parties), events or case
// cards. A base measure (no Terms) is computed by the store's query of the
// same id; a composite one is the signed sum of its Terms.
type Measure struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Definition   string `json:"definition"`
	CountingUnit string `json:"counting_unit"` // "case" | "person"
	// DateBasis is the date that places a record in a period: received
	// (受理日期), decided (作出决定之日), event (事项发生之日), card_decided,
	// card_received (案卡的决定、受理日期) or mixed (composites).
	DateBasis string `json:"date_basis"`
	Terms     []Term `json:"terms,omitempty"`
}

// Composite reports whether m is a sum of other measures.
func (m Measure) Composite() bool { return len(m.Terms) > 0 }

// Indicator is one indicator of DOMAIN §9: Numerator ÷ Denominator.
type Indicator struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Definition   string   `json:"definition"`
	Numerator    string   `json:"numerator,omitempty"`   // measure id
	Denominator  string   `json:"denominator,omitempty"` // measure id
	CountingUnit string   `json:"counting_unit,omitempty"`
	DateBasis    string   `json:"date_basis,omitempty"`
	Direction    string   `json:"direction"` // "up" | "down" | "range"
	RangeLow     *float64 `json:"range_low,omitempty"`
	RangeHigh    *float64 `json:"range_high,omitempty"`
	Kind         string   `json:"kind"` // "rate" | "ratio"
	// Available is false for indicators whose records the system does not
	// hold yet; UnavailableReason says why. They are listed, never
	// computed from invented data.
	Available         bool   `json:"available"`
	UnavailableReason string `json:"unavailable_reason,omitempty"`
}

// Procedure is one of the non-routine procedures counted as 件 in 案件比:
// events with Code on criminal cases of Category ("" = arrest and
// prosecution review). Recorded says whether the system records the event
// yet; the others count as soon as it does.
type Procedure struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Recorded bool   `json:"recorded"`
}

// Catalogue is the indicator catalogue.
type Catalogue struct {
	Indicators     []Indicator `json:"indicators"`
	Measures       []Measure   `json:"measures"`
	Procedures     []Procedure `json:"procedures"`
	ProceduresNote string      `json:"procedures_note"`
}

//go:embed catalogue.json
var catalogueJSON []byte

// DefaultCatalogue is the shipped catalogue, checked.
func DefaultCatalogue() (Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(catalogueJSON, &c); err != nil {
		return Catalogue{}, fmt.Errorf("stats: catalogue.json: %w", err)
	}
	if err := c.check(); err != nil {
		return Catalogue{}, err
	}
	return c, nil
}

// CriminalCategories are the categories whose events count as 件.
func CriminalCategories() []string { return []string{"arrest_review", "prosecution_review"} }

// BaseMeasures lists the measures the store must compute, by id.
func BaseMeasures() []string {
	return []string{"ar_received", "pr_received", "pr_received_arrested", "ar_concluded_p", "ar_rejected_p",
		"pr_concluded", "pr_decided_p", "pr_prosecuted_p", "pr_np_p", "pr_arrested_p", "pr_np_arrested_p",
		"pr_plea_p", "crim_received_p", "crim_concluded_p", "pr_returns", "pr_extensions", MeasureEvents,
		"card_sentencing", "card_sentencing_fixed", "card_adoption_known", "card_adopted", "card_checked", "card_clean"}
}

// MeasureEvents is the keyed base measure: events of criminal cases
// counted by "category:code" (cache key "events:category:code").
const MeasureEvents = "events"

// check validates the catalogue: unique ids, known references, no cycle
// (a composite refers only to measures defined before it), the closed
// vocabularies.
func (c Catalogue) check() error {
	seen := map[string]bool{}
	for _, m := range c.Measures {
		if m.ID == "" || seen[m.ID] {
			return fmt.Errorf("stats: measure %q empty or defined twice", m.ID)
		}
		if m.CountingUnit != UnitCase && m.CountingUnit != UnitPerson {
			return fmt.Errorf("stats: measure %s: counting unit %q", m.ID, m.CountingUnit)
		}
		if !m.Composite() && !slices.Contains(BaseMeasures(), m.ID) {
			return fmt.Errorf("stats: measure %s has neither terms nor a query", m.ID)
		}
		for _, t := range m.Terms {
			if !seen[t.Measure] {
				return fmt.Errorf("stats: measure %s refers to %q, not defined before it", m.ID, t.Measure)
			}
			if t.Sign != 1 && t.Sign != -1 {
				return fmt.Errorf("stats: measure %s: sign %d", m.ID, t.Sign)
			}
			if t.Procedures && t.Measure != MeasureEvents {
				return fmt.Errorf("stats: measure %s: only %q takes the procedure list", m.ID, MeasureEvents)
			}
		}
		seen[m.ID] = true
	}
	for _, id := range BaseMeasures() {
		if !seen[id] {
			return fmt.Errorf("stats: base measure %s missing from the catalogue", id)
		}
	}
	ids := map[string]bool{}
	for _, in := range c.Indicators {
		if in.ID == "" || ids[in.ID] {
			return fmt.Errorf("stats: indicator %q empty or defined twice", in.ID)
		}
		ids[in.ID] = true
		if !slices.Contains([]string{DirUp, DirDown, DirRange}, in.Direction) {
			return fmt.Errorf("stats: indicator %s: direction %q", in.ID, in.Direction)
		}
		if in.Kind != KindRate && in.Kind != KindRatio {
			return fmt.Errorf("stats: indicator %s: kind %q", in.ID, in.Kind)
		}
		if !in.Available {
			if in.UnavailableReason == "" {
				return fmt.Errorf("stats: unavailable indicator %s needs a reason", in.ID)
			}
			continue
		}
		if !seen[in.Numerator] || !seen[in.Denominator] {
			return fmt.Errorf("stats: indicator %s: unknown measure %q or %q", in.ID, in.Numerator, in.Denominator)
		}
	}
	codes := map[string]bool{}
	for _, p := range c.Procedures {
		k := p.Category + ":" + p.Code
		if p.Code == "" || p.Name == "" || codes[k] {
			return fmt.Errorf("stats: procedure %q empty or listed twice", k)
		}
		if p.Category != "" && !slices.Contains(CriminalCategories(), p.Category) {
			return fmt.Errorf("stats: procedure %s: category %q is not criminal", p.Code, p.Category)
		}
		codes[k] = true
	}
	return nil
}

// prepare fills what indicators inherit from their measures.
func (c *Catalogue) prepare() {
	ms := map[string]Measure{}
	for _, m := range c.Measures {
		ms[m.ID] = m
	}
	for i := range c.Indicators {
		in := &c.Indicators[i]
		if !in.Available {
			continue
		}
		num, den := ms[in.Numerator], ms[in.Denominator]
		if in.CountingUnit == "" {
			in.CountingUnit = den.CountingUnit
		}
		if in.DateBasis == "" {
			in.DateBasis = den.DateBasis
			if num.DateBasis != den.DateBasis {
				in.DateBasis = "mixed"
			}
		}
	}
}

// EventKeys are the cache keys ("category:code") of the procedure list.
func (c Catalogue) EventKeys() []string {
	var out []string
	for _, p := range c.Procedures {
		if p.Category != "" {
			out = append(out, p.Category+":"+p.Code)
			continue
		}
		for _, cat := range CriminalCategories() {
			out = append(out, cat+":"+p.Code)
		}
	}
	return out
}
