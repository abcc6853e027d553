package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/idcard"
)

// CardUnit is a unit whose national-system case cards are synthesised:
// its code and short name make the stage numbers, its people the handlers.
type CardUnit struct {
	ID         int64
	Code       string
	Short      string
	Department string
	Handlers   []string
}

// Injected card errors (the kinds DOMAIN §8 lists), one per faulty card.
var cardFaults = []func(c *casecard.Card){
	func(c *casecard.Card) { c.DecidedOn = shiftDay(c.ReceivedOn, -3) },                                    // decision before receipt
	func(c *casecard.Card) { c.Decision, c.DecidedOn, c.DocNo = "", "", "" },                               // closed without a decision
	func(c *casecard.Card) { c.Charges = "" },                                                              // missing charges
	func(c *casecard.Card) { c.EnteredOn = shiftDay(c.ClosedOn, 12) },                                      // late entry
	func(c *casecard.Card) { c.SuspectID = c.SuspectID[:17] + flipCheck(c.SuspectID[17]) },                 // bad check digit
	func(c *casecard.Card) { c.DocNo = "刑诉" + c.DocNo },                                                    // wrong document number
	func(c *casecard.Card) { c.Handler = "" },                                                              // missing handler
	func(c *casecard.Card) { c.Custody, c.Measure = casecard.Yes, "取保候审" },                                 // custody vs measure
	func(c *casecard.Card) { c.Returns = 3 },                                                               // more than two returns
	func(c *casecard.Card) { c.ClosedOn, c.EnteredOn = shiftDay(c.ReceivedOn, -1), c.ReceivedOn },          // closed before receipt
	func(c *casecard.Card) { c.UniformNo = "" },                                                            // missing unified number
	func(c *casecard.Card) { c.Plea, c.PleaSignedOn, c.Sentencing, c.SentencingAdopted = "是", "", "", "" }, // plea without documents
}

func shiftDay(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

func flipCheck(b byte) string {
	if b == '0' {
		return "1"
	}
	return "0"
}

// SyntheticCards makes n closed case cards of u as the national system
// would export them: arrest reviews followed by the prosecution review of
// the same suspect (same unified number), with a share errRate of cards
// carrying one injected error. The same seed gives the same cards.
func SyntheticCards(seed uint64, u CardUnit, n int, today time.Time, errRate float64) []casecard.Card {
	r := rand.New(rand.NewPCG(seed, uint64(u.ID)))
	out := make([]casecard.Card, 0, n)
	year := today.Year()
	for i := 0; len(out) < n; i++ {
		// At least 80 days ago, so both stages end before today.
		received := today.AddDate(0, 0, -between(r, 80, 330))
		female := chance(r, 0.15)
		name := pick(r, hanSurnames) + "某某"
		birth := received.AddDate(-between(r, 19, 60), 0, -r.IntN(365))
		seq := r.IntN(500) * 2
		if !female {
			seq++
		}
		id, err := idcard.Build(fmt.Sprintf("9902%02d", between(r, 1, 99)), birth, seq)
		if err != nil {
			panic(err) // valid by construction
		}
		charge := pickWeighted(r, baseCharges)
		uniform := fmt.Sprintf("%s%d%07d", u.Code, year, 500000+i)
		handler := ""
		if len(u.Handlers) > 0 {
			handler = pick(r, u.Handlers)
		}
		base := casecard.Card{UniformNo: uniform, Name: name + charge[:len(charge)-len("罪")] + "案",
			Department: u.Department, Handler: handler, TransferringOrgan: u.Short + "公安局", Charges: charge,
			SuspectName: name, SuspectID: id, Minor: casecard.No, FastTrack: casecard.No}
		arrest := base
		arrest.Category = "arrest_review"
		arrest.StageNo = fmt.Sprintf("%s批捕受[%d]%s%05d号", u.Short, year, u.Code, 50000+i)
		arrest.ReceivedOn = day(received)
		decided := received.AddDate(0, 0, between(r, 2, 6))
		arrest.Custody, arrest.Measure, arrest.Plea = casecard.Yes, "拘留", casecard.No
		arrest.Decision, arrest.DecidedOn = "批准逮捕", day(decided)
		arrest.DocNo = fmt.Sprintf("%s检刑批捕〔%d〕%d号", u.Short, decided.Year(), 100+i)
		arrest.ClosedOn, arrest.EnteredOn = day(decided), day(decided.AddDate(0, 0, 1))
		out = append(out, arrest)
		if len(out) == n {
			break
		}
		pros := base
		pros.Category = "prosecution_review"
		pros.StageNo = fmt.Sprintf("%s起诉受[%d]%s%05d号", u.Short, year, u.Code, 50000+i)
		pr := decided.AddDate(0, 0, between(r, 20, 40))
		pd := pr.AddDate(0, 0, between(r, 10, 25))
		pros.ReceivedOn, pros.DecidedOn = day(pr), day(pd)
		pros.Custody, pros.Measure = casecard.Yes, "逮捕"
		if chance(r, 0.7) {
			pros.Plea, pros.PleaSignedOn = casecard.Yes, day(pr.AddDate(0, 0, 5))
			pros.Sentencing, pros.SentencingAdopted = pick(r, []string{"确定刑", "幅度刑"}), "采纳"
		} else {
			pros.Plea = casecard.No
		}
		pros.Decision = "起诉"
		pros.DocNo = fmt.Sprintf("%s检刑诉〔%d〕%d号", u.Short, pd.Year(), 100+i)
		pros.ClosedOn, pros.EnteredOn = day(pd), day(pd.AddDate(0, 0, 1))
		out = append(out, pros)
	}
	for i := range out {
		if chance(r, errRate) {
			pick(r, cardFaults)(&out[i])
		}
	}
	return out
}
