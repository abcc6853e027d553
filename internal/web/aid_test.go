package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// aidFixture is a pairing (乙县院 aids 甲县院 during 2026) with an activity,
// an open follow-up and a fund allocation with a PDF attachment.
type aidFixture struct {
	pairing, followUp, entry int64
	proposal                 int64 // a_prosecutor2: data supervision → backbone, pending
	question                 int64 // asked by a_prosecutor, answered by b_prosecutor
	training                 trainingFixture
}

func seedAid(t *testing.T, e *env) aidFixture {
	t.Helper()
	ctx := context.Background()
	svc := e.f.App.Aid
	var af aidFixture
	var err error
	af.pairing, err = svc.CreatePairing(ctx, aid.Request(e.f.Request(t, "up_sysadmin")), aid.PairingInput{Name: "乙甲结对",
		AidingIDs: []int64{e.f.UnitB.ID}, AidedIDs: []int64{e.f.UnitA.ID}, StartOn: "2026-01-01", EndOn: "2026-12-31",
		Agreement: "乙县院对口援助甲县院案件管理工作。", Shares: aid.Shares{Aggregates: true, QA: true, Problems: true},
		Contacts: []aid.Contact{{Name: "张联络", Unit: "乙县院案管办", Phone: "0731-1234"}}})
	if err != nil {
		t.Fatal(err)
	}
	cm := aid.Request(e.f.Request(t, "b_case_manager"))
	if _, err := svc.AddActivity(ctx, cm, af.pairing, aid.ActivityInput{Kind: aid.KindTraining, HeldOn: "2026-02-10",
		Place: "甲县人民检察院", Participants: "甲县院案管员5人", Agreed: "流程监控专题培训",
		FollowUps: []aid.FollowUpInput{{Item: "提交培训心得", Owner: "甲县院案管办", DueOn: "2026-03-31"}}}); err != nil {
		t.Fatal(err)
	}
	_, as, err := svc.Activities(ctx, cm, af.pairing)
	if err != nil {
		t.Fatal(err)
	}
	af.followUp = as[0].FollowUps[0].ID
	af.entry, err = svc.AddEntry(ctx, cm, af.pairing, aid.EntryInput{Kind: aid.EntryAllocation, EntryOn: "2026-01-15",
		AmountFen: 12_345_678, Purpose: "首笔援助资金", File: &aid.Upload{Name: "拨付通知.pdf", Data: []byte("%PDF-1.4\n")}})
	if err != nil {
		t.Fatal(err)
	}
	// The talent pipeline: b_case_manager is a mentor in every core area
	// (set as the seed sets the first mentors); a_prosecutor2 is backbone
	// in three of them and proposed for the fourth.
	for _, area := range []string{"intake", "assignment", "monitoring", "data"} {
		rec := audit.Record{Actor: audit.System("test"), Action: "aid.level.bootstrap", ObjectType: "user", Result: audit.ResultOK}
		if err := e.f.DB.BootstrapAidLevel(ctx, e.f.User(t, "b_case_manager").ID, area, aid.LevelMentor, rec); err != nil {
			t.Fatal(err)
		}
		if area != "data" {
			if err := e.f.DB.BootstrapAidLevel(ctx, e.f.User(t, "a_prosecutor2").ID, area, aid.LevelBackbone, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	af.proposal, err = svc.Propose(ctx, aid.Request(e.f.Request(t, "a_case_manager")), af.pairing, aid.ProposalInput{
		UserID: e.f.User(t, "a_prosecutor2").ID, Area: "data", Level: aid.LevelBackbone, Reason: "三个月数据监管，整改问题31个"})
	if err != nil {
		t.Fatal(err)
	}
	af.question, err = svc.Ask(ctx, aid.Request(e.f.Request(t, "a_prosecutor")), af.pairing, aid.QuestionInput{
		Title: "速裁案件的受理审查要点", Body: "速裁案件受理时需要特别审查什么？", Tags: "受理 速裁"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddPost(ctx, aid.Request(e.f.Request(t, "b_prosecutor")), af.question, "当日移送承办检察官（规则第二百七十三条）。"); err != nil {
		t.Fatal(err)
	}
	af.training = seedTraining(t, e, af.pairing)
	return af
}

// matrixObject fills a /aid/ route's path parameters for the matrix.
func (af aidFixture) matrixObject(p string) (string, string) {
	if id, q, ok := af.training.matrixObject(p); ok {
		return id, q
	}
	if strings.HasPrefix(p, "/aid/followups/") {
		return itoa(af.followUp), p
	}
	if strings.HasPrefix(p, "/aid/proposals/") {
		return itoa(af.proposal), p
	}
	if strings.HasPrefix(p, "/aid/questions/") {
		return itoa(af.question), p
	}
	return itoa(af.pairing), strings.Replace(p, "{entry}", itoa(af.entry), 1)
}

func aidVisits(t *testing.T, af aidFixture) []pageVisit {
	base := "/aid/pairings/" + itoa(af.pairing)
	vs := []pageVisit{
		{"aid_pairings", "a_case_manager", "/aid", 200, []string{"对口援助", "乙甲结对", "乙县人民检察院", "甲县人民检察院", "统计数据"}},
		{"aid_pairings", "up_sysadmin", "/aid", 200, []string{"新建结对", "乙甲结对"}},
		{"aid_pairing", "b_aid_partner", base, 200, []string{"乙甲结对", "援助方：乙县人民检察院；受援方：甲县人民检察院", "张联络", "0731-1234",
			"统计数据", "不共享", "对口援助甲县院"}},
		{"aid_pairing", "a_sysadmin", base, 200, []string{"修改结对协议", "导出结对全部记录（Excel）", base + "/export.xlsx"}},
		{"aid_pairing_form", "a_sysadmin", base + "/edit", 200, []string{"修改结对协议", `value="乙甲结对"`, "受援方单位", "匿名问题清单"}},
		{"aid_pairing_form", "up_sysadmin", "/aid/pairings/new", 200, []string{"新建结对", "援助方单位", "测试市人民检察院"}},
		{"aid_activities", "a_case_manager", base + "/activities", 200, []string{"2026-02-10 · 培训 · 甲县人民检察院", "提交培训心得", "未落实", "标记已落实", "登记活动"}},
		{"aid_activities", "up_upper_supervisor", base + "/activities", 200, []string{"提交培训心得"}},
		{"aid_ledger", "b_case_manager", base + "/ledger", 200, []string{"123,456.78", "首笔援助资金", "拨付通知.pdf", "导出Excel", "登记拨付或支出"}},
		{"aid_pairing", "a_case_manager", base, 200, []string{"目标一：受援院能独立开展案件管理工作的人员", "0 / 2", "未达标", "受理、分案、流程监控、数据监管"}},
		{"aid_talent", "b_case_manager", base + "/talent", 200, []string{"人才梯队", "测检察官二", "数据监管", "熟练", "见习 → 骨干", "待导师确认", "确认", "不通过",
			"提出等级变更", "本院案卡数据准确率连续3个月", "按系统规则生成提议", "新增师徒结对", "登记能力证据"}},
		{"aid_talent", "a_prosecutor2", base + "/talent", 200, []string{"待导师确认", "等级变更须由该领域导师"}},
		{"aid_qa", "a_prosecutor3", base + "/qa", 200, []string{"速裁案件的受理审查要点", "速裁", "已答复", "检索知识库", "提问"}},
		{"aid_qa", "b_case_manager", base + "/qa?q=" + url.QueryEscape("二百七十三"), 200, []string{"检索“二百七十三”：1条已答复问题", "速裁案件的受理审查要点"}},
		{"aid_shared", "b_case_manager", base + "/shared", 200, []string{"共享内容", "匿名问题清单", "甲县人民检察院", "来源", "发现日期", "不含案号"}},
		{"aid_question", "b_case_manager", "/aid/questions/" + itoa(af.question), 200, []string{"速裁案件受理时需要特别审查什么？", "答复 · 测prosecutor", "规则第二百七十三条"}},
		{"aid_progress", "a_case_manager", base + "/progress", 200, []string{"目标进展", "目标1：受援院能独立开展案件管理工作的人员", "0人（目标2人）",
			"目标3：案件管理信息化水平与援助方持平", "期限监控台使用（按工作日）", "目标趋势图", "2025Q2", "下载季度报告（Word）", "尚未保存目标参数"}},
		{"aid_progress", "a_sysadmin", base + "/progress", 200, []string{"目标参数", "对标单位（与受援院同级）", "乙县人民检察院", "保存目标参数"}},
	}
	return append(vs, trainingVisits(af.training)...)
}

func TestAidPagesAndForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		af := seedAid(t, e)
		base := "/aid/pairings/" + itoa(af.pairing)
		c := e.login(t, "a_case_manager")
		rows := func() int {
			var n int
			if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM aid_ledger`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post := func(fields map[string]string, file string, data []byte) response {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for k, v := range fields {
				_ = mw.WriteField(k, v)
			}
			if file != "" {
				w, _ := mw.CreateFormFile("attachment", file)
				_, _ = w.Write(data)
			}
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, c.base+base+"/ledger", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return c.do(req)
		}
		entry := func(amount string) map[string]string {
			return map[string]string{"kind": "expenditure", "entry_on": "2026-03-01", "amount": amount, "purpose": "差旅费"}
		}
		before := rows()
		for _, bad := range []struct {
			fields map[string]string
			file   string
			data   []byte
			status int
			want   string
		}{
			{entry("12.345"), "", nil, 422, "金额（元）：最多两位小数（精确到分）"},
			{entry("-5"), "", nil, 422, "金额（元）：应为大于零的金额"},
			{entry("abc"), "", nil, 422, "金额（元）：不是有效金额"},
			{entry("200000"), "", nil, 422, "金额：支出后结余将为负数：截至该日期可用结余为123,456.78元，本次支出200,000.00元"},
			{map[string]string{"kind": "expenditure", "entry_on": "2027-01-02", "amount": "1", "purpose": "x"}, "", nil, 422,
				"记账日期：应在结对期间内（2026-01-01至2026-12-31）"},
			{entry("10"), "invoice.pdf", []byte("MZ\x90\x00program"), 422, "附件：只接受PDF、JPEG、PNG、XLSX或DOCX文件"},
			{entry("10"), "big.pdf", append([]byte("%PDF-1.4"), make([]byte, aid.MaxAttachmentBytes)...), 422, "附件：文件大小10.0MB，超过10MB的上限"},
		} {
			r := post(bad.fields, bad.file, bad.data)
			if r.status != bad.status || !strings.Contains(r.body, bad.want) {
				t.Errorf("%v %s: status %d, want %d with %q\n%s", bad.fields, bad.file, r.status, bad.status, bad.want, excerpt(r.body))
			}
			noMissingKeys(t, "ledger form", r)
		}
		if n := rows(); n != before {
			t.Errorf("refused entries wrote rows: %d → %d", before, n)
		}
		r := post(entry("1,234.56"), "发票.png", []byte("\x89PNG\r\n\x1a\nxxxx"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("valid entry: status %d\n%s", r.status, excerpt(r.body))
		}
		page := c.get(base + "/ledger")
		for _, w := range []string{"1,234.56", "122,222.22", "发票.png"} {
			if !strings.Contains(page.body, w) {
				t.Errorf("ledger lacks %q", w)
			}
		}
		x := c.get(base + "/ledger/export.xlsx")
		if x.status != 200 || x.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("export: %d %s", x.status, x.header.Get("Content-Type"))
		}
		a := c.get(base + "/ledger/" + itoa(af.entry) + "/attachment")
		if a.status != 200 || a.body != "%PDF-1.4\n" || a.header.Get("Content-Type") != aid.TypePDF {
			t.Errorf("attachment: %d %q", a.status, a.header.Get("Content-Type"))
		}
		// A follow-up marked done.
		if r := c.post("/aid/followups/"+itoa(af.followUp), url.Values{"status": {"done"}}); r.status != http.StatusSeeOther {
			t.Errorf("follow-up: %d", r.status)
		}
		if p := c.get(base + "/activities"); !strings.Contains(p.body, "已落实") {
			t.Error("follow-up not shown as done")
		}
		// The pairing form refuses an end before the start.
		adm := e.login(t, "a_sysadmin")
		r = adm.post(base, url.Values{"name": {"乙甲结对"}, "aiding_unit_ids": {itoa(e.f.UnitB.ID)}, "aided_unit_ids": {itoa(e.f.UnitA.ID)},
			"start_on": {"2026-05-01"}, "end_on": {"2026-04-01"}, "share_aggregates": {"1"}})
		if r.status != 422 || !strings.Contains(r.body, "截止日期：不能早于起始日期") {
			t.Errorf("end before start: %d\n%s", r.status, excerpt(r.body))
		}
		// A unit outside the pairing sees nothing of it.
		out := e.login(t, "up_case_manager")
		for _, p := range []string{base, base + "/ledger", base + "/activities", base + "/ledger/export.xlsx"} {
			if r := out.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s as up_case_manager: %d", p, r.status)
			}
		}
		if r := out.get("/aid"); strings.Contains(r.body, "乙甲结对") {
			t.Error("the list shows a pairing to a unit outside it")
		}
	})
}

// TestAidTalentForms: a bad proposal is refused with the field named and
// nothing written; the person proposed sees no confirmation control; the
// aiding mentor confirms and goal (1) on the pairing page moves.
func TestAidTalentForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		af := seedAid(t, e)
		base := "/aid/pairings/" + itoa(af.pairing)
		count := func(table string) int {
			var n int
			if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		cm := e.login(t, "a_case_manager")
		before := count("aid_proposals") + count("aid_evidence")
		r := cm.post(base+"/proposals", url.Values{"user_id": {itoa(e.f.User(t, "a_prosecutor").ID)}, "area": {"cooking"}, "to_level": {"backbone"}})
		if r.status != 422 || !strings.Contains(r.body, "能力领域：不是有效的能力领域") || !strings.Contains(r.body, "理由：必填") {
			t.Errorf("bad proposal: %d\n%s", r.status, excerpt(r.body))
		}
		r = cm.post(base+"/evidence", url.Values{"user_id": {itoa(e.f.User(t, "a_prosecutor").ID)}, "area": {"intake"},
			"evidence_kind": {"quiz"}, "on_date": {"2026-02-30"}, "note": {"90分"}})
		if r.status != 422 || !strings.Contains(r.body, "日期：不是有效日期") {
			t.Errorf("bad evidence: %d\n%s", r.status, excerpt(r.body))
		}
		if n := count("aid_proposals") + count("aid_evidence"); n != before {
			t.Errorf("refused forms wrote rows: %d → %d", before, n)
		}
		self := e.login(t, "a_prosecutor2")
		if p := self.get(base + "/talent"); strings.Contains(p.body, `action="/aid/proposals/`) {
			t.Error("the person proposed is offered the confirmation")
		}
		if r := self.post("/aid/proposals/"+itoa(af.proposal), url.Values{"decision": {"confirm"}, "pairing_id": {itoa(af.pairing)}}); r.status != http.StatusForbidden {
			t.Errorf("self-confirmation: %d", r.status)
		}
		if p := cm.get(base); !strings.Contains(p.body, `<span class="goal-count">0 / 2</span>`) {
			t.Fatalf("goal before:\n%s", excerpt(p.body))
		}
		mentor := e.login(t, "b_case_manager")
		r = mentor.post("/aid/proposals/"+itoa(af.proposal), url.Values{"decision": {"confirm"}, "note": {"同意"}, "pairing_id": {itoa(af.pairing)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d\n%s", r.status, excerpt(r.body))
		}
		p := cm.get(base)
		if !strings.Contains(p.body, `<span class="goal-count">1 / 2</span>`) || !strings.Contains(p.body, "测检察官二") {
			t.Errorf("goal after confirmation:\n%s", excerpt(p.body))
		}
		if p := cm.get(base + "/talent"); !strings.Contains(p.body, "已确认") {
			t.Error("the proposal is not shown as confirmed")
		}
	})
}

// The question form names a case and rules; wrong ones come back with
// the field's message and nothing written, right ones show on the page.
func TestAidQuestionLinksForm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		af := seedAid(t, e)
		base := "/aid/pairings/" + itoa(af.pairing)
		c := e.login(t, "a_prosecutor")
		page := c.get(base + "/qa")
		for _, w := range []string{"关联案件", "关联规则", `list="rule-choices"`, "monitor:rights_notice_late"} {
			if !strings.Contains(page.body, w) {
				t.Errorf("question form lacks %q", w)
			}
		}
		count := func() int {
			var n int
			if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM aid_questions`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		ask := func(caseNo, rules string) response {
			return c.post(base+"/questions", url.Values{"title": {"期限问题"}, "body": {"怎么算？"}, "case_no": {caseNo}, "rules": {rules}})
		}
		for _, bad := range []struct{ caseNo, rules, want string }{
			{"无此受案号", "", "关联案件：本院没有这个部门受案号的案件"},
			{"", "monitor:nope", "关联规则：没有规则“monitor:nope”"},
		} {
			r := ask(bad.caseNo, bad.rules)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, bad.want) {
				t.Errorf("%+v: status %d, want 422 with %q\n%s", bad, r.status, bad.want, excerpt(r.body))
			}
			noMissingKeys(t, "question form", r)
		}
		if n := count(); n != before {
			t.Fatalf("refused questions wrote rows: %d → %d", before, n)
		}
		r := ask("", "monitor:rights_notice_late")
		if r.status != http.StatusSeeOther {
			t.Fatalf("valid question: status %d\n%s", r.status, excerpt(r.body))
		}
		q := e.login(t, "b_case_manager").get(r.header.Get("Location"))
		for _, w := range []string{"关联规则", "rights_notice_late", "依据："} {
			if !strings.Contains(q.body, w) {
				t.Errorf("question page lacks %q\n%s", w, excerpt(q.body))
			}
		}
	})
}
