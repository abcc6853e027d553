package evaluation

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
)

// ReportFinding is a finding as a report prints it.
type ReportFinding struct {
	Aspect    string
	ItemCode  string
	Title     string
	Option    string
	Class     string
	Deduction int
	Note      string
	Objection string
	Decision  string // upheld / overturned, with the reason
}

// ReportFollowUp is a follow-up as a report prints it.
type ReportFollowUp struct {
	Kind string
	Note string
	On   string
	By   string
}

// CaseReport is the report of one evaluated case (案件评查报告): every field
// display text in the reader's language, ready for a page, a document or
// an export.
type CaseReport struct {
	Title        string
	Activity     string
	Kind         string
	Organiser    string
	CaseName     string
	CaseUnit     string
	StageNo      string
	UniformNo    string
	Category     string
	Handler      string
	Department   string
	ClosedOn     string
	Selection    string
	Evaluator    string
	Template     string
	Scale        string
	Findings     []ReportFinding
	Deduction    int
	Suggested    string
	Proposed     string
	Reasons      string
	ProposedOn   string
	Response     string
	ResponseNote string
	RespondedOn  string
	Decision     string
	DecidedOn    string
	FinalGrade   string
	FinalOn      string
	FollowUps    []ReportFollowUp
	Status       string
	// Labels of the document's rows and headings, rendered with the same
	// catalogue.
	Labels map[string]string
}

// CaseReport builds the report of a record p may see; the read is audited.
func (s *Service) CaseReport(ctx context.Context, r Request, recordID int64) (CaseReport, error) {
	rec, a, err := s.loadRecord(ctx, r.P, recordID)
	if err != nil {
		return CaseReport{}, err
	}
	t, err := s.template(ctx, rec.TemplateID)
	if err != nil {
		return CaseReport{}, err
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return CaseReport{}, err
	}
	if err := s.store.AppendAudit(ctx, r.record("evaluation.report_case", objRecord, recordID, "")); err != nil {
		return CaseReport{}, err
	}
	return BuildCaseReport(s.t, a, rec, t, names), nil
}

func (s *Service) categoryNames(ctx context.Context) (map[string]string, error) {
	cats, err := s.store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range cats {
		out[c.Code] = c.Name
	}
	return out, nil
}

// reportLabels are the row labels of the reports.
var reportLabels = []string{"activity", "kind", "organiser", "case", "case_unit", "stage_no", "uniform_no", "category",
	"handler", "department", "closed_on", "selection", "evaluator", "template", "scale", "findings", "aspect",
	"item", "option", "deduction", "note", "objection", "decision", "suggested", "proposed", "reasons", "response",
	"final", "followups", "status", "none", "scope", "period", "leader", "evaluators", "committee", "deadline",
	"draw", "records", "by_grade", "rows", "frequent", "calibration", "grade", "count", "overturned", "share",
	"problems", "deduction_total", "committee_decision", "on"}

func labels(t func(string, ...any) string) map[string]string {
	out := make(map[string]string, len(reportLabels))
	for _, k := range reportLabels {
		out[k] = t("evaluation.report." + k)
	}
	return out
}

// BuildCaseReport assembles the report of record rec of activity a scored
// against template tpl; t renders i18n keys; categories names the case
// categories.
func BuildCaseReport(t func(string, ...any) string, a Activity, rec Record, tpl Template,
	categories map[string]string) CaseReport {
	sc := tpl.Scale
	rep := CaseReport{Title: t("evaluation.report.case_title"), Activity: a.Name, Kind: t(a.Kind.Key()),
		Organiser: a.UnitName, CaseName: rec.Case.Name, CaseUnit: rec.Case.UnitName, StageNo: rec.Case.StageNo,
		UniformNo: rec.Case.UniformNo, Category: categoryName(categories, rec.Category), Handler: rec.HandlerName,
		Department: rec.DepartmentName, ClosedOn: rec.Case.ClosedOn, Evaluator: rec.EvaluatorName,
		Template: t("evaluation.report.template_version", tpl.Name, tpl.Version), Scale: sc.Name,
		Deduction: rec.Deduction, Suggested: gradeLabel(sc, rec.SuggestedGrade), Proposed: gradeLabel(sc, rec.ProposedGrade),
		Reasons: rec.ProposedReasons, ProposedOn: rec.ProposedOn, ResponseNote: rec.ResponseReason,
		RespondedOn: rec.RespondedOn, Decision: rec.DecisionReason, DecidedOn: rec.DecidedOn,
		FinalGrade: gradeLabel(sc, rec.FinalGrade), FinalOn: rec.FinalOn, Status: t(rec.Status.Key()), Labels: labels(t)}
	rep.Selection = t(rec.Selection.Key())
	if rec.SelectionReason != "" {
		rep.Selection += t("evaluation.report.paren", selectionReason(t, rec))
	}
	if rec.Response != "" {
		rep.Response = t(rec.Response.Key())
	}
	for _, f := range rec.Findings {
		if !f.Class.Problem() && f.Note == "" {
			continue
		}
		o, _ := tpl.optionByCode(f.Option)
		rf := ReportFinding{Aspect: t(f.Aspect.Key()), ItemCode: f.ItemCode, Title: f.Title, Option: o.Label,
			Class: t(f.Class.Key()), Deduction: f.Deduction, Note: f.Note, Objection: f.Objection}
		if f.Objected && (rec.DecidedOn != "") {
			key := "evaluation.report.upheld"
			if f.Overturned {
				key = "evaluation.report.overturned_item"
			}
			rf.Decision = t(key, f.DecisionNote)
		}
		rep.Findings = append(rep.Findings, rf)
	}
	for _, f := range rec.FollowUps {
		rep.FollowUps = append(rep.FollowUps, ReportFollowUp{Kind: t(f.Kind.Key()), Note: f.Note, On: f.ActedOn,
			By: f.ActorName})
	}
	return rep
}

// selectionReason renders why a record was drawn (SelectionText).
func selectionReason(t func(string, ...any) string, rec Record) string {
	return SelectionText(t, rec.Selection, rec.SelectionReason)
}

func gradeLabel(sc Scale, code string) string {
	if code == "" {
		return ""
	}
	return sc.Label(code)
}

func categoryName(names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// Document lays the case report out for docx.Write: title, the table of the
// case, the findings table, the grade and its reasons, the response and
// decision, the follow-ups.
func (c CaseReport) Document() docx.Document {
	l := c.Labels
	rows := [][]string{}
	for _, kv := range [][2]string{{"activity", c.Activity}, {"kind", c.Kind}, {"organiser", c.Organiser},
		{"case", c.CaseName}, {"case_unit", c.CaseUnit}, {"stage_no", c.StageNo}, {"uniform_no", c.UniformNo},
		{"category", c.Category}, {"handler", c.Handler}, {"department", c.Department}, {"closed_on", c.ClosedOn},
		{"selection", c.Selection}, {"evaluator", c.Evaluator}, {"template", c.Template}, {"scale", c.Scale}} {
		if kv[1] != "" {
			rows = append(rows, []string{l[kv[0]], kv[1]})
		}
	}
	blocks := []docx.Block{
		docx.Paragraph{Text: c.Title, Title: true, Bold: true, Align: "center"},
		docx.Table{Rows: rows},
		docx.Paragraph{Text: l["findings"], Bold: true},
	}
	if len(c.Findings) == 0 {
		blocks = append(blocks, docx.Paragraph{Text: l["none"], Indent: true})
	} else {
		ft := [][]string{{l["aspect"], l["item"], l["option"], l["deduction"], l["note"], l["objection"], l["decision"]}}
		for _, f := range c.Findings {
			ft = append(ft, []string{f.Aspect, f.ItemCode + " " + f.Title, f.Option, strconv.Itoa(f.Deduction), f.Note,
				f.Objection, f.Decision})
		}
		blocks = append(blocks, docx.Table{Rows: ft, Header: true})
	}
	grade := [][]string{{l["deduction_total"], strconv.Itoa(c.Deduction)}, {l["suggested"], c.Suggested},
		{l["proposed"], c.Proposed}, {l["reasons"], c.Reasons}}
	if c.Response != "" {
		grade = append(grade, []string{l["response"], strings.TrimSpace(c.Response + " " + c.ResponseNote)})
	}
	if c.DecidedOn != "" {
		grade = append(grade, []string{l["committee_decision"], c.Decision})
	}
	grade = append(grade, []string{l["final"], c.FinalGrade}, []string{l["status"], c.Status})
	blocks = append(blocks, docx.Paragraph{Text: l["grade"], Bold: true}, docx.Table{Rows: grade})
	if len(c.FollowUps) > 0 {
		ft := [][]string{{l["followups"], l["note"], l["on"]}}
		for _, f := range c.FollowUps {
			ft = append(ft, []string{f.Kind, f.Note, f.On})
		}
		blocks = append(blocks, docx.Paragraph{Text: l["followups"], Bold: true}, docx.Table{Rows: ft, Header: true})
	}
	return docx.Document{Title: c.Title, Blocks: blocks}
}

// ActivityReportRow is one case of an activity report.
type ActivityReportRow struct {
	RecordID  int64
	CaseName  string
	StageNo   string
	Unit      string
	Handler   string
	Evaluator string
	Problems  int
	Deduction int
	Proposed  string
	Response  string
	Final     string
	Status    string
}

// LabelCount is a labelled count (a grade, a follow-up kind).
type LabelCount struct {
	Code  string
	Label string
	Count int
}

// ActivityReport is the activity's evaluation report (评查报告): the plan,
// how the cases were drawn, the grades, every case, the most frequent
// findings, the evaluators' calibration and the follow-up.
type ActivityReport struct {
	Title       string
	Name        string
	Kind        string
	Organiser   string
	Scope       string
	Categories  string
	Period      string
	Scale       string
	Leader      string
	Evaluators  string
	Committee   string
	Deadline    string
	Status      string
	Draw        []string // one line per method used
	Records     int
	Graded      int
	ByGrade     []LabelCount
	Rows        []ActivityReportRow
	Frequent    []FindingCount
	Calibration []CalibrationRow
	FollowUps   []LabelCount
	Summary     string
	Labels      map[string]string
	// GradeLabels names grade codes for Calibration's maps.
	GradeLabels map[string]string
}

// ActivityReport builds the report of an activity p may see; the read is
// audited.
func (s *Service) ActivityReport(ctx context.Context, r Request, activityID int64) (ActivityReport, error) {
	a, err := s.loadActivity(ctx, r.P, activityID)
	if err != nil {
		return ActivityReport{}, err
	}
	recs, err := s.store.EvaluationRecords(ctx, a.ID)
	if err != nil {
		return ActivityReport{}, err
	}
	var sc Scale
	for _, id := range a.Templates {
		t, err := s.template(ctx, id)
		if err != nil {
			return ActivityReport{}, err
		}
		sc = t.Scale
		break
	}
	if len(sc.Grades) == 0 {
		return ActivityReport{}, apperr.ErrNotFound
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return ActivityReport{}, err
	}
	if err := s.store.AppendAudit(ctx, r.record("evaluation.report_activity", objActivity, a.ID,
		fmt.Sprintf("records=%d", len(recs)))); err != nil {
		return ActivityReport{}, err
	}
	return BuildActivityReport(s.t, a, recs, sc, names), nil
}

// BuildActivityReport assembles the report of activity a from its records
// (with findings and follow-ups), all graded on scale sc.
func BuildActivityReport(t func(string, ...any) string, a Activity, recs []Record, sc Scale,
	categories map[string]string) ActivityReport {
	sep := t("evaluation.list_sep")
	rep := ActivityReport{Title: t("evaluation.report.activity_title", a.Name), Name: a.Name, Kind: t(a.Kind.Key()),
		Organiser: a.UnitName, Period: t("evaluation.report.period_range", a.ClosedFrom, a.ClosedTo), Scale: sc.Name,
		Leader: a.Leader, Deadline: a.Deadline, Status: t(a.Status.Key()), Records: len(recs), Labels: labels(t),
		GradeLabels: map[string]string{}}
	var units, cats, evals, committee []string
	for _, u := range a.Units {
		units = append(units, u.Name)
	}
	for _, c := range a.Categories {
		cats = append(cats, categoryName(categories, c))
	}
	for _, m := range a.Evaluators() {
		evals = append(evals, m.Name)
	}
	for _, m := range a.Committee() {
		committee = append(committee, m.Name)
	}
	rep.Scope, rep.Categories = strings.Join(units, sep), strings.Join(cats, sep)
	rep.Evaluators, rep.Committee = strings.Join(evals, sep), strings.Join(committee, sep)
	d := a.Draw
	if d.DrawnOn != "" {
		rep.Draw = append(rep.Draw, t("evaluation.report.draw_random", d.DrawnOn, d.Population, d.Rate, d.Seed, d.Drawn,
			d.Digest))
	}
	if d.RuleOn != "" {
		rules := make([]string, len(d.Rules))
		for i, c := range d.Rules {
			rules[i] = t(RuleKey(c))
		}
		rep.Draw = append(rep.Draw, t("evaluation.report.draw_rules", d.RuleOn, strings.Join(rules, sep), d.Matched))
	}
	manual := 0
	for _, rec := range recs {
		if rec.Selection == SelectManual {
			manual++
		}
	}
	if manual > 0 {
		rep.Draw = append(rep.Draw, t("evaluation.report.draw_manual", manual))
	}
	grades := map[string]int{}
	follow := map[FollowUpKind]int{}
	items := map[string]*FindingCount{}
	cal := map[int64]*CalibrationRow{}
	for _, rec := range recs {
		row := ActivityReportRow{RecordID: rec.ID, CaseName: rec.Case.Name, StageNo: rec.Case.StageNo,
			Unit: rec.Case.UnitName, Handler: rec.HandlerName, Evaluator: rec.EvaluatorName, Deduction: rec.Deduction,
			Proposed: gradeLabel(sc, rec.ProposedGrade), Final: gradeLabel(sc, rec.FinalGrade), Status: t(rec.Status.Key())}
		if rec.Response != "" {
			row.Response = t(rec.Response.Key())
		}
		if rec.FinalGrade != "" {
			grades[rec.FinalGrade]++
			rep.Graded++
		}
		var c *CalibrationRow
		if rec.ProposedGrade != "" && rec.EvaluatorID != 0 {
			if c = cal[rec.EvaluatorID]; c == nil {
				c = &CalibrationRow{EvaluatorID: rec.EvaluatorID, Name: rec.EvaluatorName, Grades: map[string]int{}}
				cal[rec.EvaluatorID] = c
			}
			c.Records++
			c.Grades[rec.ProposedGrade]++
		}
		seen := map[string]bool{}
		for _, f := range rec.Findings {
			if !f.Class.Problem() {
				continue
			}
			if c != nil {
				c.Findings++
				if f.Objected {
					c.Objected++
				}
				if f.Overturned {
					c.Overturned++
				}
			}
			if f.Overturned || rec.FinalGrade == "" {
				continue
			}
			row.Problems++
			fc := items[f.ItemCode]
			if fc == nil {
				fc = &FindingCount{ItemCode: f.ItemCode, Title: f.Title, Aspect: f.Aspect}
				items[f.ItemCode] = fc
			}
			fc.Total++
			if f.Class == ClassSerious {
				fc.Serious++
			} else {
				fc.Flaws++
			}
			if !seen[f.ItemCode] {
				seen[f.ItemCode] = true
				fc.Records++
			}
		}
		for _, f := range rec.FollowUps {
			follow[f.Kind]++
		}
		rep.Rows = append(rep.Rows, row)
	}
	for _, g := range sc.Grades {
		rep.GradeLabels[g.Code] = g.Label
		rep.ByGrade = append(rep.ByGrade, LabelCount{Code: g.Code, Label: g.Label, Count: grades[g.Code]})
	}
	for _, k := range FollowUpKinds() {
		rep.FollowUps = append(rep.FollowUps, LabelCount{Code: string(k), Label: t(k.Key()), Count: follow[k]})
	}
	for _, fc := range items {
		rep.Frequent = append(rep.Frequent, *fc)
	}
	sort.Slice(rep.Frequent, func(i, j int) bool {
		x, y := rep.Frequent[i], rep.Frequent[j]
		if x.Total != y.Total {
			return x.Total > y.Total
		}
		return x.ItemCode < y.ItemCode
	})
	if len(rep.Frequent) > 10 {
		rep.Frequent = rep.Frequent[:10]
	}
	for _, c := range cal {
		rep.Calibration = append(rep.Calibration, *c)
	}
	sort.Slice(rep.Calibration, func(i, j int) bool { return rep.Calibration[i].EvaluatorID < rep.Calibration[j].EvaluatorID })
	var parts []string
	for _, g := range rep.ByGrade {
		parts = append(parts, t("evaluation.report.grade_count", g.Label, g.Count))
	}
	rep.Summary = t("evaluation.report.summary", rep.Records, rep.Graded, strings.Join(parts, sep))
	return rep
}

// Document lays the activity report out for docx.Write.
func (a ActivityReport) Document() docx.Document {
	l := a.Labels
	var plan [][]string
	for _, kv := range [][2]string{{"activity", a.Name}, {"kind", a.Kind}, {"organiser", a.Organiser},
		{"scope", a.Scope}, {"category", a.Categories}, {"period", a.Period}, {"scale", a.Scale},
		{"leader", a.Leader}, {"evaluators", a.Evaluators}, {"committee", a.Committee}, {"deadline", a.Deadline},
		{"status", a.Status}} {
		if kv[1] != "" {
			plan = append(plan, []string{l[kv[0]], kv[1]})
		}
	}
	blocks := []docx.Block{
		docx.Paragraph{Text: a.Title, Title: true, Bold: true, Align: "center"},
		docx.Paragraph{Text: a.Summary, Indent: true},
		docx.Table{Rows: plan},
		docx.Paragraph{Text: l["draw"], Bold: true},
	}
	for _, d := range a.Draw {
		blocks = append(blocks, docx.Paragraph{Text: d, Indent: true})
	}
	gt := [][]string{{l["grade"], l["count"]}}
	for _, g := range a.ByGrade {
		gt = append(gt, []string{g.Label, strconv.Itoa(g.Count)})
	}
	blocks = append(blocks, docx.Paragraph{Text: l["by_grade"], Bold: true}, docx.Table{Rows: gt, Header: true})
	rt := [][]string{{l["case"], l["handler"], l["evaluator"], l["problems"], l["proposed"], l["response"], l["final"]}}
	for _, r := range a.Rows {
		rt = append(rt, []string{r.CaseName, r.Handler, r.Evaluator, strconv.Itoa(r.Problems), r.Proposed, r.Response,
			r.Final})
	}
	blocks = append(blocks, docx.Paragraph{Text: l["rows"], Bold: true}, docx.Table{Rows: rt, Header: true})
	if len(a.Frequent) > 0 {
		ft := [][]string{{l["item"], l["problems"], l["records"]}}
		for _, f := range a.Frequent {
			ft = append(ft, []string{f.ItemCode + " " + f.Title, strconv.Itoa(f.Total), strconv.Itoa(f.Records)})
		}
		blocks = append(blocks, docx.Paragraph{Text: l["frequent"], Bold: true}, docx.Table{Rows: ft, Header: true})
	}
	if len(a.Calibration) > 0 {
		codes := make([]string, 0, len(a.GradeLabels))
		for _, g := range a.ByGrade {
			codes = append(codes, g.Code)
		}
		head := []string{l["evaluator"], l["records"]}
		for _, c := range codes {
			head = append(head, a.GradeLabels[c])
		}
		head = append(head, l["problems"], l["overturned"], l["share"])
		ct := [][]string{head}
		for _, c := range a.Calibration {
			row := []string{c.Name, strconv.Itoa(c.Records)}
			for _, code := range codes {
				row = append(row, strconv.Itoa(c.Grades[code]))
			}
			row = append(row, strconv.Itoa(c.Findings), strconv.Itoa(c.Overturned),
				strconv.FormatFloat(100*c.OverturnedShare(), 'f', 0, 64)+"%")
			ct = append(ct, row)
		}
		blocks = append(blocks, docx.Paragraph{Text: l["calibration"], Bold: true}, docx.Table{Rows: ct, Header: true})
	}
	ut := [][]string{{l["followups"], l["count"]}}
	for _, f := range a.FollowUps {
		ut = append(ut, []string{f.Label, strconv.Itoa(f.Count)})
	}
	blocks = append(blocks, docx.Paragraph{Text: l["followups"], Bold: true}, docx.Table{Rows: ut, Header: true})
	return docx.Document{Title: a.Title, Blocks: blocks}
}
