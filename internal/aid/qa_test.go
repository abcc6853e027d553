package aid_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

func (e *env) qaRows(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM aid_questions) + (SELECT COUNT(*) FROM aid_answers)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestQuestionsAndKnowledgeBase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t) // aggregates only: no Q&A
		asker, expert := e.req(t, "a_prosecutor"), e.req(t, "b_prosecutor")
		q := aid.QuestionInput{Title: "逮捕后羁押期限如何计算", Body: "犯罪嫌疑人逮捕后，侦查羁押期限从何时起算？", Tags: "期限，羁押 期限"}
		if _, err := e.svc.Ask(ctx, asker, id, q); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("ask without the Q&A share: %v", err)
		}
		if _, qs, err := e.svc.Questions(ctx, asker, id, ""); err != nil || len(qs) != 0 {
			t.Fatalf("questions without the share: %d %v", len(qs), err)
		}
		in := e.input()
		in.Shares.QA = true
		if err := e.svc.UpdatePairing(ctx, e.req(t, "up_sysadmin"), id, in); err != nil {
			t.Fatal(err)
		}
		before := e.qaRows(t)
		_, err := e.svc.Ask(ctx, asker, id, aid.QuestionInput{Title: " ", Body: "", Tags: "一,二,三,四,五,六"})
		assertField(t, err, "title", "err.required")
		assertField(t, err, "body", "err.required")
		assertField(t, err, "tags", "err.aid_too_many")
		if _, err := e.svc.Ask(ctx, expert, id, q); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the aiding side asks: %v", err)
		}
		if _, err := e.svc.Ask(ctx, e.as(e.unitC, "case_manager"), id, q); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("an outsider asks: %v", err)
		}
		if n := e.qaRows(t); n != before {
			t.Fatalf("refused questions wrote rows: %d → %d", before, n)
		}
		qid, err := e.svc.Ask(ctx, asker, id, q)
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.svc.Ask(ctx, asker, id, aid.QuestionInput{Title: "案卡填录", Body: "速裁案件的案卡如何填？"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.AddPost(ctx, expert, qid, "  ")
		assertField(t, err, "body", "err.required")
		got, err := e.svc.AddPost(ctx, expert, qid, "依刑事诉讼法第一百五十六条，自逮捕之日起计算，不得超过二个月。")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != aid.QuestionAnswered || got.FirstAnswerAt.IsZero() || got.ResponseMS < 0 || len(got.Posts) != 1 ||
			got.Posts[0].Kind != aid.PostAnswer || len(got.Tags) != 2 {
			t.Fatalf("after the answer: %+v", got)
		}
		got, err = e.svc.AddPost(ctx, asker, qid, "延长羁押期限需要报哪一级检察院批准？")
		if err != nil || got.Status != aid.QuestionOpen || got.Posts[1].Kind != aid.PostFollowUp {
			t.Fatalf("follow-up: %+v %v", got, err)
		}
		// The knowledge base: answered questions only, found by their
		// answers' text too; LIKE's wildcards are literal.
		for _, c := range []struct {
			q    string
			want int
		}{{"一百五十六条", 1}, {"羁押", 1}, {"案卡", 0}, {"%", 0}, {"期限", 1}} {
			_, qs, err := e.svc.Questions(ctx, expert, id, c.q)
			if err != nil || len(qs) != c.want {
				t.Errorf("search %q: %d results, %v; want %d", c.q, len(qs), err, c.want)
			}
		}
		if _, qs, _ := e.svc.Questions(ctx, asker, id, ""); len(qs) != 2 || qs[0].ID != other {
			t.Errorf("all questions: %d", len(qs))
		}
		if _, _, err := e.svc.Question(ctx, e.as(e.unitC, "case_manager"), qid); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("an outsider opens a question: %v", err)
		}
	})
}

// A question may concern a case of the asker's unit: the asker's own (or
// any, for the office and the chief), never a sealed one, never another
// unit's; the other side sees it anonymised.
func TestQuestionCaseLink(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		in := e.input()
		in.Shares.QA = true
		id, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), in)
		if err != nil {
			t.Fatal(err)
		}
		register := func(cm string, i int, handler string) (int64, string) {
			t.Helper()
			cid, err := e.f.App.Cases.Register(ctx, e.f.Request(t, cm), apptest.Intake(800+i))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.f.App.Assigner.Designate(ctx, e.f.Request(t, cm), cid, e.f.User(t, handler).ID, "测检察长", "测试指定"); err != nil {
				t.Fatal(err)
			}
			c, err := e.f.App.Cases.Get(ctx, e.f.Request(t, cm), cid)
			if err != nil || c.Case.StageNo == "" {
				t.Fatalf("case %d: %q %v", cid, c.Case.StageNo, err)
			}
			return cid, c.Case.StageNo
		}
		mine, mineNo := register("a_case_manager", 1, "a_prosecutor")
		_, othersNo := register("a_case_manager", 2, "a_prosecutor2")
		sealed, sealedNo := register("a_case_manager", 3, "a_prosecutor")
		_, foreignNo := register("b_case_manager", 4, "b_prosecutor")
		if _, err := raw.Exec(`UPDATE cases SET sealed = TRUE WHERE id = $1`, sealed); err != nil {
			t.Fatal(err)
		}
		asker := e.req(t, "a_prosecutor")
		q := func(no string) aid.QuestionInput {
			return aid.QuestionInput{Title: "这件案子的期限", Body: "退回补充侦查后期限如何重新计算？", CaseNo: no}
		}
		before := e.qaRows(t)
		for _, c := range []struct{ no, key string }{
			{othersNo, "err.aid_case_not_handled"}, {sealedNo, "err.aid_case_sealed"},
			{foreignNo, "err.aid_case_unknown"}, {"不存在的受案号", "err.aid_case_unknown"},
			{strings.Repeat("号", 61), "err.too_long"},
		} {
			_, err := e.svc.Ask(ctx, asker, id, q(c.no))
			assertField(t, err, "case_no", c.key)
		}
		if n := e.qaRows(t); n != before {
			t.Fatalf("refused questions wrote rows: %d → %d", before, n)
		}
		qid, err := e.svc.Ask(ctx, asker, id, q(" "+mineNo+" "))
		if err != nil {
			t.Fatal(err)
		}
		// The office may link any case of its unit.
		if _, err := e.svc.Ask(ctx, e.req(t, "a_case_manager"), id, q(othersNo)); err != nil {
			t.Errorf("the office links a case: %v", err)
		}
		_, got, err := e.svc.Question(ctx, e.req(t, "b_prosecutor"), qid)
		if err != nil {
			t.Fatal(err)
		}
		c := got.Case
		if c == nil || c.ID != mine || c.UnitID != e.f.UnitA.ID || c.CategoryName == "" || len(c.ReceivedMonth) != 7 || c.Status == "" {
			t.Fatalf("case ref %+v", c)
		}
		// The JSON the API gives: category, month, status; no id, number or name.
		b, _ := json.Marshal(got)
		for _, leak := range []string{mineNo, `"id":` + itoa(mine) + `,"unit`, "handler", "stage_no"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("question JSON leaks %q: %s", leak, b)
			}
		}
	})
}

// A question may name rules of the system's libraries; each resolves to
// what the rule says and its legal basis, and an unknown one is refused.
func TestQuestionRuleLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		in := e.input()
		in.Shares.QA = true
		id, err := e.svc.CreatePairing(ctx, e.req(t, "up_sysadmin"), in)
		if err != nil {
			t.Fatal(err)
		}
		choices, err := e.svc.RuleChoices()
		if err != nil {
			t.Fatal(err)
		}
		bySource := map[string]aid.RuleRef{}
		for _, c := range choices {
			if _, ok := bySource[c.Source]; !ok {
				bySource[c.Source] = c
			}
		}
		if len(bySource) != len(aid.QuizSources()) {
			t.Fatalf("rule choices cover %d sources: %v", len(bySource), bySource)
		}
		asker := e.req(t, "a_prosecutor")
		q := func(rules string) aid.QuestionInput {
			return aid.QuestionInput{Title: "规则怎么理解", Body: "这条规则的适用条件是什么？", Rules: rules}
		}
		before := e.qaRows(t)
		_, err = e.svc.Ask(ctx, asker, id, q("monitor:no_such_rule"))
		assertField(t, err, "rules", "err.aid_rule_unknown")
		_, err = e.svc.Ask(ctx, asker, id, q("a:1 b:2 c:3 d:4 e:5 f:6"))
		assertField(t, err, "rules", "err.aid_too_many")
		if n := e.qaRows(t); n != before {
			t.Fatalf("refused questions wrote rows: %d → %d", before, n)
		}
		dl, mon := bySource[aid.QuizDeadline], bySource[aid.QuizMonitor]
		qid, err := e.svc.Ask(ctx, asker, id, q(dl.Ref+"，"+mon.Ref+" "+dl.Ref))
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := e.svc.Question(ctx, e.req(t, "b_prosecutor"), qid)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rules) != 2 || got.Rules[0] != dl || got.Rules[1] != mon {
			t.Fatalf("rules %+v, want %+v and %+v", got.Rules, dl, mon)
		}
		for _, r := range got.Rules {
			if r.Stem == "" || r.Answer == "" || r.Basis == "" {
				t.Errorf("rule %s lacks its content or basis: %+v", r.Ref, r)
			}
		}
		_, qs, err := e.svc.Questions(ctx, asker, id, "")
		if err != nil || len(qs) != 1 || len(qs[0].Rules) != 2 {
			t.Errorf("list: %v %+v", err, qs)
		}
	})
}
