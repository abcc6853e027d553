package api_test

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"testing"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// Set-up of business-data supervision through the domain service, as the
// other helpers do: the API is what is under test.

// Media types of an upload.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv"
)

// installRules stores the shipped rule library, as `anguan serve` does at
// start (once; a second call stores nothing).
func (e *env) installRules(t *testing.T) {
	t.Helper()
	if _, err := e.f.App.Data.InstallRules(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e *env) dqReq(t *testing.T, username string) dataquality.Request {
	return dataquality.Request(e.f.Request(t, username))
}

// cleanCard is a closed prosecution-review card of 甲县院 that no shipped
// rule hits, handled by a_prosecutor (the fixture's "测prosecutor"); tests
// change one item to inject an error. n makes its numbers unique.
func cleanCard(n string) casecard.Card {
	return casecard.Card{StageNo: "甲检刑诉受〔2026〕" + n + "号", UniformNo: "A99010020260000" + n,
		Category: "prosecution_review", Name: "张某" + n + "盗窃案", Department: "刑事检察部", Handler: "测prosecutor",
		TransferringOrgan: "某县公安局", Charges: "盗窃罪", ReceivedOn: "2026-02-02", SuspectName: "张某" + n,
		Custody: casecard.No, Measure: "取保候审", Plea: casecard.Yes, PleaSignedOn: "2026-02-20", Sentencing: "确定刑",
		SentencingAdopted: "采纳", FastTrack: casecard.No, Minor: casecard.No, Decision: "起诉", DecidedOn: "2026-02-25",
		DocNo: "甲检刑诉〔2026〕" + n + "号", ClosedOn: "2026-02-26", EnteredOn: "2026-02-27"}
}

func (e *env) vocab(t *testing.T) casecard.Vocabulary {
	t.Helper()
	v, err := e.f.App.Data.Vocabulary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cardsCSV writes cards as the UTF-8 CSV a user would upload.
func (e *env) cardsCSV(t *testing.T, cards ...casecard.Card) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := casecard.WriteCSV(&b, cards, e.vocab(t)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cardsXLSX writes cards as an XLSX workbook.
func (e *env) cardsXLSX(t *testing.T, cards ...casecard.Card) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := casecard.WriteXLSX(&b, cards, e.vocab(t)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// importCards imports cards into 甲县院 as its case manager through the
// service (the command line's path) and returns the cards by stage number.
func (e *env) importCards(t *testing.T, cards ...casecard.Card) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	p := e.f.User(t, "a_case_manager").Principal()
	_, _, err := e.f.App.Data.ImportFile(ctx, audit.ActorOf(p, "127.0.0.1", "test"), e.f.UnitA.ID, "cards.csv",
		e.cardsCSV(t, cards...), false)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	out := map[string]int64{}
	for _, c := range cards {
		var id int64
		if err := e.raw.QueryRow(`SELECT id FROM case_cards WHERE stage_no = $1`, c.StageNo).Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[c.StageNo] = id
	}
	return out
}

// problemOf is the latest problem of rule on a card, as the service lists
// it to username (the case manager of the card's unit).
func (e *env) problemOf(t *testing.T, username string, cardID int64, rule string) dataquality.Problem {
	t.Helper()
	ps, _, err := e.f.App.Data.Problems(context.Background(), e.dqReq(t, username),
		dataquality.ProblemFilter{CardID: cardID, RuleID: rule})
	if err != nil || len(ps) == 0 {
		t.Fatalf("problem %s of card %d: %v (%d)", rule, cardID, err, len(ps))
	}
	return ps[0]
}

// upload is a file sent as a request body: do sends it with its own
// media type instead of application/json.
type upload struct {
	ctype, name string
	data        io.Reader
}

// upload posts a file as the body of POST /api/v1/data/imports with its
// media type (do checks the answer against the document).
func (e *env) upload(t *testing.T, username, contentType, fileName string, body io.Reader) response {
	t.Helper()
	return e.do(t, username, "POST", importPath(fileName), upload{ctype: contentType, name: fileName, data: body})
}

// importPath is the import route with the file's name.
func importPath(fileName string) string {
	if fileName == "" {
		return "/api/v1/data/imports"
	}
	return "/api/v1/data/imports?file_name=" + url.QueryEscape(fileName)
}

// dqTables are the tables a refused data-quality request must leave
// alone; versions are summed so an update that should not have happened
// shows.
var dqTables = []string{"case_cards", "card_imports", "card_uploads", "card_changes", "dq_problems", "dq_rules", "dq_scans"}

func (e *env) dqCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range dqTables {
		var n int
		if err := e.raw.QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	for _, tbl := range []string{"case_cards", "dq_problems"} {
		var n int
		if err := e.raw.QueryRow(`SELECT COALESCE(SUM(version), 0) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl+".version"] = n
	}
	return out
}

// dqUnchanged fails when a table counted by dqCounts changed, except those
// named in except.
func (e *env) dqUnchanged(t *testing.T, before map[string]int, except ...string) {
	t.Helper()
	after := e.dqCounts(t)
	skip := map[string]bool{}
	for _, x := range except {
		skip[x] = true
	}
	for k, n := range before {
		if !skip[k] && after[k] != n {
			t.Errorf("%s: %d before, %d after: a refused request wrote data", k, n, after[k])
		}
	}
}

func dataPath(kind string, id int64, rest string) string {
	return "/api/v1/data/" + kind + "/" + itoa(id) + rest
}
