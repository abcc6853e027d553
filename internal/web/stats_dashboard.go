package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/xlsx"
)

// The unit dashboard (统计分析): every indicator of one unit over a
// period, with its numerator and denominator (links to the cases behind
// them when the unit is the reader's own), its direction and reference
// range, a year's trend, and its definition.

// StatsDashboardPage is the dashboard.
type StatsDashboardPage struct {
	StatsBase
	UnitName   string
	Own        bool
	Indicators []IndicatorView
	// Unavailable lists the indicators the data cannot yet give, greyed,
	// with the reason.
	Unavailable []IndicatorView
	Procedures  []stats.Procedure
	ProcNote    string
	ExportURL   string
	// AsOf is when the figures were last brought up to date.
	AsOf string
}

// IndicatorView is one indicator's line of the dashboard.
type IndicatorView struct {
	ID, Name, Definition string
	Kind                 string
	Value                string
	Num, Den             int64
	Defined              bool
	NumName, DenName     string
	NumDef, DenDef       string
	NumURL, DenURL       string // the drill-down, for one's own unit only
	Arrow, DirLabel      string
	Direction            string
	Range                string
	Counting, DateBasis  string
	Note                 string
	Spark                *Spark
}

// Spark is a sparkline drawn as inline SVG: light, printable, and
// readable without script.
type Spark struct {
	Points       string // the polyline's points
	LastX, LastY string
	Title        string // every month's value, for the hover
	Width        int
	Height       int
}

const sparkWidth, sparkHeight = 132, 30

// spark draws the trend; with fewer than two defined months there is no
// line to draw.
func spark(kind string, pts []stats.Point) *Spark {
	var xs []int
	var ys []float64
	var title []string
	for i, p := range pts {
		title = append(title, p.Period.Label()+" "+formatValue(kind, p.Value))
		if v := chartValue(kind, p.Value); v != nil {
			xs, ys = append(xs, i), append(ys, *v)
		}
	}
	if len(ys) < 2 || len(pts) < 2 {
		return &Spark{Title: strings.Join(title, "\n"), Width: sparkWidth, Height: sparkHeight}
	}
	lo, hi := ys[0], ys[0]
	for _, y := range ys {
		lo, hi = math.Min(lo, y), math.Max(hi, y)
	}
	const pad = 3.0
	var b strings.Builder
	s := &Spark{Title: strings.Join(title, "\n"), Width: sparkWidth, Height: sparkHeight}
	for j, y := range ys {
		px := pad + float64(xs[j])*(sparkWidth-2*pad)/float64(len(pts)-1)
		py := sparkHeight / 2.0
		if hi > lo {
			py = sparkHeight - pad - (y-lo)/(hi-lo)*(sparkHeight-2*pad)
		}
		if j > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", px, py)
		s.LastX, s.LastY = strconv.FormatFloat(px, 'f', 1, 64), strconv.FormatFloat(py, 'f', 1, 64)
	}
	s.Points = b.String()
	return s
}

func (h *Handler) statsDashboard(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.dashboardPage(r, u, true)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.Indicators, p.Unavailable = nil, nil
		return h.render(w, r, http.StatusUnprocessableEntity, "stats_dashboard", p)
	}
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "stats_dashboard", p)
}

// dashboardPage reads the query and computes the figures; trend adds
// the sparklines (the workbook does without them).
func (h *Handler) dashboardPage(r *http.Request, u org.User, trend bool) (*StatsDashboardPage, error) {
	ctx, req, q := r.Context(), h.statsRequest(r, u), r.URL.Query()
	p := &StatsDashboardPage{StatsBase: h.statsBase(u, h.T.T("ui.stats.dashboard_title"), "/stats")}
	p.Period = h.readPeriod(q)
	if err := h.chooseUnit(ctx, req, u, &p.StatsBase, q); err != nil {
		return p, err
	}
	period, err := p.Period.parse()
	if err != nil {
		return p, err
	}
	h.setPeriod(&p.StatsBase, period)
	c := h.catalogue()
	p.Procedures, p.ProcNote = c.Procedures, c.ProceduresNote
	at, err := h.Stats.RefreshedAt(ctx)
	if err != nil {
		return p, err
	}
	p.AsOf = clock(at)
	var ids []string
	for _, ind := range c.Indicators {
		if ind.Available {
			ids = append(ids, ind.ID)
		}
	}
	rows, err := h.Stats.Values(ctx, req, stats.Query{UnitIDs: []int64{p.UnitID}, WithSubordinates: p.WithSub,
		Period: period, Indicators: ids})
	if err != nil {
		return p, err
	}
	p.UnitName = unitName(p.Units, p.UnitID)
	values := map[string]stats.Value{}
	for _, row := range rows {
		if row.UnitID == p.UnitID {
			p.Own, p.UnitName = row.Own, row.UnitName
			for _, v := range row.Values {
				values[v.Indicator] = v
			}
		}
	}
	link := func(measure string) string {
		lq := url.Values{"unit": {strconv.FormatInt(p.UnitID, 10)}, "measure": {measure}}
		if p.WithSub {
			lq.Set("sub", "1")
		}
		return "/stats/drill?" + p.Period.values(lq).Encode()
	}
	for _, ind := range c.Indicators {
		v := h.indicatorView(c.byID[ind.ID], values[ind.ID])
		if !ind.Available {
			p.Unavailable = append(p.Unavailable, v)
			continue
		}
		if p.Own {
			v.NumURL, v.DenURL = link(ind.Numerator), link(ind.Denominator)
		}
		if trend {
			pts, err := h.Stats.Trend(ctx, req, p.UnitID, p.WithSub, ind.ID, trendMonths)
			if err != nil {
				return p, err
			}
			v.Spark = spark(ind.Kind, pts)
		}
		p.Indicators = append(p.Indicators, v)
	}
	p.Heading = h.T.T("ui.stats.dashboard_heading", h.scopeName(p.UnitName, p.WithSub), p.Label)
	eq := url.Values{"unit": {strconv.FormatInt(p.UnitID, 10)}}
	if p.WithSub {
		eq.Set("sub", "1")
	}
	p.ExportURL = "/stats/export.xlsx?" + p.Period.values(eq).Encode()
	return p, nil
}

// scopeName is a unit's name, with its subordinates when they count.
func (h *Handler) scopeName(name string, withSub bool) string {
	if withSub {
		return h.T.T("ui.stats.with_subs_name", name)
	}
	return name
}

func (h *Handler) indicatorView(m indicatorMeta, v stats.Value) IndicatorView {
	ind := m.Indicator
	out := IndicatorView{ID: ind.ID, Name: ind.Name, Definition: ind.Definition, Kind: ind.Kind,
		Value: formatValue(ind.Kind, v), Num: v.Num, Den: v.Den, Defined: v.Defined,
		NumName: m.Num.Name, DenName: m.Den.Name, NumDef: m.Num.Definition, DenDef: m.Den.Definition,
		Arrow: arrow(ind.Direction), DirLabel: h.T.T("stats.direction." + ind.Direction), Direction: ind.Direction,
		Range: h.rangeText(ind), Counting: h.countingUnit(m.counting()), DateBasis: h.dateBasis(m.dateBasis()), Note: ind.UnavailableReason}
	if out.NumName == "" {
		out.NumName = ind.Numerator
	}
	if out.DenName == "" {
		out.DenName = ind.Denominator
	}
	return out
}

// statsExport downloads the dashboard's table with the definitions.
func (h *Handler) statsExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.dashboardPage(r, u, false)
	if err != nil {
		return err
	}
	s := xlsx.Sheet{Name: h.T.T("ui.stats.dashboard_sheet"), Title: p.Heading,
		Header: h.cols("ui.stats.col.indicator", "ui.stats.col.value", "ui.stats.col.numerator_n", "ui.stats.col.denominator_n",
			"ui.stats.col.direction", "ui.stats.col.range")}
	for _, v := range p.Indicators {
		s.Rows = append(s.Rows, []xlsx.Cell{xlsx.Str(v.Name), xlsx.Str(v.Value), xlsx.Int(int(v.Num)), xlsx.Int(int(v.Den)),
			xlsx.Str(v.Arrow + " " + v.DirLabel), xlsx.Str(v.Range)})
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, s, h.definitionsSheet(h.catalogue())); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.stats.dashboard_file")+"-"+p.Short+".xlsx", "stats-dashboard.xlsx")
}
