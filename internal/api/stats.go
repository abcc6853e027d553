package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
)

// Analysis and benchmarking (统计分析与对标): the indicator catalogue, a
// unit's values, the comparison of units that share their figures, a
// trend, and the records behind a measure. Figures are aggregates; the
// drill-down names cases and is for the reader's own units only.

var (
	// statsAggregateReaders read aggregates: the office, the unit's leaders, upper
	// supervisors and the aid partner (as the pages).
	statsAggregateReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor,
		access.AidPartner}
	// statsDrillReaders may list the cases behind a figure: not the aid
	// partner, who reads aggregates only.
	statsDrillReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
)

// maxCompareUnits bounds one comparison (the service's own bound is
// larger; a chart of more units is unreadable).
const maxCompareUnits = 50

func statsRequest(r *http.Request, u org.User) stats.Request { return stats.Request(request(r, u)) }

// statsCatalogue is the catalogue: every indicator with its definition,
// the measures, and the procedures counted as 件 in 案件比.
func (h *Handler) statsCatalogue(w http.ResponseWriter, _ *http.Request, _ org.User) error {
	c := h.Stats.Catalogue()
	out := statsCatalogueJSON{Indicators: make([]statsIndicatorJSON, 0, len(c.Indicators)),
		Measures: make([]statsMeasureJSON, 0, len(c.Measures)), Procedures: make([]statsProcedureJSON, 0, len(c.Procedures)),
		ProceduresNote: c.ProceduresNote}
	for _, in := range c.Indicators {
		out.Indicators = append(out.Indicators, statsIndicatorJSON{ID: in.ID, Name: in.Name, Definition: in.Definition,
			Numerator: in.Numerator, Denominator: in.Denominator, CountingUnit: in.CountingUnit, DateBasis: in.DateBasis,
			Direction: in.Direction, RangeLow: in.RangeLow, RangeHigh: in.RangeHigh, Kind: in.Kind, Available: in.Available,
			UnavailableReason: in.UnavailableReason})
	}
	for _, m := range c.Measures {
		out.Measures = append(out.Measures, statsMeasureJSON{ID: m.ID, Name: m.Name, Definition: m.Definition,
			CountingUnit: m.CountingUnit, DateBasis: m.DateBasis})
	}
	for _, p := range c.Procedures {
		out.Procedures = append(out.Procedures, statsProcedureJSON{Code: p.Code, Name: p.Name, Category: p.Category,
			Recorded: p.Recorded})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// statsParams are the parameters the value endpoints share.
type statsParams struct {
	period     stats.Period
	indicators []string
	withSub    bool
}

// readStatsParams reads the period (period=month|quarter|year|custom with
// value, or from and to; the current year by default), the indicators
// (comma-separated ids; all available ones when absent) and
// with_subordinates. Every problem is added to v.
func (h *Handler) readStatsParams(q url.Values, v *apperr.Validation) statsParams {
	var p statsParams
	kind, value := q.Get("period"), q.Get("value")
	if kind == "" {
		kind = stats.PeriodYear
		if value == "" {
			value = h.Cases.Today()[:4]
		}
	}
	period, err := stats.ParsePeriod(kind, value, q.Get("from"), q.Get("to"))
	if pv, ok := apperr.AsValidation(err); ok {
		v.Fields = append(v.Fields, pv.Fields...)
	}
	p.period = period
	p.indicators = splitList(q.Get("indicators"))
	p.withSub = queryBool(q, "with_subordinates", v)
	return p
}

// splitList splits a comma-separated parameter, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// queryBool reads an optional true/false parameter.
func queryBool(q url.Values, name string, v *apperr.Validation) bool {
	switch q.Get(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	v.Add(name, "err.json_type_bool")
	return false
}

// statsValues is one unit's indicators over a period (the caller's unit
// by default).
func (h *Handler) statsValues(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	unit := queryID(q, "unit", v)
	p := h.readStatsParams(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	if unit == 0 {
		unit = u.UnitID
	}
	rows, err := h.Stats.Values(r.Context(), statsRequest(r, u), stats.Query{UnitIDs: []int64{unit},
		WithSubordinates: p.withSub, Period: p.period, Indicators: p.indicators})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statsValuesJSON{Period: periodJSON(p.period), WithSubordinates: p.withSub,
		Items: unitValuesJSON(rows)})
	return nil
}

// statsCompare is the chosen indicators for the chosen units (each one
// the caller may see: its own, those below it, those sharing with it).
func (h *Handler) statsCompare(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	var units []int64
	for _, s := range splitList(q.Get("units")) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("units", "err.id_invalid")
			break
		}
		units = append(units, id)
	}
	switch {
	case len(units) == 0 && !v.Has("units"):
		v.Add("units", "err.required")
	case len(units) > maxCompareUnits:
		v.Add("units", "err.too_many", maxCompareUnits)
	}
	p := h.readStatsParams(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	rows, err := h.Stats.Values(r.Context(), statsRequest(r, u), stats.Query{UnitIDs: units, WithSubordinates: p.withSub,
		Period: p.period, Indicators: p.indicators})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statsValuesJSON{Period: periodJSON(p.period), WithSubordinates: p.withSub,
		Items: unitValuesJSON(rows)})
	return nil
}

// statsTrend is one indicator month by month, oldest first, ending with
// the current month.
func (h *Handler) statsTrend(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	unit := queryID(q, "unit", v)
	indicator := q.Get("indicator")
	if indicator == "" {
		v.Add("indicator", "err.required")
	}
	months := 12
	if s := q.Get("months"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > stats.MaxTrend {
			v.Add("months", "err.stats_months", 1, stats.MaxTrend)
		}
		months = n
	}
	withSub := queryBool(q, "with_subordinates", v)
	if err := v.Err(); err != nil {
		return err
	}
	if unit == 0 {
		unit = u.UnitID
	}
	pts, err := h.Stats.Trend(r.Context(), statsRequest(r, u), unit, withSub, indicator, months)
	if err != nil {
		return err
	}
	out := statsTrendJSON{UnitID: unit, Indicator: indicator, WithSubordinates: withSub,
		Items: make([]statsPointJSON, 0, len(pts))}
	for _, pt := range pts {
		out.Items = append(out.Items, statsPointJSON{Period: periodJSON(pt.Period), Value: valueJSON(pt.Value)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// statsDrillDown lists the records behind a measure of one of the
// caller's own units, a page at a time.
func (h *Handler) statsDrillDown(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	unit := queryID(q, "unit", v)
	measure := q.Get("measure")
	if measure == "" {
		v.Add("measure", "err.required")
	}
	limit := 0
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > stats.MaxDrill {
			v.Add("limit", "err.stats_limit", 1, stats.MaxDrill)
		}
		limit = n
	}
	p := h.readStatsParams(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	if unit == 0 {
		unit = u.UnitID
	}
	rows, next, err := h.Stats.DrillDown(r.Context(), statsRequest(r, u), stats.DrillQuery{UnitID: unit,
		WithSubordinates: p.withSub, Period: p.period, Measure: measure, Limit: limit, After: q.Get("next")})
	if err != nil {
		return err
	}
	out := list[statsDrillRowJSON]{Items: make([]statsDrillRowJSON, 0, len(rows))}
	for _, row := range rows {
		d := statsDrillRowJSON{CaseID: optionalID(row.CaseID), CardID: optionalID(row.CardID), StageNo: row.StageNo,
			Name: row.Name, Category: row.Category, ReceivedOn: row.ReceivedOn, ClosedOn: row.ClosedOn, Decision: row.Decision,
			Persons: row.Persons, HandlerName: row.HandlerName, UnitName: row.UnitName, Count: row.Count}
		if key := "outcome." + row.Decision; row.Decision != "" && h.T.Has(key) {
			d.DecisionName = h.T.T(key)
		}
		out.Items = append(out.Items, d)
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
