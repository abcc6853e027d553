package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/stats"
	"github.com/anguan/anguan/internal/xlsx"
)

// The drill-down (穿透): the exact cases a figure counts, for the reader's
// own unit only (the service refuses a peer's cases), so a number can be
// checked case by case.

// StatsDrillPage is the drill-down.
type StatsDrillPage struct {
	StatsBase
	Measure   stats.Measure
	UnitName  string
	Rows      []DrillView
	NextURL   string
	ExportURL string
	BackURL   string
}

// DrillView is one record of the drill-down: a case, or a case card
// imported from the national system (no case in this system).
type DrillView struct {
	stats.DrillRow
	DecisionName string
	Href         string
}

func (h *Handler) statsDrill(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, q, err := h.drillQuery(r, u)
	if err == nil {
		var next string
		var rows []stats.DrillRow
		q.Limit, q.After = drillPageSize, r.URL.Query().Get("after")
		rows, next, err = h.Stats.DrillDown(r.Context(), h.statsRequest(r, u), q)
		p.Rows = h.drillViews(rows)
		if next != "" {
			nq := r.URL.Query()
			nq.Set("after", next)
			p.NextURL = "/stats/drill?" + nq.Encode()
		}
	}
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.Rows = nil
		return h.render(w, r, http.StatusUnprocessableEntity, "stats_drill", p)
	}
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "stats_drill", p)
}

// drillQuery reads the unit, the measure and the period.
func (h *Handler) drillQuery(r *http.Request, u org.User) (*StatsDrillPage, stats.DrillQuery, error) {
	ctx, req, q := r.Context(), h.statsRequest(r, u), r.URL.Query()
	p := &StatsDrillPage{StatsBase: h.statsBase(u, h.T.T("ui.stats.drill_title"), "")}
	p.Period = h.readPeriod(q)
	var err error
	if p.Units, err = h.Stats.Peers(ctx, req); err != nil {
		return p, stats.DrillQuery{}, err
	}
	v := &apperr.Validation{}
	dq := stats.DrillQuery{UnitID: u.UnitID, WithSubordinates: q.Get("sub") == "1", Measure: q.Get("measure")}
	if s := q.Get("unit"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("unit", "err.stats_unit_not_offered")
		}
		dq.UnitID = id
	}
	p.UnitID, p.WithSub = dq.UnitID, dq.WithSubordinates
	c := h.catalogue()
	m, ok := c.measure(dq.Measure)
	if !ok {
		v.Add("measure", "err.stats_measure_unknown", dq.Measure)
	}
	p.Measure = m
	period, perr := p.Period.parse()
	if pv, ok := apperr.AsValidation(perr); ok {
		v.Fields = append(v.Fields, pv.Fields...)
	} else if perr != nil {
		return p, dq, perr
	}
	if err := v.Err(); err != nil {
		return p, dq, err
	}
	dq.Period = period
	h.setPeriod(&p.StatsBase, period)
	p.UnitName = unitName(p.Units, dq.UnitID)
	back := url.Values{"unit": {strconv.FormatInt(dq.UnitID, 10)}}
	if dq.WithSubordinates {
		back.Set("sub", "1")
	}
	p.BackURL = "/stats?" + p.Period.values(back).Encode()
	eq := r.URL.Query()
	eq.Del("after")
	p.ExportURL = "/stats/drill/export.xlsx?" + eq.Encode()
	return p, dq, nil
}

// drillViews names the decisions (a case's decision is a code, a card's
// the national system's own word) and links each record.
func (h *Handler) drillViews(rows []stats.DrillRow) []DrillView {
	out := make([]DrillView, len(rows))
	for i, row := range rows {
		v := DrillView{DrillRow: row, DecisionName: row.Decision}
		if key := "outcome." + row.Decision; row.Decision != "" && h.T.Has(key) {
			v.DecisionName = h.T.T(key)
		}
		switch {
		case row.CaseID != 0:
			v.Href = "/cases/" + strconv.FormatInt(row.CaseID, 10)
		case row.CardID != 0:
			v.Href = "/data/cards/" + strconv.FormatInt(row.CardID, 10)
		}
		out[i] = v
	}
	return out
}

// drillExport downloads every case behind the figure, page by page.
func (h *Handler) drillExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, q, err := h.drillQuery(r, u)
	if err != nil {
		return err
	}
	req := h.statsRequest(r, u)
	var all []stats.DrillRow
	q.Limit = 200
	for len(all) < drillExportLimit {
		rows, next, err := h.Stats.DrillDown(r.Context(), req, q)
		if err != nil {
			return err
		}
		all = append(all, rows...)
		if next == "" {
			break
		}
		q.After = next
	}
	views := h.drillViews(all)
	s := xlsx.Sheet{Name: h.T.T("ui.stats.drill_sheet"), Title: h.T.T("ui.stats.drill_heading", p.UnitName, p.Measure.Name, p.Label),
		Header: h.cols("ui.monitor.col.seq", "ui.stats.col.stage_no", "ui.stats.col.case_name", "field.unit",
			"ui.stats.col.category", "ui.stats.col.received_on", "ui.stats.col.closed_on", "ui.stats.col.decision",
			"ui.stats.col.persons", "ui.stats.col.handler", "ui.stats.col.counted")}
	for i, v := range views {
		s.Rows = append(s.Rows, []xlsx.Cell{xlsx.Int(i + 1), xlsx.Str(v.StageNo), xlsx.Str(v.Name), xlsx.Str(v.UnitName),
			xlsx.Str(v.Category), xlsx.Str(v.ReceivedOn), xlsx.Str(v.ClosedOn), xlsx.Str(v.DecisionName), xlsx.Int(v.Persons),
			xlsx.Str(v.HandlerName), xlsx.Int(int(v.Count))})
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, s, h.definitionsSheet(h.catalogue())); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.stats.drill_file", p.Measure.Name)+"-"+p.Short+".xlsx",
		"stats-drill.xlsx")
}
