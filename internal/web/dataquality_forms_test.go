package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// upload posts a file as the import form does (multipart).
func (c *client) upload(path, name string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		c.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// dataCounts counts what an import writes: cards, pending uploads and
// problems.
func dataCounts(t *testing.T, db *store.DB) (cards, uploads, problems int) {
	t.Helper()
	for table, n := range map[string]*int{"case_cards": &cards, "card_uploads": &uploads, "dq_problems": &problems} {
		if err := db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(n); err != nil {
			t.Fatal(err)
		}
	}
	return cards, uploads, problems
}

// cardValues is the card form as the page fills it.
func cardValues(t *testing.T, e *env, username string, id int64) url.Values {
	t.Helper()
	v, err := e.f.App.Data.GetCard(context.Background(), dataquality.Request(e.f.Request(t, username)), id)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {itoa(int64(v.Version))}}
	for _, col := range casecard.Columns {
		form.Set(col.Key, v.Card.Value(col.Key))
	}
	return form
}

func problemOf(t *testing.T, e *env, id int64) dataquality.Problem {
	t.Helper()
	p, err := e.f.App.Data.GetProblem(context.Background(), dataquality.Request(e.f.Request(t, "a_case_manager")), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDataFormsBadInput: each refused form answers 422 (413 for a file
// over the limit) with its message at its control in Chinese, keeps what
// was typed, and writes nothing.
func TestDataFormsBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		df := seedData(t, e)
		cm := e.login(t, "a_case_manager")
		pros := e.login(t, "a_prosecutor")
		waive := "/data/problems/" + itoa(df.probProsec) + "/waive"
		before := problemOf(t, e, df.probProsec)
		cards0, uploads0, problems0 := dataCounts(t, db)

		// Waiver without a reason.
		r := cm.post(waive, url.Values{"version": {itoa(int64(before.Version))}, "reason": {"  \n"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("waive without reason: status %d\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "waive", r)
		fieldError(t, r.body, "reason", "豁免理由：必填")
		if !strings.Contains(r.body, "提交的内容有误，请按提示修改") {
			t.Error("waive: no page-level message")
		}
		long := strings.Repeat("理", dataquality.MaxReason+1)
		r = cm.post(waive, url.Values{"version": {itoa(int64(before.Version))}, "reason": {long}})
		fieldError(t, r.body, "reason", "豁免理由：不能超过500个字")
		if !strings.Contains(r.body, ">"+long+"</textarea>") {
			t.Error("waive: the reason typed was lost")
		}
		if after := problemOf(t, e, df.probProsec); after.Status != dataquality.StatusOpen || after.Version != before.Version {
			t.Errorf("a refused waiver changed the problem: %s v%d", after.Status, after.Version)
		}

		// Card correction with a date that does not exist: kept, named.
		card := "/data/cards/" + itoa(df.cardProsec)
		form := cardValues(t, e, "a_prosecutor", df.cardProsec)
		form.Set("decided_on", "2026-02-30")
		form.Set("returns", "两次")
		r = pros.post(card, form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("card with a bad date: status %d\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "card", r)
		fieldError(t, r.body, "decided_on", "决定日期：日期不存在，请检查月和日")
		fieldError(t, r.body, "returns", "退回补充侦查次数：应为 0 到 99 的整数")
		for _, kept := range []string{`value="2026-02-30"`, `value="两次"`, `name="received_on" value="2026-02-02"`} {
			if !strings.Contains(r.body, kept) {
				t.Errorf("card form lost %s", kept)
			}
		}
		if v := cardValues(t, e, "a_prosecutor", df.cardProsec); v.Get("decided_on") != "2026-01-30" || v.Get("version") != form.Get("version") {
			t.Errorf("a refused correction changed the card: %s v%s", v.Get("decided_on"), v.Get("version"))
		}
		// A formula typed into the form is refused as in a file.
		form = cardValues(t, e, "a_prosecutor", df.cardProsec)
		form.Set("name", `=HYPERLINK("http://x","y")`)
		r = pros.post(card, form)
		fieldError(t, r.body, "name", "案件名称：内容以“=”开头，可能被表格软件当作公式执行，不予导入；请删去开头的符号")

		// Uploads that are refused as a whole, at the file control.
		for _, up := range []struct {
			name   string
			file   string
			data   []byte
			status int
			msg    string
		}{
			{"not a spreadsheet", "photo.png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2}, 50)...),
				http.StatusUnprocessableEntity, "不是可以导入的表格文件，请上传 XLSX 或 CSV 格式的案卡表"},
			{"an xlsx that is not one", "cards.xlsx", []byte("部门受案号,案件类别\nX1,审查起诉\n"),
				http.StatusUnprocessableEntity, "不是可以导入的表格文件"},
			{"wrong headers", "cards.csv", []byte("部门受案号,案件类别,办案人\nX1,审查起诉,张某\n"),
				http.StatusUnprocessableEntity, "第 C 列的表头“办案人”不是案卡项目"},
			{"missing column", "cards.csv", []byte("部门受案号,案件名称\nX1,测某案\n"),
				http.StatusUnprocessableEntity, "表头缺少必须有的列：案件类别"},
			{"legacy xls", "cards.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...),
				http.StatusUnprocessableEntity, "旧版 Excel（.xls）"},
			{"empty", "cards.csv", []byte("\n\n"), http.StatusUnprocessableEntity, "文件是空的"},
		} {
			r := cm.upload("/data/import", up.file, up.data)
			if r.status != up.status {
				t.Errorf("%s: status %d, want %d\n%s", up.name, r.status, up.status, excerpt(r.body))
				continue
			}
			noMissingKeys(t, up.name, r)
			if !strings.Contains(r.body, "文件未能导入") || !strings.Contains(r.body, html.EscapeString(up.msg)) {
				t.Errorf("%s: message %q not shown\n%s", up.name, up.msg, excerpt(r.body))
			}
			if !strings.Contains(r.body, `id="file" name="file"`) || !strings.Contains(r.body, `class="invalid"`) {
				t.Errorf("%s: the file control is not marked", up.name)
			}
		}
		// A multipart body cut short.
		req, _ := http.NewRequest(http.MethodPost, cm.base+"/data/import",
			strings.NewReader("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n部门受案号"))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
		if r := cm.do(req); r.status != http.StatusBadRequest || !strings.Contains(r.body, "上传中断或请求格式有误") {
			t.Errorf("cut upload: status %d\n%s", r.status, excerpt(r.body))
		}
		// A post that is not an upload at all.
		r = cm.post("/data/import", url.Values{})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "案卡文件：必填") {
			t.Errorf("no file: status %d\n%s", r.status, excerpt(r.body))
		}

		// A file over 40 MB, sent whole (50 MB): refused by its size.
		big := make([]byte, 50<<20)
		copy(big, "部门受案号,案件类别\n")
		r = cm.upload("/data/import", "big.csv", big)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("50 MB: status %d, want 413\n%s", r.status, excerpt(r.body))
		}
		if !strings.Contains(r.body, "超过了 40 MB 的上限，请分成几个文件导入") || !strings.Contains(r.body, "文件大小为 50") {
			t.Errorf("50 MB: no size message\n%s", excerpt(r.body))
		}
		noMissingKeys(t, "50 MB", r)
		// Just over the limit, within the body limit: the exact size.
		r = cm.upload("/data/import", "big.csv", big[:40<<20+100<<10])
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "文件大小为 40.1 MB，超过了 40 MB 的上限") {
			t.Errorf("40.1 MB: status %d\n%s", r.status, excerpt(r.body))
		}

		// A cell that a spreadsheet program would run as a formula.
		csv := "部门受案号,案件类别,案件名称\r\n甲检起诉受[2026]990100009901号,审查起诉,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
		r = cm.upload("/data/import", "cards.csv", []byte(csv))
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("formula cell: status %d\n%s", r.status, excerpt(r.body))
		}
		for _, w := range []string{"第2行", "案件名称", html.EscapeString(`=HYPERLINK("http://x","y")`),
			"内容以“=”开头，可能被表格软件当作公式执行，不予导入", "文件存在错误，请修正后重新上传", "修正后重新上传"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("formula cell: preview lacks %q", w)
			}
		}
		if strings.Contains(r.body, `id="confirm-import"`) {
			t.Error("formula cell: a refused file can be confirmed")
		}

		// An upload from another site is refused before it is read (CSRF).
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "cards.xlsx")
		_, _ = fw.Write(cardFile(t, e.f, dqCards(4)))
		_ = mw.Close()
		req, _ = http.NewRequest(http.MethodPost, cm.base+"/data/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := cm.do(req); r.status != http.StatusForbidden {
			t.Errorf("cross-site upload: status %d, want 403", r.status)
		}

		if c, u, p := dataCounts(t, db); c != cards0 || u != uploads0 || p != problems0 {
			t.Errorf("refused forms wrote: cards %d → %d, uploads %d → %d, problems %d → %d",
				cards0, c, uploads0, u, problems0, p)
		}

		// A valid GB18030 file (as Excel saves CSV on a Chinese system):
		// a preview, with the format named; the cards are not written.
		vocab, err := e.f.App.Data.Vocabulary(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var utf8 bytes.Buffer
		if err := casecard.WriteCSV(&utf8, dqCards(2), vocab); err != nil {
			t.Fatal(err)
		}
		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf8.Bytes(), []byte("\uFEFF")))
		if err != nil {
			t.Fatal(err)
		}
		r = cm.upload("/data/import", "案卡.csv", gb)
		if r.status != http.StatusOK {
			t.Fatalf("GB18030: status %d\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "GB18030", r)
		for _, w := range []string{"导入预览", "CSV（GB18030）", "甲检起诉受[2026]990100007002号", "DQ-001", "决定日期早于受理日期", "DQ-012",
			`id="confirm-import"`, "确认后将新增 3 张、更新 0 张案卡，并登记 2 个问题推送给承办人"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("GB18030 preview lacks %q", w)
			}
		}
		if c, u, p := dataCounts(t, db); c != cards0 || u != uploads0+1 || p != problems0 {
			t.Errorf("a preview wrote: cards %d → %d, uploads %d → %d (the pending preview), problems %d → %d",
				cards0, c, uploads0, u, problems0, p)
		}
		// Confirming needs the form of the preview.
		confirm := between(r.body, `action="/data/import/`, `/confirm"`)
		r = cm.post("/data/import/"+confirm+"/confirm", url.Values{})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请在预览页面核对后点击“确认导入”") {
			t.Errorf("confirm without the preview's form: status %d\n%s", r.status, excerpt(r.body))
		}
		if c, _, _ := dataCounts(t, db); c != cards0 {
			t.Errorf("an unconfirmed import wrote cards: %d → %d", cards0, c)
		}
		// Another user cannot confirm the preview.
		other := e.login(t, "b_case_manager")
		sha := between(r.body+`name="sha256" value="x"`, `name="sha256" value="`, `"`)
		if r := other.post("/data/import/"+confirm+"/confirm", url.Values{"sha256": {sha}}); r.status != http.StatusNotFound {
			t.Errorf("乙县院 confirms 甲县院's preview: status %d", r.status)
		}
	})
}

// between is the text of s between the first from and the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
