package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/xlsx"
)

// Benchmarking (对标分析): the indicators a unit chooses, for the peer
// units it chooses among those that share their figures, as a table and a
// bar chart per indicator. Each unit's position is among the chosen units
// only, as a way to read the table, not a ranking.

// compareDefaultIndicators is how many indicators a first visit shows.
const compareDefaultIndicators = 5

// StatsComparePage is the comparison page.
type StatsComparePage struct {
	StatsBase
	Choices    []CompareChoice // indicators to choose from
	UnitChoice []CompareUnit
	Columns    []CompareColumn
	Rows       []CompareRow
	Charts     []CompareChart
	ExportURL  string
}

// CompareChoice is an indicator's checkbox.
type CompareChoice struct {
	ID, Name, Arrow string
	Checked         bool
}

// CompareUnit is a unit's checkbox.
type CompareUnit struct {
	ID      int64
	Name    string
	Own     bool
	Checked bool
}

// CompareColumn is a chosen indicator.
type CompareColumn struct {
	ID, Name, Arrow, DirLabel, Direction, Range, Definition string
}

// CompareRow is a unit's line.
type CompareRow struct {
	UnitID int64
	Name   string
	Own    bool
	Cells  []CompareCell
}

// CompareCell is a unit's figure for an indicator and its position among
// the chosen units.
type CompareCell struct {
	Value, Position string
	Num, Den        int64
}

// CompareChart is the data of one indicator's bar chart, read by the
// page's script from the JSON the template writes.
type CompareChart struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Kind      string     `json:"kind"`
	Direction string     `json:"direction"`
	Units     []string   `json:"units"`
	Values    []*float64 `json:"values"`
	Labels    []string   `json:"labels"`
	Own       []bool     `json:"own"`
}

func (h *Handler) statsCompare(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.comparePage(r, u)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.Rows, p.Charts, p.Columns = nil, nil, nil
		return h.render(w, r, http.StatusUnprocessableEntity, "stats_compare", p)
	}
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "stats_compare", p)
}

// comparePage reads the choices and computes the table. Without a choice
// it compares the reader's unit with every peer on the first indicators.
func (h *Handler) comparePage(r *http.Request, u org.User) (*StatsComparePage, error) {
	ctx, req, q := r.Context(), h.statsRequest(r, u), r.URL.Query()
	p := &StatsComparePage{StatsBase: h.statsBase(u, h.T.T("ui.stats.compare_title"), "/stats/compare")}
	p.Period = h.readPeriod(q)
	var err error
	if p.Units, err = h.Stats.Peers(ctx, req); err != nil {
		return p, err
	}
	p.WithSub = q.Get("sub") == "1"
	c := h.catalogue()
	v := &apperr.Validation{}
	chosen := q["indicator"]
	for _, id := range chosen {
		switch m, ok := c.byID[id]; {
		case !ok:
			v.Add("indicators", "err.stats_indicator_unknown", id)
		case !m.Available:
			v.Add("indicators", "err.stats_indicator_unavailable", m.Name)
		}
	}
	if len(chosen) == 0 {
		for _, ind := range c.Indicators {
			if ind.Available && len(chosen) < compareDefaultIndicators {
				chosen = append(chosen, ind.ID)
			}
		}
	}
	var unitIDs []int64
	for _, s := range q["unit"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 || !slices.ContainsFunc(p.Units, func(x stats.Unit) bool { return x.ID == id }) {
			v.Add("unit", "err.stats_unit_not_offered")
			continue
		}
		if !slices.Contains(unitIDs, id) {
			unitIDs = append(unitIDs, id)
		}
	}
	if len(q["unit"]) == 0 {
		for _, x := range p.Units {
			unitIDs = append(unitIDs, x.ID)
		}
	}
	for _, ind := range c.Indicators {
		if ind.Available {
			p.Choices = append(p.Choices, CompareChoice{ID: ind.ID, Name: ind.Name, Arrow: arrow(ind.Direction),
				Checked: slices.Contains(chosen, ind.ID)})
		}
	}
	for _, x := range p.Units {
		p.UnitChoice = append(p.UnitChoice, CompareUnit{ID: x.ID, Name: x.Name, Own: x.Own, Checked: slices.Contains(unitIDs, x.ID)})
	}
	period, perr := p.Period.parse()
	if pv, ok := apperr.AsValidation(perr); ok {
		v.Fields = append(v.Fields, pv.Fields...)
	} else if perr != nil {
		return p, perr
	}
	if err := v.Err(); err != nil {
		return p, err
	}
	h.setPeriod(&p.StatsBase, period)
	p.Heading = h.T.T("ui.stats.compare_heading", p.Label)
	rows, err := h.Stats.Values(ctx, req, stats.Query{UnitIDs: unitIDs, WithSubordinates: p.WithSub, Period: period,
		Indicators: chosen})
	if err != nil {
		return p, err
	}
	h.compareTable(p, c, chosen, rows)
	eq := url.Values{"indicator": chosen}
	for _, id := range unitIDs {
		eq.Add("unit", strconv.FormatInt(id, 10))
	}
	if p.WithSub {
		eq.Set("sub", "1")
	}
	p.ExportURL = "/stats/compare/export.xlsx?" + p.Period.values(eq).Encode()
	return p, nil
}

// compareTable fills the columns, rows and charts.
func (h *Handler) compareTable(p *StatsComparePage, c catalogue, chosen []string, rows []stats.UnitValues) {
	for _, id := range chosen {
		ind := c.byID[id].Indicator
		p.Columns = append(p.Columns, CompareColumn{ID: id, Name: ind.Name, Arrow: arrow(ind.Direction),
			DirLabel: h.T.T("stats.direction." + ind.Direction), Direction: ind.Direction, Range: h.rangeText(ind),
			Definition: ind.Definition})
	}
	values := make([]map[string]stats.Value, len(rows))
	for i, row := range rows {
		values[i] = map[string]stats.Value{}
		for _, v := range row.Values {
			values[i][v.Indicator] = v
		}
		p.Rows = append(p.Rows, CompareRow{UnitID: row.UnitID, Name: row.UnitName, Own: row.Own})
	}
	for _, id := range chosen {
		ind := c.byID[id].Indicator
		col := make([]stats.Value, len(rows))
		for i := range rows {
			col[i] = values[i][id]
		}
		pos := h.positions(ind, col)
		ch := CompareChart{ID: id, Title: ind.Name + " " + arrow(ind.Direction), Kind: ind.Kind, Direction: ind.Direction}
		for i, row := range rows {
			p.Rows[i].Cells = append(p.Rows[i].Cells, CompareCell{Value: formatValue(ind.Kind, col[i]), Position: pos[i],
				Num: col[i].Num, Den: col[i].Den})
			ch.Units = append(ch.Units, shortUnitName(row.UnitName))
			ch.Values = append(ch.Values, chartValue(ind.Kind, col[i]))
			ch.Labels = append(ch.Labels, formatValue(ind.Kind, col[i]))
			ch.Own = append(ch.Own, row.Own)
		}
		p.Charts = append(p.Charts, ch)
	}
}

// shortUnitName is a unit's name as a chart's axis has room for it,
// "疏勒县院" for 疏勒县人民检察院, as the offices themselves say.
func shortUnitName(name string) string {
	if s, ok := strings.CutSuffix(name, "人民检察院"); ok && s != "" {
		return s + "院"
	}
	return name
}

// positions places each unit among the chosen units: first is the best
// in the indicator's direction; for a range indicator, whether the value
// lies within, above or below the range. A unit without a figure has no
// position.
func (h *Handler) positions(ind stats.Indicator, col []stats.Value) []string {
	out := make([]string, len(col))
	if ind.Direction != "up" && ind.Direction != "down" {
		for i, v := range col {
			x := chartValue(ind.Kind, v)
			switch {
			case x == nil || (ind.RangeLow == nil && ind.RangeHigh == nil):
			case ind.RangeLow != nil && *x < *ind.RangeLow:
				out[i] = h.T.T("ui.stats.below_range")
			case ind.RangeHigh != nil && *x > *ind.RangeHigh:
				out[i] = h.T.T("ui.stats.above_range")
			default:
				out[i] = h.T.T("ui.stats.in_range")
			}
		}
		return out
	}
	var defined []float64
	for _, v := range col {
		if x := chartValue(ind.Kind, v); x != nil {
			defined = append(defined, *x)
		}
	}
	for i, v := range col {
		x := chartValue(ind.Kind, v)
		if x == nil {
			continue
		}
		better := 0
		for _, y := range defined {
			if (ind.Direction == "up" && y > *x) || (ind.Direction == "down" && y < *x) {
				better++
			}
		}
		out[i] = h.T.T("ui.stats.position", better+1, len(defined))
	}
	return out
}

// compareExport downloads the comparison table with the definitions.
func (h *Handler) compareExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.comparePage(r, u)
	if err != nil {
		return err
	}
	header := []string{h.T.T("field.unit")}
	for _, col := range p.Columns {
		header = append(header, col.Name+" "+col.Arrow, h.T.T("ui.stats.col.position_of", col.Name))
	}
	s := xlsx.Sheet{Name: h.T.T("ui.stats.compare_sheet"), Title: h.T.T("ui.stats.compare_heading", p.Label), Header: header}
	for _, row := range p.Rows {
		name := row.Name
		if row.Own {
			name += h.T.T("ui.stats.own_mark")
		}
		cells := []xlsx.Cell{xlsx.Str(name)}
		for _, c := range row.Cells {
			cells = append(cells, xlsx.Str(c.Value), xlsx.Str(c.Position))
		}
		s.Rows = append(s.Rows, cells)
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, s, h.definitionsSheet(h.catalogue())); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.stats.compare_file")+"-"+p.Short+".xlsx", "stats-compare.xlsx")
}
