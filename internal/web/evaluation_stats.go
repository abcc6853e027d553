package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/xlsx"
)

// The evaluation statistics (评查统计): the final grades by unit,
// department, prosecutor or category, the items most often found wanting
// (what to train), and each evaluator's calibration (their grades and the
// share of their findings overturned on objection). Grades of different
// scales do not mix: the page keeps to one scale. Each table is built once
// and either shown or written as a workbook, so both hold the same rows.

// statsTables are the tables of the page, in order.
var statsTables = []string{"grades", "findings", "calibration"}

// QualityStatsPage is the statistics page.
type QualityStatsPage struct {
	QualityBase
	Filter     evaluation.StatsFilter
	By         string
	Bys        []NavItem
	Scales     []ScaleChoice
	Categories []casefile.Category
	Heading    string
	Tables     []StatsTable
}

// StatsTable is a report table with its download.
type StatsTable struct {
	ReportTable
	ExportURL string
}

func (h *Handler) qualityStats(w http.ResponseWriter, r *http.Request, u org.User) error {
	p, err := h.statsPage(r, u)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.Tables = nil
		return h.render(w, r, http.StatusUnprocessableEntity, "evaluation_stats", p)
	}
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "evaluation_stats", p)
}

// qualityStatsExport downloads one table of the page as a workbook.
func (h *Handler) qualityStatsExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	which := r.URL.Query().Get("table")
	if !slices.Contains(statsTables, which) {
		v := &apperr.Validation{}
		v.AddLabeled("table", "ui.evaluation.stats.table", "err.unknown_value")
		return v
	}
	p, err := h.statsPage(r, u)
	if err != nil {
		return err
	}
	i := slices.Index(statsTables, which)
	tb := p.Tables[i]
	s := xlsx.Sheet{Name: tb.Sheet, Title: p.Heading + " · " + tb.Title, Header: tb.Header}
	for _, row := range tb.Rows {
		cells := make([]xlsx.Cell, len(row))
		for j, c := range row {
			cells[j] = xlsx.Str(c.Text)
			if c.Num {
				cells[j] = xlsx.Int(c.N)
			}
		}
		s.Rows = append(s.Rows, cells)
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, s); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.evaluation.stats.file")+"-"+tb.Title+".xlsx",
		"evaluation-"+which+".xlsx")
}

// statsPage reads the filter and builds every table. A filter the service
// refuses comes back as its validation error, with the page's controls
// filled in.
func (h *Handler) statsPage(r *http.Request, u org.User) (*QualityStatsPage, error) {
	q := r.URL.Query()
	ctx, req := r.Context(), h.evalRequest(r, u)
	p := &QualityStatsPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.stats_title"), "/quality/stats"),
		Filter: evaluation.StatsFilter{ScaleCode: q.Get("scale"), Category: q.Get("category"), From: q.Get("from"),
			To: q.Get("to"), ActivityID: formID(q.Get("activity_id"))}, By: q.Get("by")}
	if p.By == "" {
		p.By = string(evaluation.ByUnit)
	}
	scale, err := h.statsScales(ctx, req, p)
	if err != nil {
		return p, err
	}
	if p.Categories, err = h.Cases.Categories(ctx); err != nil {
		return p, err
	}
	base := url.Values{}
	for k, v := range map[string]string{"scale": p.Filter.ScaleCode, "category": p.Filter.Category, "from": p.Filter.From,
		"to": p.Filter.To, "activity_id": q.Get("activity_id")} {
		if v != "" {
			base.Set(k, v)
		}
	}
	for _, by := range []evaluation.GroupBy{evaluation.ByUnit, evaluation.ByDepartment, evaluation.ByHandler,
		evaluation.ByCategory} {
		bq := cloneValues(base)
		bq.Set("by", string(by))
		p.Bys = append(p.Bys, NavItem{Href: "/quality/stats?" + bq.Encode(), Label: h.T.T(by.Key()),
			Active: string(by) == p.By})
	}
	scope := u.UnitName
	if access.EvaluationStatsScope(u.Principal()).UnitPathPrefix != "" {
		scope = h.T.T("ui.evaluation.scope_subtree", u.UnitName)
	}
	p.Heading = h.T.T("ui.evaluation.stats.heading", scope, scale.Name)
	rows, err := h.Evaluation.GradeDistribution(ctx, req, p.Filter, evaluation.GroupBy(p.By))
	if err != nil {
		return p, err
	}
	frequent, err := h.Evaluation.FrequentFindings(ctx, req, p.Filter, 20)
	if err != nil {
		return p, err
	}
	cal, err := h.Evaluation.Calibration(ctx, req, p.Filter)
	if err != nil {
		return p, err
	}
	tables := []ReportTable{h.gradeTable(scale, evaluation.GroupBy(p.By), rows), h.frequentTable(frequent),
		h.calibrationTable(scale, cal)}
	for i, tb := range tables {
		eq := cloneValues(base)
		eq.Set("by", p.By)
		eq.Set("table", statsTables[i])
		p.Tables = append(p.Tables, StatsTable{ReportTable: tb, ExportURL: "/quality/stats/export.xlsx?" + eq.Encode()})
	}
	return p, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = slices.Clone(x)
	}
	return out
}

// statsScales lists the scales of the stored templates, the newest first,
// and returns the one asked for (by default the newest) with its grades.
func (h *Handler) statsScales(ctx context.Context, req evaluation.Request, p *QualityStatsPage) (evaluation.Scale, error) {
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return evaluation.Scale{}, err
	}
	byCode := map[string]int64{}
	for _, i := range infos {
		if _, ok := byCode[i.ScaleCode]; !ok {
			byCode[i.ScaleCode] = i.ID
			p.Scales = append(p.Scales, ScaleChoice{Code: i.ScaleCode})
		}
	}
	slices.SortFunc(p.Scales, func(a, b ScaleChoice) int { return strings.Compare(b.Code, a.Code) })
	if p.Filter.ScaleCode == "" && len(p.Scales) > 0 {
		p.Filter.ScaleCode = p.Scales[0].Code
	}
	var chosen evaluation.Scale
	for i := range p.Scales {
		t, err := h.Evaluation.Template(ctx, req, byCode[p.Scales[i].Code])
		if err != nil {
			return evaluation.Scale{}, err
		}
		p.Scales[i].Name = t.Scale.Name
		if t.Scale.Code == p.Filter.ScaleCode {
			chosen = t.Scale
		}
	}
	if chosen.Code == "" {
		v := &apperr.Validation{}
		v.AddLabeled("scale", "evaluation.field.scale_code", "err.unknown_value")
		return evaluation.Scale{}, v
	}
	return chosen, nil
}

// gradeTable is the distribution of final grades by one attribute, with
// its total row; a prosecutor's row links to their quality record.
func (h *Handler) gradeTable(sc evaluation.Scale, by evaluation.GroupBy, rows []evaluation.GradeRow) ReportTable {
	header := []string{h.T.T(by.Key())}
	for _, g := range sc.Grades {
		header = append(header, g.Label)
	}
	header = append(header, h.T.T("ui.evaluation.col.total"))
	tb := h.table("grades", "ui.evaluation.stats.grades", header...)
	tb.Sheet = h.T.T("ui.evaluation.stats.grades_sheet", h.T.T(by.Key()))
	tb.Title = h.T.T("ui.evaluation.stats.grades_by", h.T.T(by.Key()))
	totals := map[string]int{}
	all := 0
	for _, row := range rows {
		name := ReportCell{Text: row.Name}
		if by == evaluation.ByHandler {
			name.Href = "/quality/people/" + row.Key
		}
		cells := []ReportCell{name}
		for _, g := range sc.Grades {
			cells = append(cells, num(row.Counts[g.Code]))
			totals[g.Code] += row.Counts[g.Code]
		}
		cells = append(cells, num(row.Total))
		all += row.Total
		tb.Rows = append(tb.Rows, cells)
	}
	if len(rows) > 0 {
		cells := []ReportCell{{Text: h.T.T("ui.evaluation.col.total"), Class: "total"}}
		for _, g := range sc.Grades {
			cells = append(cells, num(totals[g.Code]))
		}
		tb.Rows = append(tb.Rows, append(cells, num(all)))
	}
	return tb
}

// frequentTable lists the items most often found wanting.
func (h *Handler) frequentTable(fs []evaluation.FindingCount) ReportTable {
	tb := h.table("findings", "ui.evaluation.stats.findings", h.cols("ui.evaluation.col.rank",
		"evaluation.report.item", "evaluation.report.aspect", "evaluation.class.flaw", "evaluation.class.serious",
		"ui.evaluation.col.total", "ui.evaluation.col.records")...)
	for i, f := range fs {
		tb.Rows = append(tb.Rows, []ReportCell{num(i + 1), txt(f.ItemCode + " " + f.Title), short(h.T.T(f.Aspect.Key())),
			num(f.Flaws), num(f.Serious), num(f.Total), num(f.Records)})
	}
	return tb
}

// calibrationTable is each evaluator's proposals and how their findings
// fared on objection.
func (h *Handler) calibrationTable(sc evaluation.Scale, rows []evaluation.CalibrationRow) ReportTable {
	header := []string{h.T.T("evaluation.report.evaluator"), h.T.T("ui.evaluation.col.graded")}
	for _, g := range sc.Grades {
		header = append(header, g.Label)
	}
	header = append(header, h.cols("ui.evaluation.col.problems", "ui.evaluation.col.objected",
		"evaluation.report.overturned", "evaluation.report.share")...)
	tb := h.table("calibration", "ui.evaluation.stats.calibration", header...)
	for _, c := range rows {
		cells := []ReportCell{short(c.Name), num(c.Records)}
		for _, g := range sc.Grades {
			cells = append(cells, num(c.Grades[g.Code]))
		}
		share := strconv.FormatFloat(100*c.OverturnedShare(), 'f', 0, 64) + "%"
		cells = append(cells, num(c.Findings), num(c.Objected), num(c.Overturned),
			ReportCell{Text: share, Figure: true})
		tb.Rows = append(tb.Rows, cells)
	}
	return tb
}
