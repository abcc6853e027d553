package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/monitor"
)

// ReportTable is one table of a monitoring report: a section of the page
// and a sheet of the workbook, from the same rows.
type ReportTable struct {
	ID     string // the section's anchor; the table's id is "t-" + ID
	Sheet  string // the worksheet's tab name
	Title  string
	Header []string
	Rows   [][]ReportCell
	Note   string // under the table (a truncated ledger)
	// Narrow tables (counts) take the width they need, not the page's.
	Narrow bool
}

// FigureCol reports whether column i holds figures (right-aligned, its
// header too), judged by the first row.
func (tb ReportTable) FigureCol(i int) bool {
	return len(tb.Rows) > 0 && i < len(tb.Rows[0]) && tb.Rows[0][i].Figure
}

// ReportCell is one cell: text, or a count (Num) that the workbook keeps
// as a number so it can be summed. Figure aligns a count or a rate to the
// right; Class styles the page's cell (codes and dates in the mono font);
// Href links it.
type ReportCell struct {
	Text   string
	Num    bool
	N      int
	Figure bool
	Class  string
	Href   string
}

func txt(s string) ReportCell { return ReportCell{Text: s} }

// code is a number or a date, set so it does not wrap.
func code(s string) ReportCell { return ReportCell{Text: s, Class: "mono"} }

// short is a short term (a severity, a status) that should not wrap.
func short(s string) ReportCell { return ReportCell{Text: s, Class: "nowrap"} }

func num(n int) ReportCell { return ReportCell{Text: strconv.Itoa(n), Num: true, N: n, Figure: true} }

func findingLink(s string, id int64) ReportCell {
	return ReportCell{Text: s, Href: "/monitor/findings/" + strconv.FormatInt(id, 10)}
}

// table starts a report table whose title and sheet name share one key.
func (h *Handler) table(id, key string, header ...string) ReportTable {
	title := h.T.T(key)
	return ReportTable{ID: id, Sheet: title, Title: title, Header: header}
}

func (h *Handler) cols(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = h.T.T(k)
	}
	return out
}

// clock shows an instant in China's time, as the pages do.
func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
}

// patrolTables are the day's scans, findings, actions and notes.
func (h *Handler) patrolTables(log monitor.PatrolLog) []ReportTable {
	rules := h.Monitor.Rules()
	scans := h.table("scans", "ui.monitor.patrol.scans", h.cols("ui.monitor.col.started", "ui.monitor.col.finished",
		"ui.monitor.col.cases_checked", "ui.monitor.col.hits", "ui.monitor.col.created")...)
	scans.Note = h.T.T("ui.monitor.patrol.scans_note")
	for _, s := range log.Scans {
		scans.Rows = append(scans.Rows, []ReportCell{code(clock(s.StartedAt)), code(clock(s.FinishedAt)), num(s.Cases),
			num(s.Hits), num(s.Created)})
	}
	found := h.table("findings", "ui.monitor.patrol.findings", h.cols("ui.case.name", "ui.case.stage_no",
		"ui.monitor.col.problem", "monitor.field.area", "monitor.field.severity", "ui.case.handler",
		"ui.monitor.col.found_by", "monitor.field.status")...)
	for _, f := range log.Findings {
		v := h.findingView(f, rules, log.Day)
		by := h.T.T("ui.monitor.scan")
		if v.Manual {
			by = h.T.T("ui.monitor.manual")
		}
		found.Rows = append(found.Rows, []ReportCell{findingLink(v.CaseName, v.ID), code(v.StageNo), txt(v.Problem()),
			txt(v.Area), short(v.Severity), short(h.orNone(v.Handler, "ui.monitor.unassigned")), short(by), short(v.Status)})
	}
	acts := h.table("actions", "ui.monitor.patrol.actions", h.cols("ui.monitor.col.time", "ui.case.name",
		"monitor.field.action", "monitor.field.note", "ui.monitor.col.actor")...)
	for _, a := range log.Actions {
		actor := a.ActorName
		if a.ActorID == 0 {
			actor = h.T.T("monitor.actor.system")
		}
		acts.Rows = append(acts.Rows, []ReportCell{code(clock(a.At)), findingLink(a.CaseName, a.FindingID),
			txt(h.T.T(a.Kind.Key())), txt(a.Note), short(actor)})
	}
	notes := h.table("notes", "ui.monitor.patrol.notes", h.cols("ui.monitor.col.time", "ui.monitor.col.author",
		"ui.monitor.col.patrol_note")...)
	for _, n := range log.Notes {
		notes.Rows = append(notes.Rows, []ReportCell{code(clock(n.At)), short(n.AuthorName), txt(n.Note)})
	}
	return []ReportTable{scans, found, acts, notes}
}

// ledgerTables are the month's findings, the counts by area, department
// and person (each with its total), and the recurring problems.
func (h *Handler) ledgerTables(l monitor.Ledger, multiUnit bool) []ReportTable {
	rules := h.Monitor.Rules()
	keys := []string{"ui.monitor.col.seq", "ui.monitor.col.detected_on", "ui.case.name", "ui.case.stage_no"}
	if multiUnit {
		keys = append(keys, "ui.case.unit")
	}
	keys = append(keys, "monitor.field.area", "ui.monitor.col.problem", "monitor.field.severity",
		"ui.board.department", "ui.case.handler", "monitor.field.step", "monitor.field.status")
	all := h.table("findings", "ui.monitor.ledger.findings", h.cols(keys...)...)
	for i, f := range l.Findings {
		v := h.findingView(f, rules, l.Range.To)
		row := []ReportCell{num(i + 1), code(v.DetectedOn), findingLink(v.CaseName, v.ID), code(v.StageNo)}
		if multiUnit {
			row = append(row, txt(v.UnitName))
		}
		all.Rows = append(all.Rows, append(row, txt(v.Area), txt(v.Problem()), short(v.Severity),
			short(h.orNone(v.Department, "ui.monitor.unassigned")), short(h.orNone(v.Handler, "ui.monitor.unassigned")),
			txt(v.Step), short(v.Status)))
	}
	if l.Truncated {
		all.Note = h.T.T("ui.monitor.ledger.truncated", len(l.Findings))
	}
	count := func(id, key, col string, rows []monitor.CountRow) ReportTable {
		tb := h.table(id, key, h.T.T(col), h.T.T("ui.monitor.col.count"))
		tb.Narrow = true
		total := 0
		for _, r := range rows {
			name := r.Name
			if r.NameKey != "" {
				name = h.T.T(r.NameKey)
			}
			tb.Rows = append(tb.Rows, []ReportCell{txt(h.orNone(name, "ui.monitor.unassigned")), num(r.Count)})
			total += r.Count
		}
		tb.Rows = append(tb.Rows, []ReportCell{txt(h.T.T("ui.monitor.total")), num(total)})
		return tb
	}
	rec := h.table("recurring", "ui.monitor.ledger.recurring", h.cols("ui.monitor.col.problem", "ui.monitor.col.who_kind",
		"ui.monitor.col.who", "ui.monitor.col.times", "ui.monitor.col.first", "ui.monitor.col.last")...)
	for _, r := range l.Recurring {
		title := r.RuleID
		if r.TitleKey != "" {
			title = h.T.T(r.TitleKey)
		}
		rec.Rows = append(rec.Rows, []ReportCell{txt(title), txt(h.T.T("ui.monitor.by." + string(r.By))),
			txt(h.orNone(r.Name, "ui.monitor.unassigned")), num(r.Count), code(r.First), code(r.Last)})
	}
	return []ReportTable{all,
		count("by-area", "ui.monitor.ledger.by_area", "monitor.field.area", l.ByArea),
		count("by-department", "ui.monitor.ledger.by_department", "ui.board.department", l.ByDepartment),
		count("by-person", "ui.monitor.ledger.by_person", "ui.case.handler", l.ByPerson),
		rec}
}

// quarterlyTables set the quarter beside the previous one: the summary,
// then the counts by area, severity, step and status, with the change.
func (h *Handler) quarterlyTables(qa monitor.QuarterlyAnalysis) []ReportTable {
	cur, prev := qa.Current, qa.Previous
	header := []string{h.T.T("ui.monitor.col.item"), h.T.T("ui.monitor.quarter", cur.Year, cur.Quarter),
		h.T.T("ui.monitor.quarter", prev.Year, prev.Quarter), h.T.T("ui.monitor.col.change")}
	counts := func(label string, a, b int) []ReportCell { return []ReportCell{txt(label), num(a), num(b), num(a - b)} }
	summary := h.table("summary", "ui.monitor.quarterly.summary", header...)
	summary.Narrow = true
	summary.Rows = [][]ReportCell{
		counts(h.T.T("ui.monitor.q.total"), cur.Total, prev.Total),
		counts(h.T.T("ui.monitor.q.closed"), cur.Closed, prev.Closed),
		counts(h.T.T("ui.monitor.q.rectified"), cur.Rectified, prev.Rectified),
		h.ratioRow("ui.monitor.q.rate", cur.Closed > 0, cur.RectificationRate*100, prev.Closed > 0,
			prev.RectificationRate*100, "ui.monitor.q.percent", "ui.monitor.q.points"),
		counts(h.T.T("ui.monitor.q.notices"), cur.Notices, prev.Notices),
		counts(h.T.T("ui.monitor.q.replied"), cur.Replied, prev.Replied),
		h.ratioRow("ui.monitor.q.avg_days", cur.Replied > 0, cur.AvgReplyDays, prev.Replied > 0, prev.AvgReplyDays,
			"ui.monitor.q.days", "ui.monitor.q.days"),
	}
	by := func(id, key string, a, b []monitor.CountRow) ReportTable {
		tb := h.table(id, key, header...)
		tb.Narrow = true
		prevByCode := map[string]int{}
		for _, r := range b {
			prevByCode[r.Code] = r.Count
		}
		for _, r := range a {
			tb.Rows = append(tb.Rows, counts(h.T.T(r.NameKey), r.Count, prevByCode[r.Code]))
		}
		return tb
	}
	return []ReportTable{summary,
		by("by-area", "ui.monitor.ledger.by_area", cur.ByArea, prev.ByArea),
		by("by-severity", "ui.monitor.quarterly.by_severity", cur.BySeverity, prev.BySeverity),
		by("by-step", "ui.monitor.quarterly.by_step", cur.ByStep, prev.ByStep),
		by("by-status", "ui.monitor.quarterly.by_status", cur.ByStatus, prev.ByStatus),
	}
}

// ratioRow is a row of a rate or an average: "—" where there is nothing
// to divide by, and the change only when both quarters have a value.
func (h *Handler) ratioRow(label string, hasA bool, a float64, hasB bool, b float64, unit, changeUnit string) []ReportCell {
	show := func(has bool, x float64) string {
		if !has {
			return h.T.T("ui.monitor.q.na")
		}
		return h.T.T(unit, fmt.Sprintf("%.1f", x))
	}
	change := h.T.T("ui.monitor.q.na")
	if hasA && hasB {
		change = h.T.T(changeUnit, fmt.Sprintf("%+.1f", a-b))
	}
	fig := func(s string) ReportCell { return ReportCell{Text: s, Figure: true} }
	return []ReportCell{txt(h.T.T(label)), fig(show(hasA, a)), fig(show(hasB, b)), fig(change)}
}
