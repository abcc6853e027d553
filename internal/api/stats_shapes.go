package api

import (
	"math"

	"github.com/anguan/anguan/internal/stats"
)

// JSON shapes of analysis (统计分析). Indicator and measure ids are the
// catalogue's stable ids; a rate's value is a percent, 案件比's is 件/案
// (shown as 1:value).

type statsCatalogueJSON struct {
	Indicators     []statsIndicatorJSON `json:"indicators"`
	Measures       []statsMeasureJSON   `json:"measures"`
	Procedures     []statsProcedureJSON `json:"procedures"`
	ProceduresNote string               `json:"procedures_note"`
}

type statsIndicatorJSON struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Definition        string   `json:"definition"`
	Numerator         string   `json:"numerator,omitempty"`
	Denominator       string   `json:"denominator,omitempty"`
	CountingUnit      string   `json:"counting_unit,omitempty"`
	DateBasis         string   `json:"date_basis,omitempty"`
	Direction         string   `json:"direction"`
	RangeLow          *float64 `json:"range_low,omitempty"`
	RangeHigh         *float64 `json:"range_high,omitempty"`
	Kind              string   `json:"kind"`
	Available         bool     `json:"available"`
	UnavailableReason string   `json:"unavailable_reason,omitempty"`
}

type statsMeasureJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Definition   string `json:"definition"`
	CountingUnit string `json:"counting_unit"`
	DateBasis    string `json:"date_basis"`
}

type statsProcedureJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Recorded bool   `json:"recorded"`
}

type statsPeriodJSON struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label"`
}

func periodJSON(p stats.Period) statsPeriodJSON {
	return statsPeriodJSON{From: p.From, To: p.To, Label: p.Label()}
}

// statsValueJSON is one indicator's figure; value is null when the
// denominator is zero.
type statsValueJSON struct {
	Indicator string   `json:"indicator"`
	Num       int64    `json:"num"`
	Den       int64    `json:"den"`
	Value     *float64 `json:"value"`
}

func valueJSON(v stats.Value) statsValueJSON {
	out := statsValueJSON{Indicator: v.Indicator, Num: v.Num, Den: v.Den}
	if v.Defined && !math.IsNaN(v.Value) && !math.IsInf(v.Value, 0) {
		x := math.Round(v.Value*10000) / 10000
		out.Value = &x
	}
	return out
}

// statsUnitValuesJSON is a unit's figures; own tells whether the caller
// may drill into them.
type statsUnitValuesJSON struct {
	UnitID   int64            `json:"unit_id"`
	UnitName string           `json:"unit_name"`
	Own      bool             `json:"own"`
	Values   []statsValueJSON `json:"values"`
}

func unitValuesJSON(rows []stats.UnitValues) []statsUnitValuesJSON {
	out := make([]statsUnitValuesJSON, 0, len(rows))
	for _, row := range rows {
		u := statsUnitValuesJSON{UnitID: row.UnitID, UnitName: row.UnitName, Own: row.Own,
			Values: make([]statsValueJSON, 0, len(row.Values))}
		for _, v := range row.Values {
			u.Values = append(u.Values, valueJSON(v))
		}
		out = append(out, u)
	}
	return out
}

type statsValuesJSON struct {
	Period           statsPeriodJSON       `json:"period"`
	WithSubordinates bool                  `json:"with_subordinates"`
	Items            []statsUnitValuesJSON `json:"items"`
}

type statsPointJSON struct {
	Period statsPeriodJSON `json:"period"`
	Value  statsValueJSON  `json:"value"`
}

type statsTrendJSON struct {
	UnitID           int64            `json:"unit_id"`
	Indicator        string           `json:"indicator"`
	WithSubordinates bool             `json:"with_subordinates"`
	Items            []statsPointJSON `json:"items"`
}

// statsDrillRowJSON is a record behind a figure: a case (case_id), or a
// card imported from the national system (card_id, no case_id). count is
// what it adds to the figure.
type statsDrillRowJSON struct {
	CaseID       *int64 `json:"case_id"`
	CardID       *int64 `json:"card_id,omitempty"`
	StageNo      string `json:"stage_no"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	ReceivedOn   string `json:"received_on"`
	ClosedOn     string `json:"closed_on"`
	Decision     string `json:"decision"`
	DecisionName string `json:"decision_name,omitempty"`
	Persons      int    `json:"persons"`
	HandlerName  string `json:"handler_name"`
	UnitName     string `json:"unit_name"`
	Count        int64  `json:"count"`
}
