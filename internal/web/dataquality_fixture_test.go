package web_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// dataFixture is the data-supervision state the page tests visit: the
// shipped rules installed, and one file of 甲县院's cards imported, with
// a card of a_prosecutor whose decision precedes its receipt (DQ-001) and
// a closed card of a_assistant without a decision (DQ-012).
type dataFixture struct {
	importID    int64
	cardProsec  int64 // 测prosecutor's prosecution review, hit by DQ-001
	cardAssist  int64 // 测assistant's prosecution review, hit by DQ-012
	cardClean   int64 // 测prosecutor's arrest review, without a problem
	probProsec  int64 // DQ-001 on cardProsec
	probAssist  int64 // DQ-012 on cardAssist
	stageProsec string
	stageAssist string
}

// Rules of the injected errors.
const (
	ruleDecidedBeforeReceipt = "DQ-001"
	ruleClosedNoDecision     = "DQ-012"
)

// dqCards are synthetic cards of 甲县院 (unit code 99010000) as the
// national system exports them. n numbers them, so two calls give cards
// of different cases. The first suspect's arrest review is clean; its
// prosecution review (handled by 测prosecutor) was decided before it was
// received; 测assistant's review was closed without a decision.
func dqCards(n int) []casecard.Card {
	uniform := fmt.Sprintf("A9901000020260%04d", n)
	id := apptest.IDNumber(300 + n)
	base := casecard.Card{UniformNo: uniform, Department: "刑事检察部", TransferringOrgan: "甲县公安局",
		Charges: "盗窃罪", SuspectName: fmt.Sprintf("测嫌%d", n), SuspectID: id, Custody: casecard.Yes,
		Minor: casecard.No, FastTrack: casecard.No}
	arrest := base
	arrest.StageNo = fmt.Sprintf("甲检批捕受[2026]99010000%04d号", 7000+n)
	arrest.Category, arrest.Name, arrest.Handler = "arrest_review", fmt.Sprintf("测嫌%d盗窃案", n), "测prosecutor"
	arrest.ReceivedOn, arrest.Measure, arrest.Plea = "2026-01-10", "拘留", casecard.No
	arrest.Decision, arrest.DecidedOn, arrest.DocNo = "批准逮捕", "2026-01-15", fmt.Sprintf("甲检刑批捕〔2026〕%d号", n)
	arrest.ClosedOn, arrest.EnteredOn = "2026-01-15", "2026-01-16"

	pros := base
	pros.StageNo = fmt.Sprintf("甲检起诉受[2026]99010000%04d号", 7000+n)
	pros.Category, pros.Name, pros.Handler = "prosecution_review", fmt.Sprintf("测嫌%d盗窃案", n), "测prosecutor"
	pros.ReceivedOn, pros.Measure, pros.Plea = "2026-02-02", "逮捕", casecard.No
	pros.Decision, pros.DecidedOn, pros.DocNo = "起诉", "2026-01-30", fmt.Sprintf("甲检刑诉〔2026〕%d号", n) // decided before receipt
	pros.ClosedOn, pros.EnteredOn = "2026-02-20", "2026-02-21"

	other := base
	other.UniformNo = fmt.Sprintf("A9901000020261%04d", n)
	other.SuspectName, other.SuspectID = fmt.Sprintf("测乙%d", n), apptest.IDNumber(400+n)
	other.StageNo = fmt.Sprintf("甲检起诉受[2026]99010000%04d号", 8000+n)
	other.Category, other.Name, other.Handler = "prosecution_review", fmt.Sprintf("测乙%d诈骗案", n), "测assistant"
	other.Charges, other.ReceivedOn, other.Measure, other.Plea = "诈骗罪", "2026-02-05", "逮捕", casecard.No
	other.ClosedOn, other.EnteredOn = "2026-03-02", "2026-03-03" // closed, no decision
	return []casecard.Card{arrest, pros, other}
}

// cardFile writes cards as the national system's workbook.
func cardFile(t testing.TB, e *apptest.Fixture, cards []casecard.Card) []byte {
	t.Helper()
	vocab, err := e.App.Data.Vocabulary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := casecard.WriteXLSX(&buf, cards, vocab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seedData installs the rules and imports dqCards(1) as 甲县院's case
// manager, through preview and confirmation as the pages do.
func seedData(t *testing.T, e *env) *dataFixture {
	t.Helper()
	ctx := context.Background()
	d := e.f.App.Data
	if _, err := d.InstallRules(ctx); err != nil {
		t.Fatal(err)
	}
	cm := dataquality.Request(e.f.Request(t, "a_case_manager"))
	cards := dqCards(1)
	pv, err := d.PreviewImport(ctx, cm, e.f.UnitA.ID, "甲县院案卡.xlsx", cardFile(t, e.f, cards))
	if err != nil || !pv.Confirmable {
		t.Fatalf("preview: %v %+v", err, pv.Errors)
	}
	res, err := d.ConfirmImport(ctx, cm, pv.UploadID)
	if err != nil {
		t.Fatal(err)
	}
	df := &dataFixture{importID: res.ImportID, stageProsec: cards[1].StageNo, stageAssist: cards[2].StageNo}
	ps, _, err := d.Problems(ctx, cm, dataquality.ProblemFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch {
		case p.StageNo == cards[1].StageNo && p.RuleID == ruleDecidedBeforeReceipt:
			df.probProsec, df.cardProsec = p.ID, p.CardID
		case p.StageNo == cards[2].StageNo && p.RuleID == ruleClosedNoDecision:
			df.probAssist, df.cardAssist = p.ID, p.CardID
		}
	}
	if df.probProsec == 0 || df.probAssist == 0 {
		var got []string
		for _, p := range ps {
			got = append(got, p.StageNo+" "+p.RuleID)
		}
		t.Fatalf("the import did not find the injected errors; problems: %s", strings.Join(got, "; "))
	}
	list, _, err := d.ListCards(ctx, cm, dataquality.CardFilter{Query: cards[0].StageNo})
	if err != nil || len(list) != 1 {
		t.Fatalf("the clean card: %v %d", err, len(list))
	}
	df.cardClean = list[0].ID
	return df
}

// problemFor is a problem the user can open: handlers see their own.
func (df *dataFixture) problemFor(username string) int64 {
	if username == "a_assistant" {
		return df.probAssist
	}
	return df.probProsec
}

// cardFor is a card the user can open and, if they may, correct.
func (df *dataFixture) cardFor(username string) int64 {
	if username == "a_assistant" {
		return df.cardAssist
	}
	return df.cardProsec
}

// matrixObject is the object a data route is called on in the route ×
// role matrix, and the path with any query the route needs.
func (df *dataFixture) matrixObject(path, username string) (string, string) {
	switch {
	case strings.HasPrefix(path, "/data/problems/{id}"):
		return itoa(df.problemFor(username)), path
	case strings.HasPrefix(path, "/data/cards/{id}"):
		return itoa(df.cardFor(username)), path
	case strings.HasPrefix(path, "/data/import/{id}"):
		return "1", path
	case strings.HasPrefix(path, "/data/rules/{id}"):
		return ruleDecidedBeforeReceipt, path
	}
	return "", path
}
