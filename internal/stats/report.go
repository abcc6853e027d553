package stats

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/chart"
	"github.com/anguan/anguan/internal/docx"
)

// The monthly analysis report (业务数据分析研判, issue 6): the month's
// indicators against the previous month and the same month a year before,
// 12-month trends of a few indicators and a comparison with the units the
// caller may see, as a Word document with the charts as pictures.

// reportTrend are the indicators charted over 12 months: 案件比 and the
// rates that DOMAIN §9 puts next to it.
var reportTrend = []string{"case_ratio", "plea_rate", "pretrial_detention_rate", "non_prosecution_rate"}

// reportPeers are the indicators compared across units.
var reportPeers = []string{"case_ratio", "non_prosecution_rate", "pretrial_detention_rate", "plea_rate", "return_rate"}

// trendMonths is the length of the report's trends.
const trendMonths = 12

// tfunc renders an i18n key, as i18n.Catalog.T does.
type tfunc = func(key string, args ...any) string

// MonthlyReport assembles the monthly analysis report of unitID for month
// ("2026-03") in the words of t, for docx.Write. The caller sees exactly
// what Values, Trend and Peers show it: a unit it may not see is
// apperr.ErrForbidden, a bad or future month an *apperr.Validation on
// "period". The report holds aggregates only, no case, so it is not
// audited (as Values is not).
func (s *Service) MonthlyReport(ctx context.Context, r Request, unitID int64, month string,
	t func(key string, args ...any) string) (docx.Document, error) {
	p, err := ParsePeriod(PeriodMonth, month, "", "")
	if err != nil {
		return docx.Document{}, err
	}
	if p.From > monthOf(s.today()).From {
		return docx.Document{}, apperr.Invalid("period", "err.stats_report_future")
	}
	rep := reportBuilder{s: s, t: t, p: p}
	// Values first: it checks that the caller may see the unit.
	cur, err := s.Values(ctx, r, Query{UnitIDs: []int64{unitID}, Period: p})
	if err != nil {
		return docx.Document{}, err
	}
	rep.unit = cur[0].UnitName
	prev, err := s.monthValues(ctx, r, unitID, p, -1)
	if err != nil {
		return docx.Document{}, err
	}
	year, err := s.monthValues(ctx, r, unitID, p, -12)
	if err != nil {
		return docx.Document{}, err
	}
	rep.header(ctx)
	rep.values(cur[0].Values, prev, year)
	if err := rep.trends(ctx, r, unitID); err != nil {
		return docx.Document{}, err
	}
	if err := rep.peers(ctx, r, unitID); err != nil {
		return docx.Document{}, err
	}
	rep.annex()
	return docx.Document{Title: rep.title, Blocks: rep.blocks}, nil
}

// monthValues are the values of unitID in the month shift months from p,
// by indicator; nil when that month is before the years statistics cover.
func (s *Service) monthValues(ctx context.Context, r Request, unitID int64, p Period, shift int) (map[string]Value, error) {
	from, _ := time.Parse(time.DateOnly, p.From)
	m := monthOf(from.AddDate(0, shift, 0))
	if m.Validate() != nil {
		return nil, nil
	}
	uvs, err := s.Values(ctx, r, Query{UnitIDs: []int64{unitID}, Period: m})
	if err != nil {
		return nil, err
	}
	out := map[string]Value{}
	for _, v := range uvs[0].Values {
		out[v.Indicator] = v
	}
	return out, nil
}

// reportBuilder accumulates the report's blocks.
type reportBuilder struct {
	s      *Service
	t      tfunc
	p      Period
	unit   string
	title  string
	blocks []docx.Block
}

func (b *reportBuilder) add(blocks ...docx.Block) { b.blocks = append(b.blocks, blocks...) }

func (b *reportBuilder) heading(text string) { b.add(docx.Paragraph{Text: text, Bold: true}) }

func (b *reportBuilder) para(text string) { b.add(docx.Paragraph{Text: text, Indent: true}) }

// label names a period in words ("2026年3月").
func (b *reportBuilder) label(p Period) string {
	key, args := p.LabelKey()
	return b.t(key, args...)
}

// shifted is the month shift months from the report's month.
func (b *reportBuilder) shifted(shift int) Period {
	from, _ := time.Parse(time.DateOnly, b.p.From)
	return monthOf(from.AddDate(0, shift, 0))
}

func (b *reportBuilder) header(ctx context.Context) {
	t := b.t
	b.title = t("stats.report.title", b.unit, b.label(b.p))
	b.add(docx.Paragraph{Text: b.title, Title: true, Bold: true, Align: "center"})
	// The cache's age tells the reader how current the numbers are; a
	// failure to read it costs only this line.
	if at, err := b.s.RefreshedAt(ctx); err == nil && !at.IsZero() {
		b.add(docx.Paragraph{Text: t("stats.report.as_of", at.In(chinaTime).Format("2006-01-02 15:04")), Align: "center"})
	}
	b.para(t("stats.report.intro", b.unit))
}

// format shows a value as the pages do: "1 : 1.60", "50.00%" or a dash.
func (b *reportBuilder) format(in Indicator, v Value, ok bool) string {
	switch {
	case !ok:
		return b.t("stats.report.no_period")
	case !v.Defined:
		return b.t("stats.undefined")
	case in.Kind == KindRatio:
		return b.t("stats.ratio", v.Value)
	}
	return b.t("stats.rate", v.Value)
}

func (b *reportBuilder) values(cur []Value, prev, year map[string]Value) {
	t := b.t
	b.heading(t("stats.report.section_values"))
	prevLabel, yearLabel := b.label(b.shifted(-1)), b.label(b.shifted(-12))
	b.para(t("stats.report.values_note", b.label(b.p), prevLabel, yearLabel))
	rows := [][]string{{t("stats.report.col.indicator"), t("stats.report.col.current"), t("stats.report.col.previous"),
		t("stats.report.col.last_year"), t("stats.report.col.direction"), t("stats.report.col.comment")}}
	for _, v := range cur {
		in := b.s.inds[v.Indicator]
		pv, okP := prev[v.Indicator]
		yv, okY := year[v.Indicator]
		rows = append(rows, []string{in.Name, b.format(in, v, true), b.format(in, pv, okP), b.format(in, yv, okY),
			t("stats.direction." + in.Direction), b.comment(in, v, pv, okP, yv, okY)})
	}
	b.add(docx.Table{Rows: rows, Header: true})
	var missing [][]string
	for _, in := range b.s.cat.Indicators {
		if !in.Available {
			missing = append(missing, []string{in.Name, in.UnavailableReason})
		}
	}
	if len(missing) > 0 {
		b.para(t("stats.report.unavailable_note"))
		b.add(docx.Table{Rows: append([][]string{{t("stats.report.col.indicator"), t("stats.report.col.reason")}}, missing...),
			Header: true})
	}
}

// comment is the short automatic analysis of one indicator: the change on
// the previous month and on the same month a year before, judged by the
// indicator's direction, and where it stands against its reference range.
func (b *reportBuilder) comment(in Indicator, cur, prev Value, okP bool, year Value, okY bool) string {
	t := b.t
	if !cur.Defined {
		return t("stats.report.no_value")
	}
	parts := []string{b.change(in, cur, prev, okP, "stats.report.vs_prev"), b.change(in, cur, year, okY, "stats.report.vs_year")}
	if in.Direction == DirRange {
		parts = append(parts, b.rangeNote(in, cur.Value))
	}
	return strings.Join(parts, t("stats.report.comment_sep"))
}

// change describes cur against an earlier value: up, down or flat at the
// two decimals the report shows, better or worse by the direction.
func (b *reportBuilder) change(in Indicator, cur, then Value, ok bool, key string) string {
	t := b.t
	if !ok || !then.Defined {
		return t(key + "_none")
	}
	d := math.Round(cur.Value*100) - math.Round(then.Value*100) // hundredths, as shown
	if d == 0 {
		return t(key + "_flat")
	}
	amount := t("stats.report.delta_pp", math.Abs(d)/100)
	if in.Kind == KindRatio {
		amount = t("stats.report.delta_ratio", math.Abs(d)/100)
	}
	dir := "_up"
	if d < 0 {
		dir = "_down"
	}
	out := t(key+dir, amount)
	switch {
	case in.Direction == DirUp && d > 0, in.Direction == DirDown && d < 0:
		out += t("stats.report.better")
	case in.Direction == DirUp && d < 0, in.Direction == DirDown && d > 0:
		out += t("stats.report.worse")
	}
	return out
}

// rangeNote places a value against the indicator's reference range; with
// no range in the catalogue it says the range is a matter of judgement.
func (b *reportBuilder) rangeNote(in Indicator, v float64) string {
	t := b.t
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var rng string
	switch {
	case in.RangeLow != nil && in.RangeHigh != nil:
		rng = t("stats.report.range_between", num(*in.RangeLow), num(*in.RangeHigh))
	case in.RangeLow != nil:
		rng = t("stats.report.range_low", num(*in.RangeLow))
	case in.RangeHigh != nil:
		rng = t("stats.report.range_high", num(*in.RangeHigh))
	default:
		return t("stats.report.range_judge")
	}
	switch {
	case in.RangeLow != nil && v < *in.RangeLow:
		return t("stats.report.below_range", rng)
	case in.RangeHigh != nil && v > *in.RangeHigh:
		return t("stats.report.above_range", rng)
	}
	return t("stats.report.in_range", rng)
}

// numeral is the i-th (0-based) Chinese heading numeral: 一, 二, …
func (b *reportBuilder) numeral(i int) string {
	ns := strings.Split(b.t("stats.report.numerals"), ",")
	if i < len(ns) {
		return ns[i]
	}
	return strconv.Itoa(i + 1)
}

// chartValues are the values to draw: NaN where undefined, which the
// chart leaves out.
func chartValues(vs []Value) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = math.NaN()
		if v.Defined {
			out[i] = v.Value
		}
	}
	return out
}

// scale states a chart's vertical axis in words, the image having none.
func (b *reportBuilder) scale(in Indicator, a chart.Axis) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	key := "stats.report.scale_rate"
	if in.Kind == KindRatio {
		key = "stats.report.scale_ratio"
	}
	return b.t(key, num(a.Min), num(a.Max), num(a.Step))
}

func (b *reportBuilder) valueRow(first string, in Indicator, v Value) []string {
	return []string{first, strconv.FormatInt(v.Num, 10), strconv.FormatInt(v.Den, 10), b.format(in, v, true)}
}

func (b *reportBuilder) valueHeader(first string) []string {
	t := b.t
	return []string{first, t("stats.report.col.numerator"), t("stats.report.col.denominator"), t("stats.report.col.value")}
}

func (b *reportBuilder) trends(ctx context.Context, r Request, unitID int64) error {
	t := b.t
	first := b.shifted(-(trendMonths - 1))
	b.heading(t("stats.report.section_trend"))
	b.para(t("stats.report.trend_note", b.unit, b.label(first), b.label(b.p)))
	n := 0
	for _, id := range reportTrend {
		in, ok := b.s.inds[id]
		if !ok || !in.Available {
			continue
		}
		pts, err := b.s.trendTo(ctx, r, unitID, false, id, trendMonths, b.p)
		if err != nil {
			return err
		}
		vs := make([]Value, len(pts))
		rows := [][]string{b.valueHeader(t("stats.report.col.month"))}
		for i, pt := range pts {
			vs[i] = pt.Value
			rows = append(rows, b.valueRow(b.label(pt.Period), in, pt.Value))
		}
		vals := chartValues(vs)
		img, err := chart.Line(vals, chart.Options{})
		if err != nil {
			return err
		}
		b.heading(t("stats.report.trend_heading", b.numeral(n), in.Name))
		b.add(docx.Image{PNG: img, AltText: t("stats.report.alt_trend", in.Name, b.label(first), b.label(b.p))})
		b.para(b.scale(in, chart.YAxis(vals, chart.Options{})))
		b.add(docx.Table{Rows: rows, Header: true})
		n++
	}
	return nil
}

func (b *reportBuilder) peers(ctx context.Context, r Request, unitID int64) error {
	t := b.t
	b.heading(t("stats.report.section_peers"))
	peers, err := b.s.Peers(ctx, r)
	if err != nil {
		return err
	}
	if len(peers) < 2 {
		b.para(t("stats.report.peers_none", b.unit))
		return nil
	}
	// Values takes at most MaxUnits units; the report's unit always stays.
	ids := make([]int64, 0, len(peers))
	for _, u := range peers {
		if len(ids) < MaxUnits-1 || u.ID == unitID {
			ids = append(ids, u.ID)
		}
	}
	var ind []string
	for _, id := range reportPeers {
		if in, ok := b.s.inds[id]; ok && in.Available {
			ind = append(ind, id)
		}
	}
	uvs, err := b.s.Values(ctx, r, Query{UnitIDs: ids, Period: b.p, Indicators: ind})
	if err != nil {
		return err
	}
	b.para(t("stats.report.peers_note", b.unit, len(uvs), b.label(b.p), b.unit))
	if len(ids) < len(peers) {
		b.para(t("stats.report.peers_truncated", MaxUnits, len(ids)))
	}
	highlight := 0
	for i, uv := range uvs {
		if uv.UnitID == unitID {
			highlight = i
		}
	}
	for k, id := range ind {
		in := b.s.inds[id]
		vs := make([]Value, len(uvs))
		rows := [][]string{b.valueHeader(t("stats.report.col.unit"))}
		var num, den int64
		for i, uv := range uvs {
			vs[i] = uv.Values[k]
			name := uv.UnitName
			if i == highlight {
				name = t("stats.report.own_mark", name)
			}
			rows = append(rows, b.valueRow(name, in, vs[i]))
			num += vs[i].Num
			den += vs[i].Den
		}
		// The pooled value of the units compared, the reference line.
		total := Value{Indicator: id, Num: num, Den: den}
		if den > 0 {
			total.Defined, total.Value = true, float64(num)/float64(den)
			if in.Kind == KindRate {
				total.Value *= 100
			}
		}
		rows = append(rows, b.valueRow(t("stats.report.total"), in, total))
		vals := chartValues(vs)
		o := chart.Options{Highlight: []int{highlight}, Reference: total.Value, ShowReference: total.Defined}
		img, err := chart.Bars(vals, o)
		if err != nil {
			return err
		}
		b.heading(t("stats.report.trend_heading", b.numeral(k), in.Name))
		b.add(docx.Image{PNG: img, AltText: t("stats.report.alt_peers", in.Name, b.label(b.p))})
		b.para(b.scale(in, chart.YAxis(vals, o)))
		b.add(docx.Table{Rows: rows, Header: true})
	}
	return nil
}

// annex lists the definitions of the indicators the report shows.
func (b *reportBuilder) annex() {
	t := b.t
	b.heading(t("stats.report.annex"))
	b.para(t("stats.report.annex_note"))
	rows := [][]string{{t("stats.report.col.indicator"), t("stats.report.col.numerator"), t("stats.report.col.denominator"),
		t("stats.report.col.counting_unit"), t("stats.report.col.date_basis")}}
	var defs []string
	for _, in := range b.s.cat.Indicators {
		if !in.Available {
			continue
		}
		rows = append(rows, []string{in.Name, b.s.measures[in.Numerator].Name, b.s.measures[in.Denominator].Name,
			t("stats.counting_unit." + in.CountingUnit), t("stats.date_basis." + in.DateBasis)})
		defs = append(defs, t("stats.report.definition", in.Name, in.Definition))
	}
	b.add(docx.Table{Rows: rows, Header: true})
	for _, d := range defs {
		b.para(d)
	}
	if b.s.cat.ProceduresNote != "" {
		b.para(b.s.cat.ProceduresNote)
	}
}
