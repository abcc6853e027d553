package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/xlsx"
)

// The analysis pages (统计分析与对标): the unit's indicators with their
// trend, the comparison with peer units that share their figures, the
// cases behind a number, and the case-management dashboard. The national
// indicator system and its rankings were abolished in 2024, so nothing
// here is a league table: a unit looks at its own figures and at the
// peers it chose to compare with. This file holds what the pages share.

// statsNav is the navigation entry every analysis page marks.
const statsNav = "/stats"

// analysisReaders may read aggregate figures: the office, the unit's leaders,
// upper supervisors and the aid partner (figures name no case). The
// service decides which units each may see.
var analysisReaders = roles(access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor, access.AidPartner)

// analysisCaseReaders may also open the cases behind a figure and the
// case-management dashboard, which counts the cases in their scope: the
// aid partner reads aggregates only.
var analysisCaseReaders = roles(access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor)

// trendMonths is the length of the dashboard's sparklines: a year.
const trendMonths = 12

// drillPageSize is a page of the drill-down; drillExportLimit bounds the
// workbook (a year of a large unit's cases fits).
const (
	drillPageSize    = 50
	drillExportLimit = 20000
)

func (h *Handler) statsRequest(r *http.Request, u org.User) stats.Request {
	return stats.Request(h.request(r, u))
}

// PeriodForm is the period picker's state, as the query gives it.
type PeriodForm struct {
	Kind, Value, From, To string
}

// periodKinds are the picker's choices, in order.
var periodKinds = []string{"month", "quarter", "year", "custom"}

// readPeriod reads the picker; without one it is the current year to
// date, the span the offices report on.
func (h *Handler) readPeriod(q url.Values) PeriodForm {
	f := PeriodForm{Kind: q.Get("period"), Value: strings.TrimSpace(q.Get("value")), From: q.Get("from"), To: q.Get("to")}
	if f.Kind == "" {
		f.Kind = "year"
		if f.Value == "" {
			f.Value = h.Cases.Today()[:4]
		}
	}
	return f
}

func (f PeriodForm) parse() (stats.Period, error) {
	return stats.ParsePeriod(f.Kind, f.Value, f.From, f.To)
}

// values adds the picker to q, so links keep the period.
func (f PeriodForm) values(q url.Values) url.Values {
	q.Set("period", f.Kind)
	for k, v := range map[string]string{"value": f.Value, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// StatsBase is what every analysis page carries: the tabs, the period
// picker and the unit chooser.
type StatsBase struct {
	Base
	Tabs    []NavItem
	Period  PeriodForm
	Kinds   []string
	Label   string // the period as a heading shows it ("2026年3月")
	Short   string // the period in a file name ("2026-03")
	Heading string
	Units   []stats.Unit
	UnitID  int64
	WithSub bool
	HasSubs bool // the chosen unit has subordinate units
}

func (h *Handler) statsBase(u org.User, title, current string) StatsBase {
	b := StatsBase{Base: Base{Title: title, NavPath: statsNav}, Kinds: periodKinds}
	tabs := [][2]string{{"/stats", "ui.stats.tab.dashboard"}, {"/stats/compare", "ui.stats.tab.compare"}}
	if u.Principal().HasAny(analysisCaseReaders...) {
		tabs = append(tabs, [2]string{"/stats/case-management", "ui.stats.tab.casemgmt"})
	}
	for _, tb := range tabs {
		b.Tabs = append(b.Tabs, NavItem{Href: tb[0], Label: h.T.T(tb[1]), Active: tb[0] == current})
	}
	return b
}

// chooseUnit reads the unit parameter: absent, the user's own unit; one
// the service does not offer the user, a validation error (never another
// unit's figures).
func (h *Handler) chooseUnit(ctx context.Context, req stats.Request, u org.User, b *StatsBase, q url.Values) error {
	var err error
	if b.Units, err = h.Stats.Peers(ctx, req); err != nil {
		return err
	}
	b.UnitID = u.UnitID
	if s := q.Get("unit"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 || !slices.ContainsFunc(b.Units, func(x stats.Unit) bool { return x.ID == id }) {
			return apperr.Invalid("unit", "err.stats_unit_not_offered")
		}
		b.UnitID = id
	}
	b.WithSub = q.Get("sub") == "1"
	b.HasSubs, err = h.hasSubordinates(ctx, b.UnitID)
	if err != nil {
		return err
	}
	if !b.HasSubs {
		b.WithSub = false
	}
	return nil
}

// hasSubordinates reports whether a unit has units below it (the
// "含下级院" toggle is offered only then).
func (h *Handler) hasSubordinates(ctx context.Context, unitID int64) (bool, error) {
	units, err := h.Org.Units(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(units, func(x org.Unit) bool { return x.ParentID == unitID }), nil
}

// unitName is a unit's name among the units offered.
func unitName(units []stats.Unit, id int64) string {
	for _, x := range units {
		if x.ID == id {
			return x.Name
		}
	}
	return ""
}

// indicatorMeta is an indicator with its measures, as the pages and the
// definitions sheet show it.
type indicatorMeta struct {
	stats.Indicator
	Num, Den stats.Measure
}

// counting is the indicator's counting unit, or its denominator's.
func (m indicatorMeta) counting() string {
	if m.CountingUnit != "" {
		return m.CountingUnit
	}
	return m.Den.CountingUnit
}

// dateBasis is the indicator's date basis, or its denominator's.
func (m indicatorMeta) dateBasis() string {
	if m.DateBasis != "" {
		return m.DateBasis
	}
	return m.Den.DateBasis
}

type catalogue struct {
	stats.Catalogue
	byID map[string]indicatorMeta
}

func (h *Handler) catalogue() catalogue {
	c := catalogue{Catalogue: h.Stats.Catalogue(), byID: map[string]indicatorMeta{}}
	measures := map[string]stats.Measure{}
	for _, m := range c.Measures {
		measures[m.ID] = m
	}
	for _, ind := range c.Indicators {
		c.byID[ind.ID] = indicatorMeta{Indicator: ind, Num: measures[ind.Numerator], Den: measures[ind.Denominator]}
	}
	return c
}

func (c catalogue) measure(id string) (stats.Measure, bool) {
	for _, m := range c.Measures {
		if m.ID == id {
			return m, true
		}
	}
	return stats.Measure{}, false
}

// arrow is the direction's sign: ↑ higher is better, ↓ lower is better,
// ◇ within a reasonable range.
func arrow(direction string) string {
	switch direction {
	case "up":
		return "↑"
	case "down":
		return "↓"
	}
	return "◇"
}

// formatValue shows a value: a rate in percent with one decimal, 案件比
// as 1:x.xx; a value without a denominator as "—".
func formatValue(kind string, v stats.Value) string {
	if !v.Defined || math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
		return "—"
	}
	if kind == "ratio" {
		return fmt.Sprintf("1:%.2f", v.Value)
	}
	return fmt.Sprintf("%.1f%%", ratePercent(v))
}

// ratePercent is a rate in percent.
func ratePercent(v stats.Value) float64 { return v.Value }

// chartValue is the figure a chart plots (percent for a rate, x of 1:x).
func chartValue(kind string, v stats.Value) *float64 {
	if !v.Defined || math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
		return nil
	}
	x := v.Value
	if kind != "ratio" {
		x = ratePercent(v)
	}
	x = math.Round(x*100) / 100
	return &x
}

// rangeText is an indicator's reference range, "" when it has none.
func (h *Handler) rangeText(ind stats.Indicator) string {
	f := func(x float64) string {
		if ind.Kind == "ratio" {
			return "1:" + strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64) + "%"
	}
	switch {
	case ind.RangeLow != nil && ind.RangeHigh != nil:
		return h.T.T("ui.stats.range_between", f(*ind.RangeLow), f(*ind.RangeHigh))
	case ind.RangeLow != nil:
		return h.T.T("ui.stats.range_low", f(*ind.RangeLow))
	case ind.RangeHigh != nil:
		return h.T.T("ui.stats.range_high", f(*ind.RangeHigh))
	}
	return ""
}

// countingUnit names the counting unit in Chinese.
func (h *Handler) countingUnit(code string) string {
	if code == "" {
		return ""
	}
	return h.T.T("stats.counting_unit." + code)
}

// setPeriod records the period's labels on the page.
func (h *Handler) setPeriod(b *StatsBase, p stats.Period) {
	b.Short = p.Label()
	b.Label = b.Short
	if key, args := p.LabelKey(); h.T.Has(key) {
		b.Label = h.T.T(key, args...)
	}
}

// dateBasis names the date that places a case in a period; a basis the
// pages do not know shows as its code.
func (h *Handler) dateBasis(code string) string {
	if key := "stats.date_basis." + code; code != "" && h.T.Has(key) {
		return h.T.T(key)
	}
	return code
}

// definitionsSheet lists every indicator's definition, for the second
// sheet of every analysis workbook: a figure without its definition
// cannot be read right.
func (h *Handler) definitionsSheet(c catalogue) xlsx.Sheet {
	s := xlsx.Sheet{Name: h.T.T("ui.stats.defs_sheet"), Title: h.T.T("ui.stats.defs_title"),
		Header: h.cols("ui.stats.col.indicator", "ui.stats.col.definition", "ui.stats.col.numerator",
			"ui.stats.col.denominator", "ui.stats.col.counting", "ui.stats.col.date_basis", "ui.stats.col.direction",
			"ui.stats.col.range", "ui.stats.col.note")}
	for _, ind := range c.Indicators {
		m := c.byID[ind.ID]
		def := ind.Definition
		if ind.Kind == "ratio" && len(c.Procedures) > 0 {
			def += h.T.T("ui.stats.procedures_inline", h.procedureNames(c))
		}
		note := ind.UnavailableReason
		if !ind.Available && note == "" {
			note = h.T.T("ui.stats.unavailable")
		}
		s.Rows = append(s.Rows, []xlsx.Cell{xlsx.Str(ind.Name), xlsx.Str(def), xlsx.Str(measureText(m.Num, ind.Numerator)),
			xlsx.Str(measureText(m.Den, ind.Denominator)), xlsx.Str(h.countingUnit(m.counting())), xlsx.Str(h.dateBasis(m.dateBasis())),
			xlsx.Str(arrow(ind.Direction) + " " + h.T.T("stats.direction."+ind.Direction)), xlsx.Str(h.rangeText(ind)),
			xlsx.Str(note)})
	}
	return s
}

// measureText is a measure's name with its definition.
func measureText(m stats.Measure, id string) string {
	switch {
	case m.ID == "":
		return id
	case m.Definition == "":
		return m.Name
	}
	return m.Name + "：" + m.Definition
}

func (h *Handler) procedureNames(c catalogue) string {
	names := make([]string, len(c.Procedures))
	for i, p := range c.Procedures {
		names[i] = p.Name
	}
	return strings.Join(names, "、")
}
