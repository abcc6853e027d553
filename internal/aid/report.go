package aid

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/chart"
	"github.com/anguan/anguan/internal/docx"
)

// The quarterly progress report (援助工作季度进展报告, issue 8): the
// pairing, each goal's measure per aided unit with its trend over the
// last quarters (a table, and a chart as an image: a static binary has
// no CJK font, so every label is in the text and tables), the quarter's
// activities, fund totals, Q&A counts with the median response time, and
// the follow-ups still open.

// MeasureText is goal code's measure of one unit in words, for the pages
// and the report.
func MeasureText(t func(string, ...any) string, code string, m Measures) string {
	switch code {
	case GoalStaff:
		return t("aid.goals.measure.staff", m.Staff.Count, m.Staff.Target)
	case GoalPosition:
		if m.Position.Peers == 0 {
			return t("aid.goals.measure.position_no_peers")
		}
		return t("aid.goals.measure.position", m.Position.InUpper, m.Position.Defined, len(m.Position.Indicators), m.Position.Peers)
	case GoalInfo:
		return t("aid.goals.measure.info", m.Info.Count, len(m.Info.Items))
	default:
		return t("aid.goals.measure.echelon", m.Echelon.Filled, len(m.Echelon.Levels), m.Echelon.MinPerLevel)
	}
}

// CheckText is one checklist item of goal (3) in words.
func CheckText(t func(string, ...any) string, c CheckResult) string {
	switch {
	case c.Code == CheckEvaluation:
		return t("aid.goals.check_value.count", c.Num, c.Threshold)
	case !c.Defined:
		return t("aid.goals.check_value.none")
	default:
		return t("aid.goals.check_value.pct", c.Value, c.Num, c.Den, c.Threshold)
	}
}

// PositionText is one indicator of goal (2) in words.
func PositionText(t func(string, ...any) string, ip IndicatorPosition) string {
	if !ip.Defined {
		return t("aid.goals.position_none")
	}
	return t("aid.goals.position_rank", ip.Rank, ip.Of, ip.Cutoff)
}

// Report builds the quarterly progress report of quarter (e.g. "2026Q3");
// a quarter not begun yet is refused. It is a view of the pairing and of
// other units' aggregates, so it is audited.
func (s *Service) Report(ctx context.Context, r Request, pairingID int64, quarter string) (docx.Document, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return docx.Document{}, err
	}
	q, err := ParseQuarter(quarter)
	if err != nil {
		return docx.Document{}, err
	}
	today := s.Today()
	if q.First() > today {
		return docx.Document{}, invalid("quarter", "err.aid_quarter_future")
	}
	asOf, nowMS := q.Last(), endOfDay(q.Last())
	if asOf >= today {
		asOf, nowMS = today, s.now().UnixMilli()
	}
	p, err := s.progress(ctx, pr, asOf, nowMS)
	if err != nil {
		return docx.Document{}, err
	}
	b := &report{t: s.t, q: q}
	if err := b.build(ctx, s, p); err != nil {
		return docx.Document{}, err
	}
	if err := s.audited(ctx, r, "aid.report", pairingID, "quarter="+q.String()); err != nil {
		return docx.Document{}, err
	}
	return docx.Document{Title: s.t("aid.report.title", pr.Name, q.Year, q.Q), Blocks: b.blocks}, nil
}

type report struct {
	t      func(string, ...any) string
	q      Quarter
	blocks []docx.Block
}

func (b *report) add(bl ...docx.Block) { b.blocks = append(b.blocks, bl...) }
func (b *report) heading(text string)  { b.add(docx.Paragraph{Text: text, Bold: true}) }
func (b *report) para(text string)     { b.add(docx.Paragraph{Text: text, Indent: true}) }

func (b *report) build(ctx context.Context, s *Service, p Progress) error {
	t, pr, q := b.t, p.Pairing, b.q
	b.add(docx.Paragraph{Text: t("aid.report.title", pr.Name, q.Year, q.Q), Title: true})
	b.para(t("aid.report.intro", UnitNames(pr.Aiding), UnitNames(pr.Aided), pr.StartOn, pr.EndOn, q.First(), q.Last(), p.AsOf))
	b.heading(t("aid.report.section_goals"))
	b.para(t("aid.report.goals_note"))
	for gi, code := range GoalCodes() {
		b.heading(t("aid.report.goal_heading", gi+1, t("aid.goals.title."+code)))
		b.para(t("aid.goals.rule." + code))
		for _, up := range p.Units {
			cur := up.Current()
			met := t("ui.aid.goal_not_met")
			if cur.Met(code) {
				met = t("ui.aid.goal_met")
			}
			b.para(t("aid.report.unit_measure", up.Unit.Name, MeasureText(t, code, cur), met))
			b.detail(code, cur)
			rows := [][]string{{t("aid.report.col.as_of"), t("aid.report.col.value"), t("aid.report.col.met")}}
			vals := make([]float64, len(up.Points))
			for i, m := range up.Points {
				vals[i] = float64(m.Value(code))
				ok := t("ui.aid.goal_not_met")
				if m.Met(code) {
					ok = t("ui.aid.goal_met")
				}
				rows = append(rows, []string{m.Label, MeasureText(t, code, m), ok})
			}
			img, err := chart.Line(vals, chart.Options{Height: 450})
			if err != nil {
				return err
			}
			b.add(docx.Image{PNG: img, WidthEMU: docx.CM(14), AltText: t("aid.report.alt_trend", up.Unit.Name,
				t("aid.goals.title."+code), up.Points[0].Label, up.Current().Label)})
			ax := chart.YAxis(vals, chart.Options{})
			b.para(t("aid.report.scale", up.Points[0].Label, up.Current().Label, ax.Min, ax.Max, ax.Step))
			b.add(docx.Table{Rows: rows, Header: true})
		}
	}
	return b.activities(ctx, s, p)
}

// detail lists the parts of a goal's current measure.
func (b *report) detail(code string, m Measures) {
	t := b.t
	switch code {
	case GoalStaff:
		if len(m.Staff.Names) > 0 {
			b.para(t("aid.report.staff_names", strings.Join(m.Staff.Names, "、")))
		}
	case GoalPosition:
		rows := [][]string{{t("aid.goals.col.indicator"), t("aid.goals.col.position"), t("aid.report.col.met")}}
		for _, ip := range m.Position.Indicators {
			ok := "—"
			if ip.Defined {
				ok = t("ui.aid.goal_not_met")
				if ip.Upper {
					ok = t("ui.aid.goal_met")
				}
			}
			rows = append(rows, []string{ip.Name, PositionText(t, ip), ok})
		}
		if len(rows) > 1 {
			b.para(t("aid.goals.position_period", m.Position.From, m.Position.To))
			b.add(docx.Table{Rows: rows, Header: true})
		}
	case GoalInfo:
		rows := [][]string{{t("aid.goals.col.check"), t("aid.goals.col.check_value"), t("aid.report.col.met")}}
		for _, c := range m.Info.Items {
			ok := t("ui.aid.goal_not_met")
			if c.Met {
				ok = t("ui.aid.goal_met")
			}
			rows = append(rows, []string{t("aid.goals.check." + c.Code), CheckText(t, c), ok})
		}
		b.para(t("aid.goals.window", m.Info.From, m.Info.To))
		b.add(docx.Table{Rows: rows, Header: true})
	case GoalEchelon:
		rows := [][]string{{t("aid.goals.col.level"), t("aid.goals.col.count")}}
		for _, l := range m.Echelon.Levels {
			rows = append(rows, []string{l.Name, fmt.Sprint(l.Count)})
		}
		b.add(docx.Table{Rows: rows, Header: true})
	}
}

// activities writes the quarter's work: activities, funds, Q&A and the
// follow-ups still open.
func (b *report) activities(ctx context.Context, s *Service, p Progress) error {
	t, q := b.t, b.q
	from, to := q.First(), q.Last()
	acts, err := s.store.AidActivities(ctx, p.Pairing.ID)
	if err != nil {
		return err
	}
	b.heading(t("aid.report.section_activities"))
	rows := [][]string{{t("aid.field.held_on"), t("aid.field.kind"), t("aid.field.place"), t("aid.field.agreed")}}
	var open [][]string
	slices.SortFunc(acts, func(a, c Activity) int { return cmpString(a.HeldOn, c.HeldOn) })
	for _, a := range acts {
		if a.HeldOn >= from && a.HeldOn <= to {
			rows = append(rows, []string{a.HeldOn, t("ui.aid.kind." + a.Kind), a.Place, a.Agreed})
		}
		for _, f := range a.FollowUps {
			if f.Status == FollowOpen {
				open = append(open, []string{f.Item, f.Owner, f.DueOn, a.HeldOn})
			}
		}
	}
	b.para(t("aid.report.activities_count", len(rows)-1))
	if len(rows) > 1 {
		b.add(docx.Table{Rows: rows, Header: true})
	}

	entries, err := s.store.AidLedger(ctx, p.Pairing.ID)
	if err != nil {
		return err
	}
	var alloc, spent, balance int64
	for _, e := range entries {
		if e.EntryOn > to {
			continue
		}
		balance = e.BalanceFen // ledger order: the last entry up to the quarter's end
		if e.EntryOn < from {
			continue
		}
		if e.Kind == EntryAllocation {
			alloc += e.AmountFen
		} else {
			spent += e.AmountFen
		}
	}
	b.heading(t("aid.report.section_funds"))
	b.para(t("aid.report.funds", FormatYuan(alloc), FormatYuan(spent), to, FormatYuan(balance)))

	qs, err := s.store.AidQuestions(ctx, p.Pairing.ID, false, "")
	if err != nil {
		return err
	}
	asked, answered := 0, 0
	var resp []int64
	lo := startOfDay(from)
	hi := endOfDay(to)
	for _, qu := range qs {
		at := qu.AskedAt.UnixMilli()
		if at < lo || at > hi {
			continue
		}
		asked++
		if qu.ResponseMS > 0 {
			answered++
			resp = append(resp, qu.ResponseMS)
		}
	}
	b.heading(t("aid.report.section_qa"))
	if med, ok := MedianMS(resp); ok {
		b.para(t("aid.report.qa", asked, answered, med/3.6e6))
	} else {
		b.para(t("aid.report.qa_none", asked, answered))
	}

	b.heading(t("aid.report.section_followups"))
	b.para(t("aid.report.followups_count", len(open)))
	if len(open) > 0 {
		rows := [][]string{{t("aid.field.item"), t("aid.field.owner"), t("aid.field.due_on"), t("aid.report.col.agreed_on")}}
		b.add(docx.Table{Rows: append(rows, open...), Header: true})
	}
	return nil
}

// MedianMS is the median of response times (the mean of the middle two
// for an even count); false when there are none.
func MedianMS(ms []int64) (float64, bool) {
	if len(ms) == 0 {
		return 0, false
	}
	s := slices.Clone(ms)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2]), true
	}
	return (float64(s[n/2-1]) + float64(s[n/2])) / 2, true
}

func startOfDay(day string) int64 {
	t, _ := time.ParseInLocation(time.DateOnly, day, cst)
	return t.UnixMilli()
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
