package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// dqProblem is a problem as the API answers it (the fields the tests read).
type dqProblem struct {
	ID            int64   `json:"id"`
	CardID        int64   `json:"card_id"`
	StageNo       string  `json:"stage_no"`
	RuleID        string  `json:"rule_id"`
	Title         string  `json:"title"`
	Status        string  `json:"status"`
	HandlerID     *int64  `json:"handler_id"`
	WaiveReason   string  `json:"waive_reason"`
	NotifiedMonth *string `json:"notified_month"`
	FixedOn       *string `json:"fixed_on"`
	Version       int     `json:"version"`
	CanWaive      bool    `json:"can_waive"`
}

func ruleIDs(ps []dqProblem) []string {
	var out []string
	for _, p := range ps {
		if !slices.Contains(out, p.RuleID) {
			out = append(out, p.RuleID)
		}
	}
	slices.Sort(out)
	return out
}

// TestDataQualityFlow walks business-data supervision as a script would: a
// case manager uploads a CSV of synthetic cards with injected errors (a
// decision dated before the receipt, a closed card without a decision, a
// card entered late), previews and confirms it, lists the open problems,
// corrects a card so its problem is fixed, waives another with a reason,
// publishes the month's notification, corrects one more and reads the
// look-back; the handler sees the problems pushed to them, the reports
// count them, and the system administrator edits a rule.
func TestDataQualityFlow(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		e.installRules(t)
		ok := func(r response, want int) {
			t.Helper()
			if r.status != want {
				t.Fatalf("%s, want %d", r, want)
			}
		}
		clean := cleanCard("1")
		early := cleanCard("2") // decided before it was received: DQ-001
		early.ReceivedOn, early.DecidedOn = "2026-02-10", "2026-02-05"
		undecided := cleanCard("3") // closed without a decision: DQ-012
		undecided.Decision, undecided.DocNo, undecided.DecidedOn = "", "", ""
		undecided.Sentencing, undecided.SentencingAdopted = "", ""
		late := cleanCard("4") // entered twelve days after closing: DQ-027
		late.EnteredOn = "2026-03-10"
		file := e.cardsCSV(t, clean, early, undecided, late)

		// Preview: nothing is written but the upload kept for confirmation.
		r := e.upload(t, "a_case_manager", csvType+"; charset=utf-8", "案卡2026年2月.csv", bytes.NewReader(file))
		ok(r, http.StatusOK)
		var pv struct {
			UploadID    *int64 `json:"upload_id"`
			FileName    string `json:"file_name"`
			Format      string `json:"format"`
			SHA256      string `json:"sha256"`
			Rows        int    `json:"rows"`
			New         int    `json:"new"`
			Errors      []any  `json:"errors"`
			Confirmable bool   `json:"confirmable"`
			HitCount    int    `json:"hit_count"`
			Hits        []struct {
				Row    int    `json:"row"`
				RuleID string `json:"rule_id"`
			} `json:"hits"`
		}
		r.decode(t, &pv)
		if !pv.Confirmable || pv.UploadID == nil || pv.Rows != 4 || pv.New != 4 || len(pv.Errors) != 0 ||
			pv.Format != "csv-utf8" || len(pv.SHA256) != 64 || pv.FileName != "案卡2026年2月.csv" {
			t.Fatalf("preview: %s", r.body)
		}
		hitRows := map[string]int{}
		for _, h := range pv.Hits {
			hitRows[h.RuleID] = h.Row
		}
		if hitRows["DQ-001"] != 3 || hitRows["DQ-012"] != 4 || hitRows["DQ-027"] != 5 || pv.HitCount != len(pv.Hits) {
			t.Errorf("preview hits by row: %v (%d)", hitRows, pv.HitCount)
		}
		var cards int
		if err := e.raw.QueryRow(`SELECT count(*) FROM case_cards`).Scan(&cards); err != nil || cards != 0 {
			t.Fatalf("a preview wrote %d cards (%v)", cards, err)
		}

		// Only the uploader confirms, once.
		confirm := dataPath("imports", *pv.UploadID, "/confirm")
		ok(e.do(t, "b_case_manager", "POST", confirm, nil), http.StatusNotFound)
		r = e.do(t, "a_case_manager", "POST", confirm, nil)
		ok(r, http.StatusOK)
		var res struct {
			ImportID int64 `json:"import_id"`
			New      int   `json:"new"`
			Hits     int   `json:"hits"`
			Opened   int   `json:"opened"`
		}
		r.decode(t, &res)
		if res.ImportID == 0 || res.New != 4 || res.Opened != res.Hits || res.Opened < 3 {
			t.Fatalf("import result: %s", r.body)
		}
		ok(e.do(t, "a_case_manager", "POST", confirm, nil), http.StatusNotFound)
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/imports", nil)
		ok(r, http.StatusOK)
		if !strings.Contains(string(r.body), `"file_name":"案卡2026年2月.csv"`) {
			t.Errorf("imports: %s", r.body)
		}

		// The open problems: the injected errors, and none on the clean card.
		var page struct {
			Items []dqProblem `json:"items"`
			Next  *string     `json:"next"`
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/problems?status=open&limit=200", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		open := page.Items
		byRule := map[string]dqProblem{}
		for _, p := range open {
			byRule[p.RuleID] = p
			if p.StageNo == clean.StageNo {
				t.Errorf("the clean card has problem %s %s", p.RuleID, p.Title)
			}
		}
		for _, id := range []string{"DQ-001", "DQ-012", "DQ-027"} {
			if _, found := byRule[id]; !found {
				t.Fatalf("open problems %v lack %s", ruleIDs(open), id)
			}
		}
		wrong, missing, lateEntry := byRule["DQ-001"], byRule["DQ-012"], byRule["DQ-027"]
		if wrong.StageNo != early.StageNo || missing.StageNo != undecided.StageNo || wrong.HandlerID == nil ||
			*wrong.HandlerID != e.f.User(t, "a_prosecutor").ID {
			t.Errorf("DQ-001 %+v, DQ-012 %+v", wrong, missing)
		}
		// Filters and paging.
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/problems?rule=DQ-001&kind=wrong&severity=major", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != wrong.ID {
			t.Errorf("filtered by rule: %s", r.body)
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/problems?limit=1", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != 1 || page.Next == nil {
			t.Fatalf("first page: %s", r.body)
		}
		first := page.Items[0].ID
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/problems?limit=1&next="+*page.Next, nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID >= first {
			t.Errorf("second page after %d: %s", first, r.body)
		}
		// The handler sees the problems pushed to them; a colleague none.
		r = e.do(t, "a_prosecutor", "GET", "/api/v1/data/problems?status=open&limit=200", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != len(open) {
			t.Errorf("the handler sees %d problems, the office %d", len(page.Items), len(open))
		}
		r = e.do(t, "a_prosecutor2", "GET", "/api/v1/data/problems", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != 0 {
			t.Errorf("another prosecutor sees %s", r.body)
		}

		// The card with the wrong date, corrected through the API by its
		// handler: the problem closes as fixed at once.
		var card struct {
			ID       int64             `json:"id"`
			Version  int               `json:"version"`
			Editable bool              `json:"editable"`
			Values   map[string]string `json:"values"`
			Problems []dqProblem       `json:"problems"`
			History  []any             `json:"history"`
		}
		r = e.do(t, "a_prosecutor", "GET", dataPath("cards", wrong.CardID, ""), nil)
		ok(r, http.StatusOK)
		r.decode(t, &card)
		if !card.Editable || card.Values["decided_on"] != "2026-02-05" || card.Values["category"] != "prosecution_review" ||
			!slices.ContainsFunc(card.Problems, func(p dqProblem) bool { return p.RuleID == "DQ-001" }) {
			t.Fatalf("card: %s", r.body)
		}
		r = e.do(t, "a_prosecutor", "PATCH", dataPath("cards", wrong.CardID, ""), map[string]any{
			"version": card.Version, "values": map[string]any{"decided_on": "2026-02-25"}})
		ok(r, http.StatusOK)
		var saved struct {
			Opened int `json:"opened"`
			Fixed  int `json:"fixed"`
			Card   struct {
				Version int               `json:"version"`
				Values  map[string]string `json:"values"`
				History []struct {
					Changes []struct {
						Key string `json:"key"`
						Old string `json:"old"`
						New string `json:"new"`
					} `json:"changes"`
				} `json:"history"`
			} `json:"card"`
		}
		r.decode(t, &saved)
		if saved.Fixed < 1 || saved.Card.Values["decided_on"] != "2026-02-25" || saved.Card.Version != card.Version+1 ||
			len(saved.Card.History) == 0 || saved.Card.History[0].Changes[0].Key != "decided_on" {
			t.Fatalf("correction: %s", r.body)
		}
		var got dqProblem
		r = e.do(t, "a_case_manager", "GET", dataPath("problems", wrong.ID, ""), nil)
		ok(r, http.StatusOK)
		r.decode(t, &got)
		if got.Status != "fixed" || got.FixedOn == nil || *got.FixedOn != "2026-03-16" || got.CanWaive {
			t.Errorf("corrected problem: %s", r.body)
		}

		// The late entry, waived by the office with a reason.
		r = e.do(t, "a_case_manager", "GET", dataPath("problems", lateEntry.ID, ""), nil)
		ok(r, http.StatusOK)
		r.decode(t, &got)
		if !got.CanWaive {
			t.Errorf("the office cannot waive: %s", r.body)
		}
		r = e.do(t, "a_case_manager", "POST", dataPath("problems", lateEntry.ID, "/waive"), map[string]any{
			"version": got.Version, "reason": "全国系统当月停机维护，填录顺延"})
		ok(r, http.StatusOK)
		r.decode(t, &got)
		if got.Status != "waived" || got.WaiveReason != "全国系统当月停机维护，填录顺延" || got.Version != lateEntry.Version+1 {
			t.Errorf("waived: %s", r.body)
		}

		// The month's notification: the list, then published.
		var note struct {
			Month string      `json:"month"`
			AsOf  string      `json:"as_of"`
			Items []dqProblem `json:"items"`
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/reports/notification?month=2026-03", nil)
		ok(r, http.StatusOK)
		r.decode(t, &note)
		listed := ruleIDs(note.Items)
		if note.AsOf != "2026-03-16" || !slices.Contains(listed, "DQ-012") || slices.Contains(listed, "DQ-001") ||
			slices.Contains(listed, "DQ-027") {
			t.Errorf("notification list %v as of %s", listed, note.AsOf)
		}
		r = e.do(t, "a_case_manager", "POST", "/api/v1/data/reports/notification", map[string]any{"month": "2026-03"})
		ok(r, http.StatusOK)
		var pub struct {
			Notified int `json:"notified"`
		}
		r.decode(t, &pub)
		if pub.Notified != len(note.Items) {
			t.Errorf("published %d, listed %d", pub.Notified, len(note.Items))
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/problems?month=2026-03&limit=200", nil)
		ok(r, http.StatusOK)
		r.decode(t, &page)
		if len(page.Items) != pub.Notified {
			t.Errorf("problems notified in 2026-03: %d, want %d", len(page.Items), pub.Notified)
		}

		// The missing decision filled in after the notification: the
		// look-back shows it fixed and the rest still open.
		r = e.do(t, "a_case_manager", "GET", dataPath("cards", missing.CardID, ""), nil)
		ok(r, http.StatusOK)
		r.decode(t, &card)
		r = e.do(t, "a_case_manager", "PATCH", dataPath("cards", missing.CardID, ""), map[string]any{
			"version": card.Version, "values": map[string]any{"decision": "起诉", "decided_on": "2026-02-25",
				"doc_no": "甲检刑诉〔2026〕3号", "sentencing": "确定刑", "sentencing_adopted": "采纳"}})
		ok(r, http.StatusOK)
		r.decode(t, &saved)
		if saved.Fixed < 1 {
			t.Errorf("filling the decision fixed nothing: %s", r.body)
		}
		var lb struct {
			Month     string      `json:"month"`
			Open      int         `json:"open"`
			Fixed     int         `json:"fixed"`
			Waived    int         `json:"waived"`
			FixedRate float64     `json:"fixed_rate"`
			Items     []dqProblem `json:"items"`
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/reports/lookback?month=2026-03", nil)
		ok(r, http.StatusOK)
		r.decode(t, &lb)
		if lb.Fixed < 1 || lb.Open+lb.Fixed+lb.Waived != pub.Notified || len(lb.Items) != pub.Notified || lb.FixedRate <= 0 {
			t.Errorf("look-back: %s", r.body)
		}
		for _, p := range lb.Items {
			if p.RuleID == "DQ-012" && p.Status != "fixed" {
				t.Errorf("DQ-012 in the look-back: %+v", p)
			}
		}

		// Reports.
		var acc struct {
			Items []struct {
				Key          string  `json:"key"`
				Cards        int     `json:"cards"`
				WithProblems int     `json:"with_problems"`
				Rate         float64 `json:"rate"`
			} `json:"items"`
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/reports/accuracy?by=unit", nil)
		ok(r, http.StatusOK)
		r.decode(t, &acc)
		if len(acc.Items) != 1 || acc.Items[0].Cards != 4 || acc.Items[0].Rate <= 0 || acc.Items[0].Rate > 100 {
			t.Errorf("accuracy: %s", r.body)
		}
		for _, by := range []string{"department", "handler"} {
			ok(e.do(t, "a_chief", "GET", "/api/v1/data/reports/accuracy?by="+by, nil), http.StatusOK)
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/reports/problems?by=rule", nil)
		ok(r, http.StatusOK)
		if !strings.Contains(string(r.body), `"key":"DQ-001","title":"决定日期早于受理日期"`) {
			t.Errorf("counts by rule: %s", r.body)
		}
		r = e.do(t, "a_dept_head", "GET", "/api/v1/data/reports/problems?by=kind", nil)
		ok(r, http.StatusOK)
		if !strings.Contains(string(r.body), `"key":"missing","title":"漏填"`) {
			t.Errorf("counts by kind: %s", r.body)
		}
		var trend struct {
			Weeks int `json:"weeks"`
			Items []struct {
				WeekEnding string `json:"week_ending"`
				Cards      int    `json:"cards"`
			} `json:"items"`
		}
		r = e.do(t, "up_upper_supervisor", "GET", "/api/v1/data/reports/trend?weeks=4", nil)
		ok(r, http.StatusOK)
		r.decode(t, &trend)
		if trend.Weeks != 4 || len(trend.Items) != 4 || trend.Items[3].WeekEnding != "2026-03-22" || trend.Items[3].Cards != 4 {
			t.Errorf("trend: %s", r.body)
		}

		// Scan now, and the scan log.
		r = e.do(t, "a_case_manager", "POST", "/api/v1/data/scans", nil)
		ok(r, http.StatusOK)
		var scan struct {
			ID     int64  `json:"id"`
			Kind   string `json:"kind"`
			Cards  int    `json:"cards"`
			Rules  int    `json:"rules"`
			Opened int    `json:"opened"`
		}
		r.decode(t, &scan)
		if scan.Kind != "unit" || scan.Cards != 4 || scan.Rules < 50 || scan.Opened != 0 {
			t.Errorf("scan: %s", r.body)
		}
		r = e.do(t, "a_chief", "GET", "/api/v1/data/scans", nil)
		ok(r, http.StatusOK)
		if !strings.Contains(string(r.body), `"id":`+itoa(scan.ID)+`,"kind":"unit"`) {
			t.Errorf("scan log: %s", r.body)
		}

		// Cards list.
		var cl struct {
			Items []struct {
				ID     int64             `json:"id"`
				Source string            `json:"source"`
				Values map[string]string `json:"values"`
			} `json:"items"`
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/cards?source=import&problems=true&category=prosecution_review", nil)
		ok(r, http.StatusOK)
		r.decode(t, &cl)
		for _, c := range cl.Items {
			if c.Source != "import" || c.Values["stage_no"] == clean.StageNo {
				t.Errorf("cards with open problems: %s", r.body)
			}
		}
		r = e.do(t, "a_case_manager", "GET", "/api/v1/data/cards?q="+"张某1", nil)
		ok(r, http.StatusOK)
		r.decode(t, &cl)
		if len(cl.Items) != 1 || cl.Items[0].Values["stage_no"] != clean.StageNo {
			t.Errorf("cards matching 张某1: %s", r.body)
		}

		// The rule library: read by anyone, edited by the administrator.
		var rules struct {
			Items []struct {
				ID      string `json:"id"`
				Version int    `json:"version"`
			} `json:"items"`
		}
		r = e.do(t, "a_prosecutor", "GET", "/api/v1/data/rules", nil)
		ok(r, http.StatusOK)
		r.decode(t, &rules)
		if len(rules.Items) < 50 || rules.Items[0].ID != "DQ-001" {
			t.Fatalf("rules: %d", len(rules.Items))
		}
		var rule struct {
			ID       string   `json:"id"`
			Version  int      `json:"version"`
			Title    string   `json:"title"`
			Kind     string   `json:"kind"`
			Severity string   `json:"severity"`
			Item     string   `json:"item"`
			When     string   `json:"when"`
			FixDays  int      `json:"fix_days"`
			Sources  []string `json:"sources"`
			History  []struct {
				Version int `json:"version"`
			} `json:"history"`
		}
		r = e.do(t, "a_sysadmin", "GET", "/api/v1/data/rules/DQ-027", nil)
		ok(r, http.StatusOK)
		r.decode(t, &rule)
		if rule.Version != 1 || len(rule.History) != 1 {
			t.Fatalf("DQ-027: %s", r.body)
		}
		body := map[string]any{"version": rule.Version, "title": rule.Title, "kind": rule.Kind, "severity": rule.Severity,
			"sources": rule.Sources, "item": rule.Item, "when": "days(card.ClosedOn, card.EnteredOn) > 5",
			"reference": "案件信息填录规范：办结后五日内完成填录", "hint": "请核对填录日期", "fix_days": 3}
		r = e.do(t, "a_sysadmin", "PUT", "/api/v1/data/rules/DQ-027", body)
		ok(r, http.StatusOK)
		r.decode(t, &rule)
		if rule.Version != 2 || rule.When != "days(card.ClosedOn, card.EnteredOn) > 5" || len(rule.History) != 2 ||
			rule.History[0].Version != 2 {
			t.Errorf("edited DQ-027: %s", r.body)
		}
		ok(e.do(t, "a_sysadmin", "PUT", "/api/v1/data/rules/DQ-027", body), http.StatusConflict) // version 1 is stale
		r = e.do(t, "a_sysadmin", "POST", "/api/v1/data/rules", map[string]any{"id": "SH-12", "title": "案件名称过短",
			"kind": "wrong", "severity": "minor", "item": "name", "when": "len(card.Name) > 0 && len(card.Name) < 4",
			"reference": "本市填录细则第三条", "hint": "案件名称应写明嫌疑人和罪名", "fix_days": 5})
		ok(r, http.StatusCreated)
		if loc := r.header.Get("Location"); loc != "/api/v1/data/rules/SH-12" {
			t.Errorf("Location %q", loc)
		}
		ok(e.do(t, "a_prosecutor", "GET", "/api/v1/data/rules/SH-12", nil), http.StatusOK)
	})
}
