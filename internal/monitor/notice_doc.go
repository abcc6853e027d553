package monitor

import (
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/docx"
)

// basisR665 is the basis of monitoring itself, cited by findings made by
// hand.
const basisR665 = "《人民检察院刑事诉讼规则》第六百六十五条"

// NoticeDoc is what a 案件流程监控通知书 carries, ready for a document or an
// export: every field is display text in the reader's language.
type NoticeDoc struct {
	Number          string // 文号
	UnitName        string // 发文单位
	Addressee       string // 主送：办案部门
	CaseName        string // 案件名称
	StageNo         string // 部门受案号
	UniformNo       string // 统一受案号
	Handler         string // 承办检察官
	Problem         string // 发现的问题
	RuleTitle       string // 问题类别
	RuleBasis       string // 依据
	FixHint         string // 整改建议
	RequestedAction string // 要求事项
	ReplyDue        string // 书面回复期限 (YYYY-MM-DD)
	ReplyBasis      string // 回复期限依据
	IssuedOn        string // 发文日期 (YYYY-MM-DD)

	// The wording around the fields, rendered with the same catalogue:
	// the title, the opening, the labelled rows of the table, the reply
	// request and the sign-off (unit and date).
	Title     string
	Intro     string
	Rows      [][2]string
	ReplyLine string
	SignOff   string
}

// NoticeDocument assembles the notice document of finding f from its
// notice n, with the rule table rules (for the title, basis and fix hint)
// and t rendering i18n keys. A finding made by hand names its area as the
// problem class and cites R665.
func NoticeDocument(t func(key string, args ...any) string, rules []Rule, f Finding, n Notice) NoticeDoc {
	doc := NoticeDoc{Number: n.Number, UnitName: f.Case.UnitName, Addressee: n.DepartmentName, CaseName: f.Case.Name,
		StageNo: f.Case.StageNo, UniformNo: f.Case.UniformNo, Handler: f.Case.HandlerName, Problem: f.Detail(t),
		RuleTitle: t(f.Area.Key()), RuleBasis: basisR665, RequestedAction: n.RequestedAction, ReplyDue: n.ReplyDue,
		ReplyBasis: n.ReplyBasis, IssuedOn: n.IssuedOn}
	if r, ok := RuleByID(rules, f.RuleID); ok {
		doc.RuleTitle, doc.RuleBasis, doc.FixHint = t(r.TitleKey), r.Basis, t(r.FixKey)
	}
	if doc.RequestedAction == "" {
		doc.RequestedAction = t("monitor.doc.default_request")
	}
	doc.Title = t("monitor.doc.title")
	doc.Intro = t("monitor.doc.intro")
	for _, row := range [][2]string{
		{"monitor.doc.case", doc.CaseName}, {"monitor.doc.stage_no", doc.StageNo},
		{"monitor.doc.uniform_no", doc.UniformNo}, {"monitor.doc.handler", doc.Handler},
		{"monitor.doc.rule", doc.RuleTitle}, {"monitor.doc.problem", doc.Problem},
		{"monitor.doc.basis", doc.RuleBasis}, {"monitor.doc.fix", doc.FixHint},
		{"monitor.doc.request", doc.RequestedAction},
	} {
		if row[1] != "" {
			doc.Rows = append(doc.Rows, [2]string{t(row[0]), row[1]})
		}
	}
	doc.ReplyLine = t("monitor.doc.reply", longDate(t, doc.ReplyDue), doc.ReplyBasis)
	doc.SignOff = doc.UnitName + "\n" + longDate(t, doc.IssuedOn)
	return doc
}

// longDate writes an ISO date the way documents do (2026年3月26日).
func longDate(t func(key string, args ...any) string, iso string) string {
	d, err := deadline.ParseDate(iso)
	if err != nil {
		return iso
	}
	return t("deadline.date.ymd", d.Y, int(d.M), d.D)
}

// Document lays the notice out for docx.Write: title, number, addressee,
// opening, the table of the case and the problem, the reply request and
// the sign-off.
func (n NoticeDoc) Document() docx.Document {
	rows := make([][]string, len(n.Rows))
	for i, r := range n.Rows {
		rows[i] = []string{r[0], r[1]}
	}
	return docx.Document{Title: n.Title, Blocks: []docx.Block{
		docx.Paragraph{Text: n.Title, Title: true, Bold: true, Align: "center"},
		docx.Paragraph{Text: n.Number, Align: "right"},
		docx.Paragraph{Text: n.Addressee + "："},
		docx.Paragraph{Text: n.Intro, Indent: true},
		docx.Table{Rows: rows},
		docx.Paragraph{Text: n.ReplyLine, Indent: true},
		docx.Paragraph{Text: n.SignOff, Align: "right"},
	}}
}
