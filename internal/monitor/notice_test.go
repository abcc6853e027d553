package monitor

import (
	"bytes"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/i18n"
)

func TestNoticeNumber(t *testing.T) {
	tests := []struct {
		short string
		year  int
		seq   int64
		want  string
	}{
		{"喀市", 2026, 1, "喀市检案管监〔2026〕1号"},
		{"株石", 2025, 27, "株石检案管监〔2025〕27号"},
		{"甲检", 2026, 100, "甲检检案管监〔2026〕100号"},
	}
	for _, tt := range tests {
		if got := NoticeNumber(tt.short, tt.year, tt.seq); got != tt.want {
			t.Errorf("NoticeNumber(%q, %d, %d) = %q, want %q", tt.short, tt.year, tt.seq, got, tt.want)
		}
	}
}

func TestReplyDue(t *testing.T) {
	e := deadline.DefaultEngine()
	tests := []struct {
		category, issued, want string
	}{
		// R665: 10 days; 26 March 2026 is a Thursday.
		{"prosecution_review", "2026-03-16", "2026-03-26"},
		{"arrest_review", "2026-03-16", "2026-03-26"},
		// Civil supervision: 5 days → Saturday 21 March, moved to Monday.
		{"civil_supervision", "2026-03-16", "2026-03-23"},
		// 10 days from 25 Sep 2026 end on 5 Oct, inside the National Day
		// holiday (1–7 Oct): moved to Thursday 8 Oct.
		{"prosecution_review", "2026-09-25", "2026-10-08"},
		// A category the engine does not know gets the default 10 days.
		{"juvenile_protection", "2026-03-16", "2026-03-26"},
	}
	for _, tt := range tests {
		due, basis, err := ReplyDue(e, tt.category, tt.issued)
		if err != nil || due != tt.want || basis == "" {
			t.Errorf("ReplyDue(%s, %s) = %q, %q, %v; want %s", tt.category, tt.issued, due, basis, err, tt.want)
		}
	}
	if _, _, err := ReplyDue(e, "prosecution_review", "2026-02-30"); err == nil {
		t.Error("a bad issue date was accepted")
	}
}

func TestNoticeDocument(t *testing.T) {
	c := i18n.MustLoad(i18n.DefaultLang)
	f := Finding{ID: 1, RuleID: RuleDeadlineOverdue, Area: AreaDeadlines, DetailKey: "monitor.rule.deadline_overdue.detail",
		Args: []Arg{{Key: "deadline.kind.prosecution_review"}, Text("2026-04-02"), Int(3), Text("《刑事诉讼法》第一百七十二条")},
		Case: CaseFacts{Name: "测某盗窃案", UnitName: "甲县人民检察院", StageNo: "甲检起诉受[2026]99010000000001号",
			UniformNo: "990100002026000001", HandlerName: "测检察官"}}
	n := Notice{Number: "甲检检案管监〔2026〕1号", DepartmentName: "刑事检察部", IssuedOn: "2026-04-05",
		ReplyDue: "2026-04-15", ReplyBasis: "R665"}
	doc := NoticeDocument(c.T, DefaultRules(), f, n)
	if doc.Number != n.Number || doc.Addressee != "刑事检察部" || doc.CaseName != "测某盗窃案" ||
		doc.UnitName != "甲县人民检察院" || doc.ReplyDue != "2026-04-15" || doc.IssuedOn != "2026-04-05" {
		t.Errorf("doc = %+v", doc)
	}
	if !strings.Contains(doc.Problem, "2026-04-02") || !strings.Contains(doc.Problem, "超期3日") ||
		strings.Contains(doc.Problem, "⟦") {
		t.Errorf("problem = %q", doc.Problem)
	}
	if doc.RuleTitle != c.T("monitor.rule.deadline_overdue.title") || doc.FixHint == "" ||
		!strings.Contains(doc.RuleBasis, "第六百六十五条") {
		t.Errorf("rule fields: %q %q %q", doc.RuleTitle, doc.FixHint, doc.RuleBasis)
	}
	if doc.RequestedAction != c.T("monitor.doc.default_request") {
		t.Errorf("requested action = %q", doc.RequestedAction)
	}
	if doc.Title != "案件流程监控通知书" || len(doc.Rows) != 9 || doc.Rows[0] != [2]string{"案件名称", "测某盗窃案"} ||
		!strings.Contains(doc.ReplyLine, "2026年4月15日") || doc.SignOff != "甲县人民检察院\n2026年4月5日" {
		t.Errorf("wording: %q %v %q %q", doc.Title, doc.Rows, doc.ReplyLine, doc.SignOff)
	}
	// The Word document reads back with every part in order.
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc.Document()); err != nil {
		t.Fatal(err)
	}
	text, err := docx.Text(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for _, want := range []string{"案件流程监控通知书", n.Number, "刑事检察部：", "经流程监控", "测某盗窃案", doc.Problem,
		"2026年4月15日", "甲县人民检察院\n2026年4月5日"} {
		i := strings.Index(text[at:], want)
		if i < 0 {
			t.Fatalf("document text lacks %q after position %d:\n%s", want, at, text)
		}
		at += i + len(want)
	}
	// A finding made by hand: its description, its area, R665.
	manual := Finding{Area: AreaFilesOut, Description: "卷宗未按期移送"}
	doc = NoticeDocument(c.T, DefaultRules(), manual, Notice{RequestedAction: "三日内移送"})
	if doc.Problem != "卷宗未按期移送" || doc.RuleTitle != "卷宗移送" || doc.RequestedAction != "三日内移送" ||
		!strings.Contains(doc.RuleBasis, "第六百六十五条") {
		t.Errorf("manual doc = %+v", doc)
	}
}

// Every key the vocabularies and the rule table use is in the catalogue,
// and every rule's detail renders its arguments without a placeholder.
func TestCatalogueHasEveryKey(t *testing.T) {
	c := i18n.MustLoad(i18n.DefaultLang)
	var keys []string
	for _, a := range Areas() {
		keys = append(keys, a.Key())
	}
	for _, s := range Severities() {
		keys = append(keys, s.Key())
	}
	for _, s := range Steps() {
		keys = append(keys, s.Key())
	}
	for _, s := range Statuses() {
		keys = append(keys, s.Key())
	}
	for _, k := range ActionKinds() {
		keys = append(keys, k.Key())
	}
	for _, f := range CardFields() {
		keys = append(keys, "monitor.card_field."+f.Code)
	}
	for _, r := range DefaultRules() {
		keys = append(keys, r.TitleKey, r.FixKey, r.DetailKey)
		if r.InactiveKey != "" {
			keys = append(keys, r.InactiveKey)
		}
	}
	keys = append(keys, "monitor.list_sep", "monitor.arg.not_assigned", "monitor.doc.default_request")
	for _, k := range keys {
		if !c.Has(k) {
			t.Errorf("key %s is not in the catalogue", k)
		}
	}
	for _, field := range []string{"area", "severity", "description", "note", "reply", "requested_action",
		"department_id", "status", "step", "notice", "reply_due", "action", "rule", "from", "to", "day", "today",
		"year", "month", "quarter"} {
		if !c.Has("monitor.field." + field) {
			t.Errorf("field label monitor.field.%s is missing", field)
		}
	}
}
