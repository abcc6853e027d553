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
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// aidFixture is a pairing (乙县院 aids 甲县院 during 2026) with an activity,
// an open follow-up and a fund allocation with a PDF attachment.
type aidFixture struct {
	pairing, followUp, entry int64
}

func seedAid(t *testing.T, e *env) aidFixture {
	t.Helper()
	ctx := context.Background()
	svc := e.f.App.Aid
	var af aidFixture
	var err error
	af.pairing, err = svc.CreatePairing(ctx, aid.Request(e.f.Request(t, "up_sysadmin")), aid.PairingInput{Name: "乙甲结对",
		AidingIDs: []int64{e.f.UnitB.ID}, AidedIDs: []int64{e.f.UnitA.ID}, StartOn: "2026-01-01", EndOn: "2026-12-31",
		Agreement: "乙县院对口援助甲县院案件管理工作。", Shares: aid.DefaultShares(),
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
	return af
}

// matrixObject fills a /aid/ route's path parameters for the matrix.
func (af aidFixture) matrixObject(p string) (string, string) {
	if strings.HasPrefix(p, "/aid/followups/") {
		return itoa(af.followUp), p
	}
	return itoa(af.pairing), strings.Replace(p, "{entry}", itoa(af.entry), 1)
}

func aidVisits(t *testing.T, af aidFixture) []pageVisit {
	base := "/aid/pairings/" + itoa(af.pairing)
	return []pageVisit{
		{"aid_pairings", "a_case_manager", "/aid", 200, []string{"对口援助", "乙甲结对", "乙县人民检察院", "甲县人民检察院", "统计数据"}},
		{"aid_pairings", "up_sysadmin", "/aid", 200, []string{"新建结对", "乙甲结对"}},
		{"aid_pairing", "b_aid_partner", base, 200, []string{"乙甲结对", "援助方：乙县人民检察院；受援方：甲县人民检察院", "张联络", "0731-1234",
			"统计数据", "不共享", "对口援助甲县院"}},
		{"aid_pairing", "a_sysadmin", base, 200, []string{"修改结对协议"}},
		{"aid_pairing_form", "a_sysadmin", base + "/edit", 200, []string{"修改结对协议", `value="乙甲结对"`, "受援方单位", "匿名问题清单"}},
		{"aid_pairing_form", "up_sysadmin", "/aid/pairings/new", 200, []string{"新建结对", "援助方单位", "测试市人民检察院"}},
		{"aid_activities", "a_case_manager", base + "/activities", 200, []string{"2026-02-10 · 培训 · 甲县人民检察院", "提交培训心得", "未落实", "标记已落实", "登记活动"}},
		{"aid_activities", "up_upper_supervisor", base + "/activities", 200, []string{"提交培训心得"}},
		{"aid_ledger", "b_case_manager", base + "/ledger", 200, []string{"123,456.78", "首笔援助资金", "拨付通知.pdf", "导出Excel", "登记拨付或支出"}},
	}
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
