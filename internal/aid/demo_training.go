package aid

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// DemoTrainingResult counts what the training demo wrote.
type DemoTrainingResult struct {
	Courses, Sessions, Completions, Materials, Quizzes, Attempts int
}

// demoCourses are the three trainings of the demo's activity log (第一期
// on line, 第二期 job shadowing at Zhuzhou, 第三期 at Kashgar), each in two
// sittings; month and day count from the pairing's start, attendees are
// demo usernames (a missing second sitting is a course not completed).
var demoCourses = []struct {
	in       CourseInput
	sessions []struct {
		month, day  int
		from, to    string
		mode, venue string
		attendees   []string
	}
}{
	{CourseInput{Title: "第一期：受理审查与统一受案号、程序性期限计算", Area: "intake", Trainer: "株洲市人民检察院案管办刘某某", Mode: ModeOnline,
		Description: "受理审查五项内容、统一受案号与部门受案号、期限起算与节假日顺延，结合系统的期限计算器演示。"},
		[]struct {
			month, day  int
			from, to    string
			mode, venue string
			attendees   []string
		}{
			{1, 20, "09:30", "12:00", ModeOnline, "视频会议系统（株洲主会场，喀什、疏勒分会场）", []string{"kashi_cm", "kashi_cm2", "shule_cm", "shule_cm2", "kashi_pros1"}},
			{1, 21, "09:30", "12:00", ModeOnline, "视频会议系统（株洲主会场，喀什、疏勒分会场）", []string{"kashi_cm", "kashi_cm2", "shule_cm", "kashi_pros1"}},
		}},
	{CourseInput{Title: "第二期（跟岗）：案件质量评查全流程与评查报告撰写", Area: "evaluation", Trainer: "株洲市石峰区人民检察院案管办", Mode: ModeOffline,
		Description: "跟岗学习：评查案件选取、逐项评查、评查结论与等次、评查报告撰写，每人完成3件评查。"},
		[]struct {
			month, day  int
			from, to    string
			mode, venue string
			attendees   []string
		}{
			{4, 18, "09:00", "17:30", ModeOffline, "株洲市人民检察院案件管理办公室", []string{"kashi_cm", "shule_cm"}},
			{4, 19, "09:00", "17:30", ModeOffline, "株洲市石峰区人民检察院案件管理办公室", []string{"kashi_cm", "shule_cm"}},
		}},
	{CourseInput{Title: "第三期：业务数据监管与统计分析研判", Area: "data", Trainer: "株洲市人民检察院案管办刘某某", Mode: ModeOffline,
		Description: "数据质量规则库、问题清单的整改与核销、案卡准确率通报、统计分析报告的写法。"},
		[]struct {
			month, day  int
			from, to    string
			mode, venue string
			attendees   []string
		}{
			{9, 12, "10:00", "13:00", ModeOffline, "喀什市人民检察院三楼会议室", []string{"kashi_cm", "kashi_cm2", "shule_cm", "shule_cm2"}},
			{9, 12, "15:30", "18:30", ModeOffline, "喀什市人民检察院三楼会议室", []string{"kashi_cm", "kashi_cm2", "shule_cm2"}},
		}},
}

// demoQuizzes are the demo's quizzes with who took them and how many
// answers each got wrong, in the order they were taken.
var demoQuizzes = []struct {
	in       QuizInput
	attempts []struct {
		user  string
		wrong int
	}
}{
	{QuizInput{Title: "数据质量规则测验", Area: "data", Sources: []string{QuizDataQuality, QuizMonitor}, Count: 10, Seed: 20250912},
		[]struct {
			user  string
			wrong int
		}{{"kashi_cm2", 1}, {"shule_cm2", 4}, {"shule_cm2", 2}, {"kashi_cm", 0}}},
	{QuizInput{Title: "办案期限与流程监控测验", Area: "monitoring", Sources: []string{QuizDeadline, QuizMonitor}, Count: 8, Seed: 20250121},
		[]struct {
			user  string
			wrong int
		}{{"kashi_pros1", 1}, {"shule_cm", 3}}},
}

// DemoTraining writes the demo pairing's training: the three courses of
// the activity log with their sittings and attendance (completions become
// evidence as they would for anyone), a material, and two quizzes with
// attempts. users maps demo usernames to ids (missing ones are skipped).
// Nothing is written when the pairing already has a course.
func (s *Service) DemoTraining(ctx context.Context, pairingID int64, users map[string]int64) (DemoTrainingResult, error) {
	r := systemRequest("seed")
	var res DemoTrainingResult
	pr, err := s.store.AidPairing(ctx, pairingID)
	if err != nil {
		return res, err
	}
	if cs, err := s.store.AidCourses(ctx, pairingID); err != nil || len(cs) > 0 {
		return res, err
	}
	start, err := time.Parse(time.DateOnly, pr.StartOn)
	if err != nil {
		return res, err
	}
	ids := func(names []string) []int64 {
		var out []int64
		for _, n := range names {
			if id := users[n]; id != 0 {
				out = append(out, id)
			}
		}
		return out
	}
	var lastCourse int64
	for _, c := range demoCourses {
		cid, err := s.CreateCourse(ctx, r, pairingID, c.in)
		if err != nil {
			return res, fmt.Errorf("aid demo: course: %w", err)
		}
		res.Courses++
		lastCourse = cid
		for _, ss := range c.sessions {
			day := start.AddDate(0, ss.month, ss.day).Format(time.DateOnly)
			sid, err := s.AddSession(ctx, r, cid, SessionInput{OnDate: day, StartTime: ss.from, EndTime: ss.to, Mode: ss.mode, Venue: ss.venue})
			if err != nil {
				return res, fmt.Errorf("aid demo: session %s: %w", day, err)
			}
			res.Sessions++
			if who := ids(ss.attendees); len(who) > 0 && day <= s.Today() {
				n, err := s.MarkAttendance(ctx, r, sid, who)
				if err != nil {
					return res, fmt.Errorf("aid demo: attendance %s: %w", day, err)
				}
				res.Completions += n
			}
		}
	}
	if _, err := s.AddMaterial(ctx, r, lastCourse, &Upload{Name: "第三期培训讲义.pdf", Data: demoPDF("Anguan training: data supervision")}); err != nil {
		return res, fmt.Errorf("aid demo: material: %w", err)
	}
	res.Materials++
	for _, dq := range demoQuizzes {
		qid, err := s.CreateQuiz(ctx, r, pairingID, dq.in)
		if err != nil {
			return res, fmt.Errorf("aid demo: quiz: %w", err)
		}
		res.Quizzes++
		q, err := s.store.AidQuiz(ctx, qid)
		if err != nil {
			return res, err
		}
		for _, at := range dq.attempts {
			uid := users[at.user]
			if uid == 0 {
				continue
			}
			if err := s.demoAttempt(ctx, r, pr, q, uid, at.wrong); err != nil {
				return res, err
			}
			res.Attempts++
		}
	}
	return res, nil
}

// demoAttempt answers a quiz for a demo person with the given number of
// wrong answers, marked and recorded as Submit does (the seed acts as the
// system, which Submit refuses: only a person takes a quiz).
func (s *Service) demoAttempt(ctx context.Context, r Request, pr Pairing, q Quiz, userID int64, wrong int) error {
	answers := make([]int, len(q.Questions))
	for i, qq := range q.Questions {
		answers[i] = qq.Answer
		if i < wrong {
			answers[i] = (qq.Answer + 1) % len(qq.Options)
		}
	}
	correct, score, err := Score(q.Questions, answers)
	if err != nil {
		return err
	}
	a := Attempt{QuizID: q.ID, UserID: userID, Answers: answers, Correct: correct, Total: len(answers), Score: score,
		Passed: score >= q.PassMark}
	var ev *Evidence
	if a.Passed {
		ev = &Evidence{UserID: userID, Area: q.Area, Kind: EvidenceQuiz, OnDate: s.Today(),
			Note: s.t("ui.aid.training.quiz_note", q.Title, score, q.PassMark)}
	}
	_, err = s.store.AddAidAttempt(ctx, a, ev, r.record("aid.quiz.attempt", objPairing, pr.ID,
		fmt.Sprintf("quiz=%d user=%d score=%d passed=%t demo", q.ID, userID, score, a.Passed)))
	return err
}

// demoPDF is a one-page PDF with a line of text, small and valid (its
// cross-reference offsets are computed), for the demo's material.
func demoPDF(text string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	stream := fmt.Sprintf("BT /F1 18 Tf 72 760 Td (%s) Tj ET", text)
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
