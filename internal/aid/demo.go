package aid

import (
	"context"
	"fmt"
	"time"

	"github.com/anguan/anguan/internal/access"
)

// DemoUnits names the units of the demo pairing.
type DemoUnits struct {
	Aiding []int64 // 株洲市院, 石峰区院
	Aided  []int64 // 喀什市院, 疏勒县院
}

// DemoResult counts what the demo wrote.
type DemoResult struct {
	PairingID  int64
	Activities int
	Entries    int
}

// systemRequest acts as the system with a scope over every unit: the
// demo is set up by the seed, not by a person (audited as the system).
func systemRequest(what string) Request {
	return Request{P: access.Principal{Username: "system:" + what, UnitPath: "/", Roles: []access.Role{access.SysAdmin}}}
}

// Demo writes the Zhuzhou–Kashgar pairing (株洲—喀什案管援疆) with a year of
// activity ending at today: visits, meetings, three trainings, follow-ups
// and fund entries, through the same validation as any user's input.
// Nothing is written when the units are already paired.
func (s *Service) Demo(ctx context.Context, u DemoUnits) (DemoResult, error) {
	r := systemRequest("seed")
	existing, err := s.store.AidPairings(ctx, ScopeOf(r.P))
	if err != nil {
		return DemoResult{}, err
	}
	if len(existing) > 0 {
		return DemoResult{PairingID: existing[0].ID}, nil
	}
	today, err := time.Parse(time.DateOnly, s.Today())
	if err != nil {
		return DemoResult{}, err
	}
	start := time.Date(today.Year()-1, today.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := func(months, days int) string { return start.AddDate(0, months, days).Format(time.DateOnly) }
	res := DemoResult{}
	res.PairingID, err = s.CreatePairing(ctx, r, PairingInput{
		Name: "株洲—喀什案件管理对口援助", AidingIDs: u.Aiding, AidedIDs: u.Aided,
		StartOn: day(0, 0), EndOn: start.AddDate(3, 0, -1).Format(time.DateOnly),
		Agreement: "一、株洲市人民检察院、株洲市石峰区人民检察院对口援助喀什市人民检察院、疏勒县人民检察院案件管理工作，为期三年。\n" +
			"二、目标：受援院各有2名以上能够独立开展案件管理工作的业务骨干；案件管理工作进入全国中上游；案件管理信息化水平与株洲持平；形成不因人员流动而断档的人才梯队。\n" +
			"三、方式：实地走访、线上线下培训、日常联络答疑、三级联动，专项资金保障。\n" +
			"四、受援院向援助院共享统计数据（不含案件明细）、评查讲评、匿名问题清单（不含案号、案名、当事人和承办人）和互动答疑。",
		Contacts: []Contact{
			{Name: "刘某某", Unit: "株洲市人民检察院案件管理办公室", Phone: "0731-2800XXXX"},
			{Name: "阿某某", Unit: "喀什市人民检察院案件管理办公室", Phone: "0998-2600XXXX"},
		},
		Shares: Shares{Aggregates: true, QA: true, Reviews: true, Problems: true},
	})
	if err != nil {
		return res, fmt.Errorf("aid demo: pairing: %w", err)
	}
	activities := []ActivityInput{
		{Kind: KindVisit, HeldOn: day(0, 14), Place: "喀什市人民检察院", Participants: "株洲市院案管办主任及业务骨干3人；喀什市院、疏勒县院案管办全体",
			Agreed: "梳理受援院案件管理流程，确定首年重点：流程监控与案件质量评查。",
			FollowUps: []FollowUpInput{{Item: "喀什市院提交案件管理流程现状清单", Owner: "喀什市院案管办", DueOn: day(1, 14), Status: FollowDone},
				{Item: "株洲市院提供流程监控工作指引", Owner: "株洲市院案管办", DueOn: day(1, 0), Status: FollowDone}}},
		{Kind: KindTraining, HeldOn: day(1, 20), Place: "线上（视频会议）", Participants: "喀什市院、疏勒县院案管员12人",
			Agreed: "第一期培训：受理审查与统一受案号、程序性期限计算。", FollowUps: nil},
		{Kind: KindMeeting, HeldOn: day(3, 5), Place: "线上（视频会议）", Participants: "两地案管办负责人",
			Agreed:    "季度会商：流程监控通知书发出及回复情况；疏勒县院需补齐数据监管人员。",
			FollowUps: []FollowUpInput{{Item: "疏勒县院明确专职数据监管人员", Owner: "疏勒县院", DueOn: day(4, 0), Status: FollowDone}}},
		{Kind: KindTraining, HeldOn: day(4, 18), Place: "株洲市人民检察院", Participants: "喀什市院、疏勒县院跟岗学习人员4人",
			Agreed:    "第二期培训（跟岗）：案件质量评查全流程、评查报告撰写。",
			FollowUps: []FollowUpInput{{Item: "跟岗人员各完成3件评查并提交报告", Owner: "跟岗学习人员", DueOn: day(6, 0), Status: FollowDone}}},
		{Kind: KindLiaison, HeldOn: day(6, 10), Place: "线上", Participants: "两地案管员",
			Agreed: "日常联络：数据质量规则问题答疑，汇总常见问题。", FollowUps: nil},
		{Kind: KindVisit, HeldOn: day(7, 22), Place: "疏勒县人民检察院", Participants: "株洲市石峰区院案管办2人；疏勒县院案管办",
			Agreed: "回访：检查流程监控台账与评查整改落实情况。",
			FollowUps: []FollowUpInput{{Item: "疏勒县院整改评查发现的文书问题", Owner: "疏勒县院案管办", DueOn: day(9, 0), Status: FollowDone},
				{Item: "建立月度数据质量通报机制", Owner: "疏勒县院案管办", DueOn: day(13, 0)}}},
		{Kind: KindTraining, HeldOn: day(9, 12), Place: "喀什市人民检察院", Participants: "喀什地区基层院案管员20人",
			Agreed:    "第三期培训：业务数据监管与统计分析研判。",
			FollowUps: []FollowUpInput{{Item: "各院形成统计分析报告一份", Owner: "喀什市院、疏勒县院", DueOn: day(12, 0)}}},
		{Kind: KindMeeting, HeldOn: day(11, 8), Place: "线上（视频会议）", Participants: "两地院领导、案管办负责人",
			Agreed:    "年度总结：确定第二年目标，重点培养骨干与导师。",
			FollowUps: []FollowUpInput{{Item: "制定第二年援助工作计划", Owner: "株洲市院案管办", DueOn: day(12, 20)}}},
	}
	for _, a := range activities {
		if _, err := s.AddActivity(ctx, r, res.PairingID, a); err != nil {
			return res, fmt.Errorf("aid demo: activity %s: %w", a.HeldOn, err)
		}
		res.Activities++
	}
	entries := []EntryInput{
		{Kind: EntryAllocation, EntryOn: day(0, 5), AmountFen: 50_000_000, Purpose: "首年援助专项资金拨付"},
		{Kind: EntryExpenditure, EntryOn: day(0, 16), AmountFen: 1_286_000, Purpose: "首次走访差旅费"},
		{Kind: EntryExpenditure, EntryOn: day(1, 25), AmountFen: 350_000, Purpose: "第一期线上培训平台费用"},
		{Kind: EntryExpenditure, EntryOn: day(4, 30), AmountFen: 2_418_050, Purpose: "跟岗学习人员往返交通及食宿"},
		{Kind: EntryAllocation, EntryOn: day(6, 1), AmountFen: 20_000_000, Purpose: "信息化建设追加资金"},
		{Kind: EntryExpenditure, EntryOn: day(6, 20), AmountFen: 15_800_000, Purpose: "案管工作站及扫描设备采购"},
		{Kind: EntryExpenditure, EntryOn: day(9, 15), AmountFen: 862_500, Purpose: "第三期培训场地及资料印制"},
	}
	for _, e := range entries {
		if _, err := s.AddEntry(ctx, r, res.PairingID, e); err != nil {
			return res, fmt.Errorf("aid demo: fund entry %s: %w", e.EntryOn, err)
		}
		res.Entries++
	}
	return res, nil
}
