package aid

import (
	"context"
	"fmt"
)

// demoLevels is the demo's talent pipeline one year into the programme:
// mentors at the Zhuzhou units, a backbone at 喀什市院 who can run case
// management alone, a second one a data-supervision confirmation away
// (the pending proposal), and 疏勒县院 still on its way.
var demoLevels = []struct {
	Username string
	Levels   map[string]string
}{
	{"zhuzhou_cm", map[string]string{"intake": "mentor", "assignment": "mentor", "monitoring": "mentor",
		"evaluation": "mentor", "data": "mentor", "analysis": "mentor", "disclosure": "mentor"}},
	{"shifeng_cm", map[string]string{"intake": "mentor", "assignment": "mentor", "monitoring": "mentor", "data": "mentor",
		"evaluation": "backbone"}},
	{"kashi_cm", map[string]string{"intake": "backbone", "assignment": "backbone", "monitoring": "backbone",
		"data": "backbone", "evaluation": "practitioner", "analysis": "practitioner"}},
	{"kashi_cm2", map[string]string{"intake": "backbone", "assignment": "backbone", "monitoring": "backbone",
		"data": "practitioner", "disclosure": "practitioner"}},
	{"shule_cm", map[string]string{"intake": "backbone", "assignment": "backbone", "monitoring": "practitioner",
		"data": "practitioner"}},
	{"shule_cm2", map[string]string{"intake": "practitioner", "assignment": "practitioner"}},
	{"kashi_pros1", map[string]string{"intake": "practitioner"}},
}

// DemoTalentResult counts what the talent demo wrote.
type DemoTalentResult struct {
	Levels, Evidence, Proposals, Mentorships, Questions int
}

// demoQuestions are the demo's Q&A: asked by the aided side, most of them
// answered by the Zhuzhou experts (the knowledge base), one still open.
var demoQuestions = []struct {
	asker, title, body, tags, expert, answer string
}{
	{"kashi_cm", "速裁案件受理后多久移送承办检察官", "公安机关建议适用速裁程序的案件，受理后应当在什么时间内移送？",
		"受理 速裁", "zhuzhou_cm", "应当在受理当日移送承办检察官（《人民检察院刑事诉讼规则》第二百七十三条）。系统的流程监控规则会对未当日移送的案件提示。"},
	{"shule_cm", "第三次退回补充侦查能否受理", "同一案件已两次退回补充侦查，侦查机关第三次移送后又要求退回，怎么处理？",
		"退查 流程监控", "shifeng_cm", "审查起诉阶段退回补充侦查以二次为限（刑事诉讼法第一百七十五条），系统会拒绝记录第三次退查；应当依法作出决定。"},
	{"kashi_cm2", "案卡“认罪认罚”与具结书日期不一致", "数据质量问题清单提示具结书签署日期早于受理日期，应如何更正？",
		"案卡 数据监管", "zhuzhou_cm", "核对卷宗中具结书原件的签署日期，在案卡中更正；若案卡正确而文书有误，应由承办检察官补正文书后再更正案卡。更正后问题会自动关闭。"},
	{"shule_cm2", "律师阅卷预约需要提交哪些材料", "辩护律师预约阅卷，案管办应当核验哪些证件和手续？", "律师接待", "", ""},
}

// DemoTalent writes the demo pairing's competencies: levels as they stand
// after a year (set as the system: the history before the framework),
// evidence, two mentor–trainee assignments across the units and one
// proposal pending a mentor's confirmation. users maps the demo usernames
// to ids (missing ones are skipped). Nothing is written when any of them
// already has a level.
func (s *Service) DemoTalent(ctx context.Context, pairingID int64, users map[string]int64) (DemoTalentResult, error) {
	r := systemRequest("seed")
	var res DemoTalentResult
	for _, p := range demoLevels {
		if id := users[p.Username]; id != 0 {
			st, err := s.store.AidStaffMember(ctx, id)
			if err != nil {
				return res, err
			}
			if len(st.Levels) > 0 {
				return res, nil
			}
		}
	}
	for _, p := range demoLevels {
		id := users[p.Username]
		if id == 0 {
			continue
		}
		for _, area := range []string{"intake", "assignment", "monitoring", "evaluation", "data", "analysis", "disclosure"} {
			if l, ok := p.Levels[area]; ok {
				if err := s.bootstrap(ctx, r, id, area, l); err != nil {
					return res, fmt.Errorf("aid demo: level %s %s: %w", p.Username, area, err)
				}
				res.Levels++
			}
		}
	}
	today := s.Today()
	evidence := []struct {
		user, area, kind, note string
	}{
		{"kashi_cm2", "data", EvidenceTraining, "参加第三期培训：业务数据监管与统计分析研判"},
		{"kashi_cm2", "data", EvidenceQuiz, "数据质量规则测验 92 分"},
		{"kashi_cm2", "data", EvidenceWork, "近3个月整改案卡问题31个，本院案卡准确率持续在95%以上"},
		{"shule_cm", "monitoring", EvidenceTraining, "跟岗学习：流程监控与监控通知书制作"},
		{"kashi_pros1", "intake", EvidenceQuiz, "受理审查与统一受案号测验 85 分"},
	}
	for _, e := range evidence {
		if users[e.user] == 0 {
			continue
		}
		if _, err := s.store.AddAidEvidence(ctx, Evidence{UserID: users[e.user], Area: e.area, Kind: e.kind, OnDate: today,
			Note: e.note}, r.record("aid.evidence.add", objPairing, pairingID, fmt.Sprintf("user=%d area=%s kind=%s",
			users[e.user], e.area, e.kind))); err != nil {
			return res, fmt.Errorf("aid demo: evidence: %w", err)
		}
		res.Evidence++
	}
	for _, m := range [][3]string{{"zhuzhou_cm", "kashi_cm2", "data"}, {"shifeng_cm", "shule_cm", "monitoring"}} {
		if users[m[0]] == 0 || users[m[1]] == 0 {
			continue
		}
		if _, err := s.store.CreateAidMentorship(ctx, Mentorship{PairingID: pairingID, MentorID: users[m[0]],
			TraineeID: users[m[1]], Area: m[2]}, 0, r.record("aid.mentorship.create", objPairing, pairingID,
			fmt.Sprintf("mentor=%d trainee=%d area=%s", users[m[0]], users[m[1]], m[2]))); err != nil {
			return res, fmt.Errorf("aid demo: mentorship: %w", err)
		}
		res.Mentorships++
	}
	for _, q := range demoQuestions {
		if users[q.asker] == 0 {
			continue
		}
		qid, err := s.store.CreateAidQuestion(ctx, Question{PairingID: pairingID, AskedBy: users[q.asker], Title: q.title,
			Body: q.body, Tags: splitTags(q.tags), Status: QuestionOpen}, r.record("aid.qa.ask", objPairing, pairingID, "demo"))
		if err != nil {
			return res, fmt.Errorf("aid demo: question: %w", err)
		}
		if users[q.expert] != 0 {
			if _, err := s.store.AddAidPost(ctx, qid, Post{AuthorID: users[q.expert], Kind: PostAnswer, Body: q.answer},
				r.record("aid.qa.answer", objPairing, pairingID, fmt.Sprintf("question=%d", qid))); err != nil {
				return res, fmt.Errorf("aid demo: answer: %w", err)
			}
		}
		res.Questions++
	}
	if id := users["kashi_cm2"]; id != 0 {
		p := Proposal{UserID: id, Area: "data", From: "practitioner", To: LevelBackbone, Status: ProposalPending,
			Reason: "导师刘某某带教一年：近3个月整改案卡问题31个，本院案卡准确率持续在95%以上，可独立开展数据监管工作。"}
		if _, err := s.store.CreateAidProposal(ctx, p, nil, r.record("aid.level.propose", objPairing, pairingID,
			fmt.Sprintf("user=%d area=%s %s→%s", p.UserID, p.Area, p.From, p.To))); err != nil {
			return res, fmt.Errorf("aid demo: proposal: %w", err)
		}
		res.Proposals++
	}
	return res, nil
}
