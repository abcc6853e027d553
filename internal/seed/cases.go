package seed

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/assign"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/idcard"
)

// historyDays is how far back received dates go in the demo (about 14
// months, so that last year's quarter and this year's compare); scaleDays
// in the scales of DOMAIN §12, so that a scale's cases are exactly a year's
// intake ("a province-year") for the trailing twelve months.
const (
	historyDays = 425
	scaleDays   = 364
)

var cst = time.FixedZone("CST", 8*3600)

// generator makes the synthetic cases. All randomness comes from r, and
// cases are built in received order, so rotation runs in the order a real
// office would have run it.
type generator struct {
	r      *rand.Rand
	today  time.Time // midnight UTC of the "current" date
	t      func(key string, args ...any) string
	docSeq map[string]int // transfer document counters per organ, kind and year
	days   int            // received dates go back this many days (historyDays when 0)
}

// skeleton is what decides a case before it is built: its unit (an index
// into the unit list), category (an index into categoryMix) and received
// date (days before today). Eight bytes, so that the skeletons of a
// nation-year (4,000,000 cases) take 32 MB while the cases themselves are
// built and written a batch at a time.
type skeleton struct {
	unit     int32
	category uint8
	ago      uint16
}

// stream builds n cases in received order and hands them to emit in
// batches of at most batch cases; emit owns each batch it is given.
func (g *generator) stream(units []*caseUnit, n, batch int, emit func([]Case) error) error {
	g.docSeq = map[string]int{}
	if len(units) == 0 {
		return fmt.Errorf("seed: no case-receiving unit")
	}
	// A registered absence in the rotation history (不在位: a prosecutor of
	// the first base-level unit away for a month of training), so that
	// assignment explanations show members passed over.
	for _, u := range units {
		if u.Spec.Level != 4 {
			continue
		}
		from, to := day(g.today.AddDate(0, 0, -90)), day(g.today.AddDate(0, 0, -60))
		for _, cat := range []string{"arrest_review", "prosecution_review"} {
			if p := u.Pools[cat]; len(p.Members) > 2 {
				p.Absences[2] = [2]string{from, to}
			}
		}
		break
	}

	unitPick := newCumulative(len(units), func(i int) int { return units[i].Spec.CaseWeight })
	catPick := newCumulative(len(categoryMix), func(i int) int { return categoryMix[i].W })
	sks := make([]skeleton, n)
	for i := range sks {
		u := unitPick.pick(g.r)
		c := catPick.pick(g.r)
		sks[i] = skeleton{unit: int32(u), category: uint8(c), ago: uint16(g.today.Sub(g.receivedDate()).Hours() / 24)}
	}
	// Oldest first; stable, so cases of one day keep their drawing order.
	slices.SortStableFunc(sks, func(a, b skeleton) int { return int(b.ago) - int(a.ago) })
	out := make([]Case, 0, min(batch, n))
	for _, sk := range sks {
		c, err := g.build(units[sk.unit], categoryMix[sk.category].V, g.today.AddDate(0, 0, -int(sk.ago)))
		if err != nil {
			return err
		}
		out = append(out, c)
		if len(out) == batch {
			if err := emit(out); err != nil {
				return err
			}
			out = make([]Case, 0, batch)
		}
	}
	if len(out) > 0 {
		return emit(out)
	}
	return nil
}

// cumulative draws an index by weight with one random number and a binary
// search, as pickWeighted would over the same weights: with three
// thousand units a linear walk per case would dominate a nation-year.
type cumulative []int

func newCumulative(n int, weight func(int) int) cumulative {
	c := make(cumulative, n)
	total := 0
	for i := range n {
		total += weight(i)
		c[i] = total
	}
	return c
}

func (c cumulative) pick(r *rand.Rand) int {
	x := r.IntN(c[len(c)-1])
	i, _ := slices.BinarySearch(c, x+1)
	return i
}

// receivedDate draws a date in the history window, mostly on weekdays.
func (g *generator) receivedDate() time.Time {
	for {
		back := g.days
		if back == 0 {
			back = historyDays
		}
		d := g.today.AddDate(0, 0, -g.r.IntN(back+1))
		if wd := d.Weekday(); (wd != time.Saturday && wd != time.Sunday) || chance(g.r, 0.15) {
			return d
		}
	}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// nextWorkday is the next Monday–Friday after t.
func nextWorkday(t time.Time) time.Time {
	t = addDays(t, 1)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = addDays(t, 1)
	}
	return t
}

func isCriminal(category string) bool {
	return category == "arrest_review" || category == "prosecution_review"
}

// facts are what the timeline depends on besides the category.
type facts struct {
	custody   bool // a suspect in custody
	minor     bool
	fastTrack bool
	supervise bool // transferred by the supervisory commission
}

// build makes one case: parties and flags, intake, assignment, timeline.
func (g *generator) build(u *caseUnit, category string, received time.Time) (Case, error) {
	c := Case{CreatedBy: u.CaseMgr.ID}
	c.UnitID, c.Category, c.ReceivedOn = u.ID, category, day(received)
	var f facts
	switch category {
	case "arrest_review", "prosecution_review":
		f = g.criminal(&c, u, received)
	case "civil_supervision", "admin_supervision":
		g.supervision(&c, u, received)
	case "pil_admin":
		g.pilAdmin(&c, u, received)
	default:
		g.pilCivil(&c, u, received)
	}

	age := int(g.today.Sub(received).Hours() / 24)
	outcome := casefile.OutcomeAccept
	switch {
	case age <= 20 && chance(g.r, 0.04):
		outcome = casefile.OutcomeSupplement
	case chance(g.r, 0.008):
		outcome = casefile.OutcomeRefuse
	}
	c.IntakeOutcome = outcome
	c.Checks, c.IntakeNote = g.checks(&c, outcome)
	clock := &stamper{r: g.r}
	c.CreatedAt = time.UnixMilli(clock.at(received))
	c.Events = []casefile.Event{{Code: casefile.EventReceived, OccurredOn: c.ReceivedOn, Outcome: outcome,
		Note: c.IntakeNote, ActorID: u.CaseMgr.ID, CreatedAt: c.CreatedAt}}
	c.Version = 1
	switch outcome {
	case casefile.OutcomeSupplement:
		c.Status, c.Minor = casefile.StatusAwaitingSupplement, f.minor
		return c, nil
	case casefile.OutcomeRefuse:
		c.Status, c.Minor = casefile.StatusRefused, f.minor
		return c, nil
	}
	c.Status = casefile.StatusPendingAssignment

	// Assignment: the same day as a rule (fast-track recommendations must
	// reach the prosecutor the same day, R273), sometimes the next workday;
	// cases of the last day or two may still wait.
	assignDay := received
	if !f.fastTrack && chance(g.r, 0.3) {
		assignDay = nextWorkday(received)
	}
	if assignDay.After(g.today) || (age <= 1 && chance(g.r, 0.5)) {
		g.flags(&c, f)
		return c, nil
	}
	if err := g.assign(&c, u, f, assignDay, clock); err != nil {
		return Case{}, err
	}

	steps := g.plan(&c, u, f, received, assignDay)
	// A stalled case: nothing decided yet, so deadline monitoring has
	// something overdue to show (recent ones only: an office clears old
	// ones). Most prosecution reviews received about a month ago are
	// still being reviewed, so the board has clocks due today and
	// tomorrow.
	nearDue := c.Category == "prosecution_review" && !f.fastTrack && age >= 24 && age <= 34 && chance(g.r, 0.6)
	if (age <= 90 && chance(g.r, 0.02)) || nearDue {
		steps = slices.DeleteFunc(steps, func(s casefile.Event) bool {
			return s.Code == casefile.EventDecided || s.Code == casefile.EventClosed ||
				s.Code == casefile.EventCustodyExtensionRequested
		})
	}
	cur := casefile.Case{Category: c.Category, Status: casefile.StatusInProgress}
	for _, s := range steps {
		if s.OccurredOn > day(g.today) {
			break
		}
		next, refusal := casefile.Transition(cur, s)
		if refusal != "" {
			return Case{}, fmt.Errorf("seed: generated event %s on %s refused by the state machine: %s",
				s.Code, s.OccurredOn, refusal)
		}
		cur.Status = next
		switch s.Code {
		case casefile.EventReturned:
			cur.Returns++
		case casefile.EventExtended:
			cur.Extensions++
		case casefile.EventDecided:
			cur.Decision = s.Outcome
		case casefile.EventClosed:
			cur.ClosedOn = s.OccurredOn
		}
		s.ActorID = c.HandlerID
		d, _ := time.Parse(time.DateOnly, s.OccurredOn)
		s.CreatedAt = time.UnixMilli(clock.at(d))
		c.Events = append(c.Events, s)
		c.Version++
	}
	c.Status, c.Returns, c.Extensions, c.Decision, c.ClosedOn = cur.Status, cur.Returns, cur.Extensions, cur.Decision, cur.ClosedOn
	g.flags(&c, f)
	return c, nil
}

// flags sets plea leniency (~85% of concluded criminal cases) and sealing
// (some closed juvenile cases; sealing requires a minor).
func (g *generator) flags(c *Case, f facts) {
	if !isCriminal(c.Category) {
		return
	}
	concluded := c.Status == casefile.StatusDecided || c.Status == casefile.StatusClosed
	switch {
	case f.fastTrack:
		c.Plea, c.FastTrack = true, true
	case concluded:
		c.Plea = chance(g.r, 0.82)
	default:
		c.Plea = chance(g.r, 0.6)
	}
	c.Minor = f.minor
	c.Sealed = f.minor && c.Status == casefile.StatusClosed && chance(g.r, 0.35)
}

// assign gives the case to a pool member by rotation (assign.Next) or,
// rarely, by the chief's designation (assign.Designate), and explains it
// with the real catalogue.
func (g *generator) assign(c *Case, u *caseUnit, f facts, on time.Time, clock *stamper) error {
	p := u.Pools[c.Category]
	var d assign.Decision
	var err error
	kind := casefile.KindRotation
	designate := chance(g.r, 0.03) || (f.minor && chance(g.r, 0.2))
	if designate {
		reason := pick(g.r, designateReasons)
		if f.minor {
			reason = "未成年人案件，指定专人办理"
		}
		d, err = assign.Designate(p.State, pick(g.r, p.Members), u.Chief.Name, reason)
		kind = casefile.KindDesignated
	} else {
		d, err = assign.Next(p.members(day(on)), p.State)
		p.State = d.Next
	}
	if err != nil {
		return fmt.Errorf("seed: assign in pool %s/%s: %w", u.Spec.Key, c.Category, err)
	}
	at := clock.at(on)
	c.HandlerID, c.HandlerName, c.DepartmentID, c.AssignedAt = d.UserID, d.Name, p.DeptID, time.UnixMilli(at)
	c.Status = casefile.StatusInProgress
	a := &casefile.Assignment{HandlerID: d.UserID, HandlerName: d.Name, Kind: kind, Round: d.Round,
		Explanation: d.Explain(g.t), Reason: d.Reason, DesignatedBy: d.Designator, ActorID: u.CaseMgr.ID,
		CreatedAt: time.UnixMilli(at)}
	if !designate {
		a.PoolID = -int64(p.Index + 1) // replaced by the stored pool id
	}
	c.Assignment = a
	c.Events = append(c.Events, casefile.Event{Code: casefile.EventAssigned, OccurredOn: day(on), Note: d.Name,
		ActorID: u.CaseMgr.ID, CreatedAt: time.UnixMilli(at)})
	c.Version++
	return nil
}

// stamper hands out increasing instants in office hours (China time) for
// the rows of one case, so created_at follows the timeline.
type stamper struct {
	r    *rand.Rand
	last int64
}

func (s *stamper) at(d time.Time) int64 {
	t := time.Date(d.Year(), d.Month(), d.Day(), between(s.r, 9, 17), s.r.IntN(60), 0, 0, cst).UnixMilli()
	if t <= s.last {
		t = s.last + int64(between(s.r, 1, 30))*60_000
	}
	s.last = t
	return t
}

// ev is a planned event.
func ev(code string, on time.Time, outcome, note string) casefile.Event {
	return casefile.Event{Code: code, OccurredOn: day(on), Outcome: outcome, Note: note}
}

// plan lays out the handler's events with plausible dates; dates after
// today are cut by the caller, which leaves recent cases in progress.
func (g *generator) plan(c *Case, u *caseUnit, f facts, received, assigned time.Time) []casefile.Event {
	r := g.r
	var out []casefile.Event
	cur := assigned
	var decide, closeOn time.Time
	var outcome string
	switch c.Category {
	case "prosecution_review":
		// R40, R55: suspect and victim are told of their rights within
		// three days of receipt; a few offices are late.
		notified := later(cur, addDays(received, between(r, 1, 3)))
		if chance(r, 0.05) {
			notified = addDays(notified, between(r, 2, 6))
		}
		out = append(out, ev(casefile.EventRightsNotified, notified, "", "已告知犯罪嫌疑人有权委托辩护人、被害人有权委托诉讼代理人"))
		cur = notified
		clock := received // the review period restarts on resubmission
		returns := 0
		if f.fastTrack {
			decide = later(cur, addDays(clock, between(r, 2, 9)))
		} else {
			if chance(r, 0.15) {
				returns = 1
				if chance(r, 0.3) {
					returns = 2
				}
			}
			for i := 0; i < returns; i++ {
				ret := later(cur, addDays(clock, between(r, 10, 28)))
				out = append(out, ev(casefile.EventReturned, ret, "", pick(r, returnNotes)))
				res := addDays(ret, between(r, 15, 31)) // the police have one month
				note := "公安机关补充侦查完毕，重新移送审查起诉"
				if f.supervise {
					note = "监察机关补充调查完毕，重新移送审查起诉"
				}
				out = append(out, ev(casefile.EventResubmitted, res, "", note))
				clock, cur = res, res
			}
			paused := 0
			if chance(r, 0.03) {
				s := later(cur, addDays(clock, between(r, 5, 15)))
				e := addDays(s, between(r, 20, 45))
				out = append(out, ev(casefile.EventAssessmentStarted, s, "", "委托对犯罪嫌疑人进行精神病鉴定，鉴定期间不计入办案期限"),
					ev(casefile.EventAssessmentEnded, e, "", "鉴定意见已送达"))
				paused, cur = int(e.Sub(s).Hours()/24), e
			}
			// The extension is approved before the month runs out (27
			// days are within the shortest month), so only when nothing
			// recorded so far is later than that.
			if chance(r, 0.10) && !cur.After(addDays(clock, paused+24)) {
				x := later(cur, addDays(clock, paused+between(r, 24, 27)))
				out = append(out, ev(casefile.EventExtended, x, "", "案情重大、复杂，经检察长批准延长审查起诉期限十五日"))
				cur = x
				decide = later(cur, addDays(clock, paused+between(r, 30, 44)))
			} else {
				decide = later(cur, addDays(clock, paused+between(r, 10, 29)))
			}
		}
		switch {
		case returns == 2 && chance(r, 0.35):
			outcome = "np_insufficient" // CPL 175: still insufficient after two returns
		case f.minor && chance(r, 0.3):
			outcome = "np_conditional"
		default:
			outcome = pickWeighted(r, []weighted[string]{{"prosecute", 85}, {"np_discretionary", 9},
				{"np_insufficient", 2}, {"np_statutory", 2}, {"transfer", 2}})
		}
		closeOn = addDays(decide, between(r, 0, 5))
	case "arrest_review":
		switch {
		case f.custody: // CPL 91: seven days for a detained suspect
			decide = addDays(received, between(r, 2, 7))
		case chance(r, 0.12) && !cur.After(addDays(received, 12)): // R282: major or complex, 20 days
			// The extension is approved within the 15 days, so only when
			// the case was assigned in time to ask for it.
			x := later(cur, addDays(received, between(r, 12, 15)))
			out = append(out, ev(casefile.EventExtended, x, "", "重大、复杂案件，审查逮捕期限延长至二十日"))
			cur = x
			decide = addDays(received, between(r, 16, 20))
		default:
			decide = addDays(received, between(r, 5, 15))
		}
		decide = later(cur, decide)
		outcome = pickWeighted(r, []weighted[string]{{"approve_arrest", 75}, {"reject_arrest", 15},
			{"reject_arrest_insufficient", 10}})
		closeOn = addDays(decide, between(r, 0, 1))
	case "pil_admin", "pil_civil":
		if chance(r, 0.05) {
			x := later(cur, addDays(received, between(r, 55, 60)))
			out = append(out, ev(casefile.EventExtended, x, "", "经检察长批准延长办理期限"))
			cur = x
			decide = addDays(received, between(r, 61, 90))
		} else if c.Category == "pil_civil" {
			decide = addDays(received, between(r, 35, 80)) // after the 30-day public notice
		} else {
			decide = addDays(received, between(r, 15, 60))
		}
		decide = later(cur, decide)
		if c.Category == "pil_admin" {
			outcome = pickWeighted(r, []weighted[string]{{"pre_suit_recommendation", 80}, {"terminate", 12}, {"sue", 8}})
		} else {
			outcome = pickWeighted(r, []weighted[string]{{"sue", 65}, {"terminate", 35}})
		}
		closeOn = addDays(decide, between(r, 0, 10))
		if outcome == "pre_suit_recommendation" {
			closeOn = addDays(decide, between(r, 60, 75)) // the organ has two months to reply
		}
	default: // civil and administrative supervision: three months
		paused := 0
		if chance(r, 0.12) {
			s := later(cur, addDays(received, between(r, 5, 20)))
			e := addDays(s, between(r, 15, 40))
			out = append(out, ev(casefile.EventAssessmentStarted, s, "", "调阅原审卷宗、委托鉴定，期间不计入审查期限"),
				ev(casefile.EventAssessmentEnded, e, "", "原审卷宗已调取，鉴定意见已送达"))
			paused, cur = int(e.Sub(s).Hours()/24), e
		}
		// Only administrative supervision may be extended (by the chief);
		// the civil review period has no extension.
		if c.Category == "admin_supervision" && chance(r, 0.06) && !cur.After(addDays(received, paused+80)) {
			x := later(cur, addDays(received, paused+between(r, 80, 88)))
			out = append(out, ev(casefile.EventExtended, x, "", "案情复杂，经检察长批准延长审查期限"))
			cur = x
			decide = addDays(received, paused+between(r, 90, 150))
		} else {
			decide = addDays(received, paused+between(r, 30, 88))
		}
		decide = later(cur, decide)
		outcome = pickWeighted(r, []weighted[string]{{"not_supported", 55}, {"retrial_recommendation", 15},
			{"protest", 8}, {"recommendation", 12}, {"terminate", 10}})
		closeOn = addDays(decide, between(r, 2, 15))
	}
	note := outcomeNotes[outcome]
	if strings.Contains(note, "%s") {
		note = fmt.Sprintf(note, u.Spec.Court)
	}
	out = append(out, ev(casefile.EventDecided, decide, outcome, note), ev(casefile.EventClosed, closeOn, "", "审结归档"))
	// Investigative custody after an approved arrest runs 2 months (CPL
	// 156); most investigating organs ask in time to extend it, some late.
	if outcome == casefile.OutcomeApproveArrest && chance(r, 0.7) {
		out = append(out, ev(casefile.EventCustodyExtensionRequested, addDays(decide, between(r, 45, 52)), "",
			"侦查机关提请延长侦查羁押期限，已通知看守所"))
	}
	return out
}

// person invents a party of an age at the received date. Resident ID
// numbers come from invented area codes 990101–990199 (no province has
// code 99) and carry a valid check digit.
func (g *generator) person(region, role string, female bool, ageLo, ageHi int, received time.Time) casefile.Party {
	r := g.r
	eth := regionEthnicity(r, region)
	// Born 1960 or later: the oldest demo people are in their sixties.
	ageHi = min(ageHi, received.Year()-1961)
	age := between(r, min(ageLo, ageHi), ageHi)
	birth := received.AddDate(-age, 0, -r.IntN(365))
	seq := r.IntN(500) * 2 // even: female
	gender := "female"
	if !female {
		seq++
		gender = "male"
	}
	id, err := idcard.Build(fmt.Sprintf("9901%02d", between(r, 1, 99)), birth, seq)
	if err != nil {
		panic(err) // the arguments are valid by construction
	}
	return casefile.Party{Name: personName(r, eth, female), Gender: gender, Ethnicity: eth, IDType: "resident_id",
		IDNumber: id, BirthDate: day(birth), Role: role, Measure: "none"}
}

func (g *generator) adultAge() (int, int) {
	band := pickWeighted(g.r, []weighted[[2]int]{{[2]int{18, 25}, 20}, {[2]int{26, 35}, 35}, {[2]int{36, 45}, 25},
		{[2]int{46, 60}, 15}, {[2]int{61, 65}, 5}})
	return band[0], band[1]
}

// criminal fills an arrest or prosecution review: charges, suspects with
// custody and coercive measure, sometimes a victim, the transferring organ
// and its document number, and the case name (嫌疑人+罪名+案).
func (g *generator) criminal(c *Case, u *caseUnit, received time.Time) facts {
	r := g.r
	var f facts
	f.minor = chance(r, 0.06)
	list := baseCharges
	if u.Spec.Level == 3 {
		list = cityCharges
	}
	if f.minor {
		list = minorCharges
	}
	charge := pickWeighted(r, list)
	// Duty crimes come from the supervisory commission as transfers for
	// prosecution; dangerous driving carries at most 拘役, so the police
	// never ask for an arrest.
	for c.Category == "arrest_review" && (dutyCrimes[charge] || charge == "危险驾驶罪") {
		charge = pickWeighted(r, list)
	}
	c.Charges = []string{charge}
	if chance(r, 0.05) {
		if second := pickWeighted(r, baseCharges); second != charge && !dutyCrimes[second] && !dutyCrimes[charge] {
			c.Charges = append(c.Charges, second)
		}
	}
	f.supervise = dutyCrimes[charge]
	f.fastTrack = c.Category == "prosecution_review" && !f.minor && !f.supervise && chance(r, 0.17)

	n := pickWeighted(r, []weighted[int]{{1, 75}, {2, 20}, {3, 5}})
	for i := 0; i < n; i++ {
		lo, hi := g.adultAge()
		if f.minor && (i == 0 || chance(r, 0.5)) {
			lo, hi = 14, 17
		}
		p := g.person(u.Spec.Region, "suspect", chance(r, 0.12), lo, hi, received)
		p.Custody, p.Measure = g.measure(c.Category, charge, lo < 18, f.supervise)
		f.custody = f.custody || p.Custody
		c.Parties = append(c.Parties, p)
	}
	if victimCrimes[charge] && n < 3 && chance(r, 0.6) {
		female := chance(r, 0.5) || charge == "强奸罪"
		lo, hi := g.adultAge()
		c.Parties = append(c.Parties, g.person(u.Spec.Region, "victim", female, lo, hi, received))
	}

	year := received.Year()
	if f.supervise {
		c.TransferringOrgan = u.Spec.Supervision
		c.TransferDocNo = fmt.Sprintf("%s移诉〔%d〕%d号", u.Spec.SupShort, year, g.docNumber(u.Spec.SupShort, "移诉", year))
	} else {
		c.TransferringOrgan = u.Spec.Police
		kind := "诉字"
		if c.Category == "arrest_review" {
			kind = "提捕字"
		}
		c.TransferDocNo = fmt.Sprintf("%s（刑）%s〔%d〕%d号", u.Spec.PoliceShort, kind, year,
			g.docNumber(u.Spec.PoliceShort, kind, year))
	}
	name := c.Parties[0].Name
	if n > 1 {
		name += "等"
	}
	c.Name = name + strings.TrimSuffix(charge, "罪") + "案"
	return f
}

// docNumber gives increasing document numbers of an outside organ.
func (g *generator) docNumber(organ, kind string, year int) int {
	k := fmt.Sprintf("%s|%s|%d", organ, kind, year)
	g.docSeq[k] += between(g.r, 1, 4)
	return g.docSeq[k]
}

// measure draws custody and the matching coercive measure: custody means
// detention (拘留) or arrest (逮捕); otherwise bail, residence or none.
func (g *generator) measure(category, charge string, minor, supervise bool) (bool, string) {
	r := g.r
	var m string
	switch {
	case supervise: // 留置 turns into 先行拘留 on transfer (CPL 170)
		m = pickWeighted(r, []weighted[string]{{"detention", 90}, {"bail", 10}})
	case category == "arrest_review" && minor:
		m = pickWeighted(r, []weighted[string]{{"detention", 60}, {"bail", 40}})
	case category == "arrest_review":
		m = pickWeighted(r, []weighted[string]{{"detention", 85}, {"bail", 10}, {"residence", 5}})
	case charge == "危险驾驶罪":
		m = pickWeighted(r, []weighted[string]{{"bail", 90}, {"residence", 5}, {"none", 5}})
	case minor:
		m = pickWeighted(r, []weighted[string]{{"bail", 70}, {"arrest", 30}})
	default:
		m = pickWeighted(r, []weighted[string]{{"arrest", 45}, {"bail", 45}, {"residence", 5}, {"none", 5}})
	}
	return m == "detention" || m == "arrest", m
}

// supervision fills a civil or administrative supervision case: the
// applicant (and in civil cases the other side), the court judgment
// under supervision and the case name.
func (g *generator) supervision(c *Case, u *caseUnit, received time.Time) {
	r := g.r
	lo, hi := 25, 70
	app := g.person(u.Spec.Region, "applicant", chance(r, 0.4), lo, hi, received)
	c.Parties = []casefile.Party{app}
	c.TransferringOrgan = "当事人申请"
	stage := "初"
	if u.Spec.Level == 3 {
		stage = "终"
	}
	judgmentYear := received.Year()
	if chance(r, 0.6) {
		judgmentYear--
	}
	if c.Category == "civil_supervision" {
		resp := g.person(u.Spec.Region, "respondent", chance(r, 0.4), lo, hi, received)
		c.Parties = append(c.Parties, resp)
		c.TransferDocNo = fmt.Sprintf("（%d）%s民%s%d号", judgmentYear, u.Spec.CourtCode, stage, between(r, 100, 4999))
		c.Name = app.Name + "与" + resp.Name + pick(r, civilCauses) + "民事诉讼监督案"
		return
	}
	c.TransferDocNo = fmt.Sprintf("（%d）%s行%s%d号", judgmentYear, u.Spec.CourtCode, stage, between(r, 10, 399))
	c.Name = app.Name + pick(r, adminCauses) + "行政诉讼监督案"
}

// pilAdmin fills an administrative public-interest case; the only person
// recorded is the informant, if any.
func (g *generator) pilAdmin(c *Case, u *caseUnit, received time.Time) {
	r := g.r
	c.TransferringOrgan = pickWeighted(r, []weighted[string]{{"依职权发现", 60}, {"群众举报", 25}, {"“益心为公”志愿者移送", 15}})
	c.Name = u.Spec.Place + pick(r, pilAdminTopics) + "行政公益诉讼案"
	lo, hi := g.adultAge()
	c.Parties = []casefile.Party{g.person(u.Spec.Region, "other", chance(r, 0.4), lo, hi, received)}
}

// pilCivil fills a civil public-interest case against one or two people.
func (g *generator) pilCivil(c *Case, u *caseUnit, received time.Time) {
	r := g.r
	c.TransferringOrgan = pickWeighted(r, []weighted[string]{{"依职权发现", 50}, {"刑事案件线索移送", 50}})
	n := pickWeighted(r, []weighted[int]{{1, 80}, {2, 20}})
	for i := 0; i < n; i++ {
		lo, hi := g.adultAge()
		c.Parties = append(c.Parties, g.person(u.Spec.Region, "respondent", chance(r, 0.2), lo, hi, received))
	}
	name := c.Parties[0].Name
	if n > 1 {
		name += "等"
	}
	c.Name = name + pick(r, pilCivilViolations) + "民事公益诉讼案"
}

// checks records the R157 checklist: all passed for an accepted case; a
// failed item with its note, and the outcome note, otherwise.
func (g *generator) checks(c *Case, outcome string) ([]casefile.Check, string) {
	r := g.r
	out := make([]casefile.Check, 0, len(casefile.CheckItems()))
	for _, item := range casefile.CheckItems() {
		ch := casefile.Check{Item: item, Passed: true}
		if item == "property_match" && (!isCriminal(c.Category) || chance(r, 0.5)) {
			ch.Note = "无随案移送财物"
		}
		out = append(out, ch)
	}
	fail := func(item, note string) {
		for i := range out {
			if out[i].Item == item {
				out[i].Passed, out[i].Note = false, note
			}
		}
	}
	switch outcome {
	case casefile.OutcomeSupplement:
		var note string
		if isCriminal(c.Category) {
			note = pick(r, []string{"移送清单与卷宗不符，缺少鉴定意见书", "缺少犯罪嫌疑人户籍证明",
				"卷宗未按规定装订，缺少证据目录"})
		} else {
			note = "缺少原审裁判文书及送达证明"
		}
		fail("file_complete", note)
		return out, "要求三日内补充材料：" + note
	case casefile.OutcomeRefuse:
		switch {
		case c.Category == "prosecution_review":
			fail("custody_status", "犯罪嫌疑人在逃，移送时未到案")
			return out, "犯罪嫌疑人在逃，待其到案后再行移送（规则第158条）"
		case c.Category == "civil_supervision" || c.Category == "admin_supervision":
			fail("time_limit", "超过六个月申请监督期限")
			return out, "申请超过法定期限，不予受理"
		default:
			fail("jurisdiction", "不属于本院管辖")
			return out, "不属于本院管辖，告知向有管辖权的人民检察院移送"
		}
	}
	return out, ""
}
