package evaluation

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
)

// DemoOptions tune Demo.
type DemoOptions struct {
	// Units are the units to run an activity in; nil means every
	// base-level unit (level 4: a path of four ids) among the people.
	Units []int64
	// Seed drives the demo's choices (and the draws), so a demo is the
	// same every time for the same data.
	Seed int64
	// Months is the closing period drawn from, back from today (default 6).
	Months int
	// Sample is the number of cases each activity aims to draw (default 8).
	Sample int
}

// DemoResult counts what the demo did.
type DemoResult struct {
	Templates  int // shipped templates installed
	SelfChecks int // tasks created for closed cases
	Submitted  int
	Verified   int
	Activities int // finished activities
	Records    int
	Objections int
	Overturned int
	Skipped    []string // units without what an activity needs, and why
}

// demoNotes are realistic notes for the findings the demo makes, by item;
// other items get their standard as the note.
var demoNotes = map[string]string{
	"AR-PC-01": "犯罪嫌疑人在押，受理后第八日才作出批准逮捕决定，超过七日法定期限",
	"AR-DC-02": "审查逮捕意见书未逐项分析社会危险性条件，仅作结论性表述",
	"AR-RN-01": "不批准逮捕理由说明书仅写明“不符合逮捕条件”，未说明具体理由",
	"AR-EV-05": "提请批准逮捕时未移送证明社会危险性的证据，未要求公安机关补充即批准逮捕",
	"AR-DC-05": "案卡“强制措施”项填录为取保候审，与卷内拘留证不一致",
	"PS-PC-02": "受理后第五日才告知犯罪嫌疑人有权委托辩护人，超过三日期限",
	"PS-PC-08": "认罪认罚具结书签署时值班律师未在场，具结书无值班律师签字",
	"PS-DC-06": "案卡“认罪认罚”项填录为“否”，与卷内认罪认罚具结书不一致",
	"PS-RN-03": "审查报告未对辩护人提出的自首情节意见作出回应",
	"PS-LA-03": "量刑建议未说明从宽幅度的计算依据，与同类案件相比明显偏轻",
	"PS-DC-02": "不起诉决定书未送达被害人，未告知其申诉权利",
	"PS-EV-03": "审查报告未记载听取被害人意见的情况",
	"CA-PC-04": "作出不支持监督申请决定后二十日才送达决定书，超过十五日",
	"CA-RN-01": "不支持监督申请决定书未逐项回应申请人提出的理由",
	"CA-DC-05": "案卡“审查期限”未登记调卷期间的扣除",
	"CA-EV-04": "争议较大的案件未听取被申请人意见",
	"PI-DC-01": "诉前检察建议书未载明具体整改要求和回复期限",
	"PI-EF-02": "行政机关回复已整改，但未跟进核实现场修复情况",
	"PI-EV-05": "仅凭行政机关回复函认定整改到位，未到现场核实",
	"PI-DC-05": "案卡“诉前检察建议回复日期”漏填",
}

// demoItems are the items the demo finds wanting, by template code, in
// the order of how often they go wrong in practice (documents, rights
// notices, reasoning first); the last is serious.
var demoItems = map[string][]string{
	"arrest_review":           {"AR-DC-02", "AR-DC-05", "AR-RN-01", "AR-EV-05", "AR-PC-01"},
	"prosecution_review":      {"PS-DC-06", "PS-PC-02", "PS-RN-03", "PS-LA-03", "PS-EV-03", "PS-PC-08"},
	"civil_admin_supervision": {"CA-DC-05", "CA-RN-01", "CA-PC-04", "CA-EV-04"},
	"public_interest":         {"PI-DC-05", "PI-DC-01", "PI-EV-05", "PI-EF-02"},
}

// demoFindings picks 0–3 findings for a record: mostly flaws from the
// common problems, rarely a serious one.
func demoFindings(r *mrand.Rand, t Template) []FindingInput {
	items := demoItems[t.Code]
	if len(items) == 0 {
		return nil
	}
	n := []int{0, 0, 1, 1, 1, 2, 2, 3}[r.IntN(8)]
	var out []FindingInput
	picked := map[string]bool{}
	for len(out) < n {
		code := items[r.IntN(len(items)-1)]
		if picked[code] {
			if len(picked) >= len(items)-1 {
				break
			}
			continue
		}
		picked[code] = true
		out = append(out, FindingInput{ItemCode: code, Option: "flaw", Note: demoNote(t, code)})
	}
	if r.IntN(10) == 0 {
		code := items[len(items)-1]
		it, _ := t.Item(code)
		opt := "serious"
		if _, ok := t.Option(it, opt); ok {
			out = append(out, FindingInput{ItemCode: code, Option: opt, Note: demoNote(t, code)})
		}
	}
	return out
}

func demoNote(t Template, code string) string {
	if n, ok := demoNotes[code]; ok {
		return n
	}
	it, _ := t.Item(code)
	return "与评查标准不符：" + it.Standard
}

// Demo gives the demo data its quality records: it installs the shipped
// templates, opens the self-checks of the cases closed in the last months
// and has a few filed and verified, and in each base-level unit runs one
// routine activity to the end — a random draw, balanced assignment with
// recusal, scoring with realistic findings, proposals, agreements and
// objections decided by the committee, follow-up and closing — so the
// statistics pages show something on first start. people are every
// account the demo may act as (the seed passes all of them). Units without
// a case manager, a leader, two evaluators or closed cases are skipped and
// named in the result.
func Demo(ctx context.Context, s *Service, people []access.Principal, opt DemoOptions) (DemoResult, error) {
	var res DemoResult
	if opt.Months <= 0 {
		opt.Months = 6
	}
	if opt.Sample <= 0 {
		opt.Sample = 8
	}
	n, err := s.InstallDefaults(ctx)
	if err != nil {
		return res, fmt.Errorf("evaluation demo: templates: %w", err)
	}
	res.Templates = n
	today := s.Today()
	day, _ := time.Parse(time.DateOnly, today)
	since := day.AddDate(0, -opt.Months, 0).Format(time.DateOnly)
	scan, err := s.ScanSelfChecks(ctx, since)
	if err != nil {
		return res, fmt.Errorf("evaluation demo: self-checks: %w", err)
	}
	res.SelfChecks = scan.Created
	byID := map[int64]access.Principal{}
	byUnit := map[int64][]access.Principal{}
	for _, p := range people {
		byID[p.UserID] = p
		byUnit[p.UnitID] = append(byUnit[p.UnitID], p)
	}
	units := opt.Units
	if units == nil {
		for id, ps := range byUnit {
			if strings.Count(ps[0].UnitPath, "/") == 5 { // "/1/2/3/4/": level 4
				units = append(units, id)
			}
		}
	}
	slices.Sort(units)
	r := mrand.New(mrand.NewPCG(uint64(opt.Seed), 0x64656d6f)) // "demo"
	for _, unitID := range units {
		if err := demoSelfChecks(ctx, s, r, byUnit[unitID], byID, &res); err != nil {
			return res, err
		}
		done, why, err := demoActivity(ctx, s, r, byUnit[unitID], byID, since, today, opt, &res)
		if err != nil {
			return res, fmt.Errorf("evaluation demo: unit %d: %w", unitID, err)
		}
		if !done {
			res.Skipped = append(res.Skipped, fmt.Sprintf("unit %d: %s", unitID, why))
			continue
		}
		res.Activities++
	}
	return res, nil
}

func first(ps []access.Principal, roles ...access.Role) (access.Principal, bool) {
	for _, p := range ps {
		if p.HasAny(roles...) {
			return p, true
		}
	}
	return access.Principal{}, false
}

func as(p access.Principal) Request {
	return Request{P: p, Client: "seed", RequestID: "seed-evaluation"}
}

// demoSelfChecks files and verifies a few of the unit's pending
// self-checks.
func demoSelfChecks(ctx context.Context, s *Service, r *mrand.Rand, ps []access.Principal,
	byID map[int64]access.Principal, res *DemoResult) error {
	cm, ok := first(ps, access.CaseManager)
	if !ok {
		return nil
	}
	checks, _, err := s.ListSelfChecks(ctx, as(cm), CheckFilter{Status: CheckPending, Limit: 20})
	if err != nil {
		return err
	}
	filed := 0
	for _, c := range checks {
		if filed == 4 {
			break
		}
		h, ok := byID[c.HandlerID]
		if !ok || !access.CanFileSelfCheck(h, c.Case.ref(), c.HandlerID) {
			continue
		}
		t, err := s.template(ctx, c.TemplateID)
		if err != nil {
			return err
		}
		in := SelfCheckInput{Summary: "已对照评查模板逐项自查，案件事实清楚、证据确实充分，程序合法。"}
		if f := demoFindings(r, t); len(f) > 0 {
			in.Findings = f[:1]
			in.Summary = "已对照评查模板逐项自查，发现一处瑕疵，已补正。"
		}
		if err := s.SubmitSelfCheck(ctx, as(h), c.ID, in); err != nil {
			return fmt.Errorf("evaluation demo: self-check %d: %w", c.ID, err)
		}
		res.Submitted++
		filed++
		var verifier access.Principal
		for _, p := range ps {
			if access.CanVerifySelfCheck(p, c.Case.ref(), c.DepartmentID, c.HandlerID) {
				verifier = p
				break
			}
		}
		if verifier.UserID == 0 || filed%2 == 0 {
			continue // left for the department head: the list shows both states
		}
		vi := VerifyInput{Note: "经核查，同意自查意见。"}
		for _, f := range in.Findings {
			vi.Verdicts = append(vi.Verdicts, VerdictInput{ItemCode: f.ItemCode, Agree: true})
		}
		if err := s.VerifySelfCheck(ctx, as(verifier), c.ID, vi); err != nil {
			return fmt.Errorf("evaluation demo: verify %d: %w", c.ID, err)
		}
		res.Verified++
	}
	return nil
}

// demoActivity runs one routine activity in a unit to the end.
func demoActivity(ctx context.Context, s *Service, r *mrand.Rand, ps []access.Principal,
	byID map[int64]access.Principal, since, today string, opt DemoOptions, res *DemoResult) (bool, string, error) {
	cm, ok := first(ps, access.CaseManager)
	if !ok {
		return false, "no case manager", nil
	}
	leader, ok := first(ps, access.Chief)
	if !ok {
		return false, "no chief to lead", nil
	}
	var evaluators, committee []int64
	for _, p := range ps {
		switch {
		case p.UserID == cm.UserID || p.UserID == leader.UserID:
		case p.Has(access.DeptHead):
			committee = append(committee, p.UserID)
		case access.CanEvaluate(p, false):
			evaluators = append(evaluators, p.UserID)
		}
	}
	if len(evaluators) < 2 {
		return false, "fewer than two evaluators", nil
	}
	tpls, err := s.store.EvaluationTemplates(ctx)
	if err != nil {
		return false, "", err
	}
	var cats []string
	for _, t := range tpls {
		if t.Latest && t.ScaleCode == "2026" {
			cats = append(cats, t.Categories...)
		}
	}
	slices.Sort(cats)
	d, _ := time.Parse(time.DateOnly, today)
	q := (int(d.Month())-1)/3 + 1
	id, err := s.CreateActivity(ctx, as(cm), ActivityInput{
		Name: fmt.Sprintf("%d年第%d季度案件质量常规抽查", d.Year(), q), Kind: KindRoutine, UnitIDs: []int64{cm.UnitID},
		Categories: cats, ClosedFrom: since, ClosedTo: today, ScaleCode: "2026", LeaderID: leader.UserID,
		EvaluatorIDs: evaluators, CommitteeIDs: committee, Deadline: d.AddDate(0, 1, 0).Format(time.DateOnly),
		Note: "演示数据：按季度随机抽取已办结案件开展常规评查"})
	if err != nil {
		return false, "", err
	}
	a, err := s.Activity(ctx, as(cm), id)
	if err != nil {
		return false, "", err
	}
	pop, err := s.population(ctx, a, nil)
	if err != nil {
		return false, "", err
	}
	if len(pop) == 0 {
		return false, "no closed cases in the period", nil
	}
	rate := min(100, max(1, (opt.Sample*100+len(pop)-1)/len(pop)))
	if _, err := s.DrawRandom(ctx, as(cm), id, rate, opt.Seed+int64(cm.UnitID)); err != nil {
		return false, "", err
	}
	if _, err := s.AutoAssign(ctx, as(cm), id); err != nil {
		return false, "", err
	}
	if err := s.StartActivity(ctx, as(cm), id); err != nil {
		return false, "", err
	}
	recs, err := s.store.EvaluationRecords(ctx, id)
	if err != nil {
		return false, "", err
	}
	for _, rec := range recs {
		if err := demoRecord(ctx, s, r, cm, leader, byID, rec, res); err != nil {
			return false, "", fmt.Errorf("record %d: %w", rec.ID, err)
		}
	}
	if err := s.CloseActivity(ctx, as(cm), id); err != nil {
		return false, "", err
	}
	return true, "", nil
}

// demoRecord walks one record through the procedure.
func demoRecord(ctx context.Context, s *Service, r *mrand.Rand, cm, leader access.Principal,
	byID map[int64]access.Principal, rec Record, res *DemoResult) error {
	res.Records++
	t, err := s.template(ctx, rec.TemplateID)
	if err != nil {
		return err
	}
	ev := byID[rec.EvaluatorID]
	fs := demoFindings(r, t)
	if err := s.Score(ctx, as(ev), rec.ID, fs); err != nil {
		return err
	}
	recd, err := s.store.EvaluationRecord(ctx, rec.ID)
	if err != nil {
		return err
	}
	tally := TallyOf(recd.Findings)
	grade, _ := t.Scale.Suggest(tally)
	reasons := "经评查，案件事实清楚，证据确实充分，适用法律正确，程序合法。"
	switch {
	case tally.Serious > 0:
		reasons = "经评查，存在严重问题：" + recd.Findings[len(recd.Findings)-1].Note + "。"
	case tally.Flaws > 0:
		reasons = fmt.Sprintf("经评查，案件处理结论正确，但存在%d处瑕疵，详见评查意见。", tally.Flaws)
	case r.IntN(4) == 0:
		grade = t.Scale.Rule.Excellent
		reasons = "经评查，案件证据扎实、说理充分、办案效果良好，审查报告可作为同类案件范本，拟评为优质案件。"
	}
	if err := s.Propose(ctx, as(ev), rec.ID, grade, reasons); err != nil {
		return err
	}
	h, ok := byID[rec.HandlerID]
	if !ok {
		return fmt.Errorf("handler %d not among the people", rec.HandlerID)
	}
	problems := Problems(recd.Findings)
	if len(problems) > 0 && r.IntN(3) == 0 {
		res.Objections++
		f := problems[0]
		if err := s.Object(ctx, as(h), rec.ID, ObjectionInput{Reason: "对评查意见有异议，申请评查委员会复核。",
			Items: []ItemObjection{{ItemCode: f.ItemCode, Reason: "该问题已在办案过程中补正，相关材料附卷，请复核。"}}}); err != nil {
			return err
		}
		overturn := r.IntN(2) == 0
		remaining := recd.Findings
		if overturn {
			res.Overturned++
			remaining = nil
			for _, x := range recd.Findings {
				if x.ItemCode != f.ItemCode {
					remaining = append(remaining, x)
				}
			}
		}
		final, _ := t.Scale.Suggest(TallyOf(remaining))
		note := "经复核，异议不成立，维持评查意见。"
		if overturn {
			note = "经复核，卷内有补正材料，异议成立，撤销该项问题。"
		}
		if err := s.Decide(ctx, as(leader), rec.ID, DecisionInput{Items: []ItemDecision{{ItemCode: f.ItemCode,
			Overturn: overturn, Reason: note}}, Grade: final, Reason: "评查委员会研究决定：" + note}); err != nil {
			return err
		}
	} else if err := s.Agree(ctx, as(h), rec.ID, "认可评查意见，将认真整改。"); err != nil {
		return err
	}
	recd, err = s.store.EvaluationRecord(ctx, rec.ID)
	if err != nil {
		return err
	}
	if err := s.AddFollowUp(ctx, as(cm), rec.ID, FollowFeedback, "已在季度案件质量讲评会上通报讲评"); err != nil {
		return err
	}
	if len(Problems(recd.Findings)) > 0 {
		if err := s.AddFollowUp(ctx, as(cm), rec.ID, FollowCorrection, "承办检察官已对所列问题逐项整改并提交整改报告"); err != nil {
			return err
		}
	}
	if t.Scale.Fails(recd.FinalGrade) {
		if err := s.AddFollowUp(ctx, as(cm), rec.ID, FollowReferral, "已移送检务督察部门依照司法责任追究规定处理"); err != nil {
			return err
		}
	}
	return s.CloseRecord(ctx, as(cm), rec.ID, "整改落实完毕，评查结果已记入检察官司法业绩档案")
}
