package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/xlsx"
)

// The case-management dashboard (案件管理态势): the office's own work at a
// glance, from the services that already keep it: intake by month, the
// open cases by age, the deadline colours of the board, the monitoring
// findings still open, the evaluation grades and the data accuracy.

// intakeMonths is how many months the intake chart shows.
const intakeMonths = 12

// StatsCaseMgmtPage is the case-management dashboard.
type StatsCaseMgmtPage struct {
	StatsBase
	Scope    string
	Intake   []BarRow
	Ages     []BarRow
	Clocks   casefile.ColourCounts
	Findings monitor.Counts
	// Grades are the final evaluation grades on the newest scale.
	ScaleName string
	Grades    []BarRow
	Accuracy  []AccuracyView
	Chart     CompareChart // intake by month, for the chart
}

// BarRow is one line of a count table with its bar.
type BarRow struct {
	Label string
	N     int
	Width string
	Href  string
}

// ageBands are the open cases' ages in days since receipt: the upper
// bound of each band, the last one open-ended.
var ageBands = []struct {
	key      string
	from, to int // days, inclusive; to < 0: no upper bound
}{{"ui.stats.age.30", 0, 30}, {"ui.stats.age.90", 31, 90}, {"ui.stats.age.180", 91, 180},
	{"ui.stats.age.365", 181, 365}, {"ui.stats.age.more", 366, -1}}

func (h *Handler) caseMgmt(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.caseMgmtPage(r, u)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "stats_casemgmt", p)
}

func (h *Handler) caseMgmtPage(r *http.Request, u org.User) (*StatsCaseMgmtPage, error) {
	ctx, req := r.Context(), h.request(r, u)
	p := &StatsCaseMgmtPage{StatsBase: h.statsBase(u, h.T.T("ui.stats.casemgmt_title"), "/stats/case-management")}
	p.Scope = u.UnitName
	if access.CaseScope(req.P).UnitPathPrefix != "" {
		p.Scope = h.T.T("ui.monitor.scope_subtree", u.UnitName)
	}
	today, err := time.Parse(time.DateOnly, h.Cases.Today())
	if err != nil {
		return p, err
	}
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	p.Chart = CompareChart{ID: "intake", Title: h.T.T("ui.stats.intake"), Kind: "count", Direction: "none"}
	for i := intakeMonths - 1; i >= 0; i-- {
		from := first.AddDate(0, -i, 0)
		to := from.AddDate(0, 1, -1)
		n, err := h.Cases.Count(ctx, req, casefile.Filter{ReceivedFrom: from.Format(time.DateOnly), ReceivedTo: to.Format(time.DateOnly)})
		if err != nil {
			return p, err
		}
		month := from.Format("2006-01")
		p.Intake = append(p.Intake, BarRow{Label: month, N: n,
			Href: "/cases?from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)})
		x := float64(n)
		p.Chart.Units, p.Chart.Values = append(p.Chart.Units, month), append(p.Chart.Values, &x)
		p.Chart.Labels, p.Chart.Own = append(p.Chart.Labels, fmt.Sprint(n)), append(p.Chart.Own, i == 0)
	}
	scale(p.Intake)
	for _, b := range ageBands {
		f := casefile.Filter{OpenOnly: true, ReceivedTo: today.AddDate(0, 0, -b.from).Format(time.DateOnly)}
		if b.to >= 0 {
			f.ReceivedFrom = today.AddDate(0, 0, -b.to).Format(time.DateOnly)
		}
		n, err := h.Cases.Count(ctx, req, f)
		if err != nil {
			return p, err
		}
		p.Ages = append(p.Ages, BarRow{Label: h.T.T(b.key), N: n})
	}
	scale(p.Ages)
	if p.Clocks, err = h.Board.Counts(ctx, req.P); err != nil {
		return p, err
	}
	if p.Findings, err = h.Monitor.Counts(ctx, monitor.Request(req)); err != nil {
		return p, err
	}
	if err := h.caseMgmtGrades(r, u, p); err != nil {
		return p, err
	}
	rows, err := h.Data.Accuracy(ctx, dataquality.Request(req), dataquality.ByUnit)
	if err != nil {
		return p, err
	}
	for _, a := range rows {
		p.Accuracy = append(p.Accuracy, accuracyView(a))
	}
	return p, nil
}

// caseMgmtGrades counts the final grades on the newest scale; with no
// evaluation template yet there is nothing to count.
func (h *Handler) caseMgmtGrades(r *http.Request, u org.User, p *StatsCaseMgmtPage) error {
	if !access.CanReadEvaluationStats(u.Principal()) {
		return nil
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil || len(infos) == 0 {
		return err
	}
	sp := &QualityStatsPage{}
	sc, err := h.statsScales(ctx, req, sp)
	if err != nil {
		return err
	}
	rows, err := h.Evaluation.GradeDistribution(ctx, req, evaluation.StatsFilter{ScaleCode: sc.Code}, evaluation.ByUnit)
	if err != nil {
		return err
	}
	p.ScaleName = sc.Name
	for _, g := range sc.Grades {
		n := 0
		for _, row := range rows {
			n += row.Counts[g.Code]
		}
		p.Grades = append(p.Grades, BarRow{Label: g.Label, N: n})
	}
	scale(p.Grades)
	return nil
}

// scale sets the bars' widths relative to the largest count.
func scale(rows []BarRow) {
	top := 0
	for _, b := range rows {
		top = max(top, b.N)
	}
	for i := range rows {
		rows[i].Width = "0%"
		if top > 0 {
			rows[i].Width = fmt.Sprintf("%.1f%%", 100*float64(rows[i].N)/float64(top))
		}
	}
}

// caseMgmtExport downloads the dashboard's tables, one sheet each, and
// the indicator definitions.
func (h *Handler) caseMgmtExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.caseMgmtPage(r, u)
	if err != nil {
		return err
	}
	sheet := func(name, col string, rows []BarRow) xlsx.Sheet {
		s := xlsx.Sheet{Name: name, Title: p.Scope + " · " + name, Header: []string{col, h.T.T("ui.stats.col.count")}}
		for _, b := range rows {
			s.Rows = append(s.Rows, []xlsx.Cell{xlsx.Str(b.Label), xlsx.Int(b.N)})
		}
		return s
	}
	colours := []BarRow{{Label: h.T.T("deadline.colour.red"), N: p.Clocks.Red}, {Label: h.T.T("deadline.colour.orange"), N: p.Clocks.Orange},
		{Label: h.T.T("deadline.colour.yellow"), N: p.Clocks.Yellow}, {Label: h.T.T("deadline.colour.none"), N: p.Clocks.None}}
	sheets := []xlsx.Sheet{sheet(h.T.T("ui.stats.intake"), h.T.T("field.month"), p.Intake),
		sheet(h.T.T("ui.stats.ages"), h.T.T("ui.stats.col.age"), p.Ages),
		sheet(h.T.T("ui.stats.clocks"), h.T.T("ui.stats.col.colour"), colours)}
	if len(p.Grades) > 0 {
		sheets = append(sheets, sheet(h.T.T("ui.stats.grades"), h.T.T("ui.stats.col.grade"), p.Grades))
	}
	sheets = append(sheets, h.definitionsSheet(h.catalogue()))
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheets...); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.stats.casemgmt_file")+".xlsx", "stats-case-management.xlsx")
}
