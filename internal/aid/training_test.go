package aid_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

var trainingTables = []string{"aid_courses", "aid_sessions", "aid_attendance", "aid_materials", "aid_attachments",
	"aid_completions", "aid_quizzes", "aid_quiz_attempts", "aid_evidence"}

func (e *env) trainingCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range trainingTables {
		var n int
		if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM ` + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func (e *env) trainingUnchanged(t *testing.T, what string, before map[string]int) {
	t.Helper()
	after := e.trainingCounts(t)
	for _, tb := range trainingTables {
		if before[tb] != after[tb] {
			t.Errorf("%s: %s rows %d → %d", what, tb, before[tb], after[tb])
		}
	}
}

func (e *env) evidenceOf(t *testing.T, username, kind string) []aid.Evidence {
	t.Helper()
	es, err := e.db.AidEvidence(context.Background(), []int64{e.f.User(t, username).ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []aid.Evidence
	for _, ev := range es {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// A course of two sessions: attending both completes it, and the
// completion is training evidence in the course's area, recorded once.
func TestTrainingCompletionBecomesEvidence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "b_case_manager")
		cid, err := e.svc.CreateCourse(ctx, cm, id, aid.CourseInput{Title: "流程监控专题", Area: "monitoring", Trainer: "测case_manager",
			Mode: aid.ModeOffline, Description: "监控规则与通知书"})
		if err != nil {
			t.Fatal(err)
		}
		s1, err := e.svc.AddSession(ctx, cm, cid, aid.SessionInput{OnDate: "2026-02-02", StartTime: "09:00", EndTime: "12:00",
			Mode: aid.ModeOffline, Venue: "甲县院会议室"})
		if err != nil {
			t.Fatal(err)
		}
		s2, err := e.svc.AddSession(ctx, cm, cid, aid.SessionInput{OnDate: "2026-02-09", StartTime: "14:30", EndTime: "17:00",
			Mode: aid.ModeOnline, Venue: "https://meeting.example/abc"})
		if err != nil {
			t.Fatal(err)
		}
		p1, p2 := e.f.User(t, "a_prosecutor").ID, e.f.User(t, "a_prosecutor2").ID
		if n, err := e.svc.MarkAttendance(ctx, cm, s1, []int64{p1, p2}); err != nil || n != 0 {
			t.Fatalf("first session: %d completed, %v", n, err)
		}
		if len(e.evidenceOf(t, "a_prosecutor", aid.EvidenceTraining)) != 0 {
			t.Fatal("evidence after one of two sessions")
		}
		if n, err := e.svc.MarkAttendance(ctx, cm, s2, []int64{p1}); err != nil || n != 1 {
			t.Fatalf("second session: %d completed, %v", n, err)
		}
		ev := e.evidenceOf(t, "a_prosecutor", aid.EvidenceTraining)
		if len(ev) != 1 || ev[0].Area != "monitoring" || ev[0].OnDate != "2026-02-09" || !strings.Contains(ev[0].Note, "流程监控专题") {
			t.Fatalf("training evidence %+v", ev)
		}
		if len(e.evidenceOf(t, "a_prosecutor2", aid.EvidenceTraining)) != 0 {
			t.Error("a_prosecutor2 missed the second session but has evidence")
		}
		// Marking again (adding a_prosecutor2) completes a_prosecutor2,
		// not a_prosecutor a second time.
		if n, err := e.svc.MarkAttendance(ctx, cm, s2, []int64{p1, p2}); err != nil || n != 1 {
			t.Fatalf("remark: %d completed, %v", n, err)
		}
		if len(e.evidenceOf(t, "a_prosecutor", aid.EvidenceTraining)) != 1 || len(e.evidenceOf(t, "a_prosecutor2", aid.EvidenceTraining)) != 1 {
			t.Error("completion recorded twice or not at all")
		}
		cv, err := e.svc.Course(ctx, e.req(t, "a_prosecutor3"), cid)
		if err != nil {
			t.Fatal(err)
		}
		if len(cv.Course.Sessions) != 2 || len(cv.Course.Completions) != 2 || !cv.Course.Completed(p1) || cv.Course.Completed(e.f.User(t, "a_prosecutor3").ID) {
			t.Errorf("course %+v", cv.Course)
		}
		// Audited: the view and each write.
		var n int
		if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action IN ('aid.course.create', 'aid.session.add',
			'aid.attendance.mark', 'aid.course.view')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1+2+3+1 {
			t.Errorf("%d audit entries, want 7", n)
		}
	})
}

// Bad input is refused naming the field, and nothing is written.
func TestTrainingBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "a_case_manager")
		course := aid.CourseInput{Title: "数据监管", Area: "data", Trainer: "张老师", Mode: aid.ModeOnline}
		cid, err := e.svc.CreateCourse(ctx, cm, id, course)
		if err != nil {
			t.Fatal(err)
		}
		future, err := e.svc.AddSession(ctx, cm, cid, aid.SessionInput{OnDate: "2026-06-01", StartTime: "09:00", EndTime: "10:00",
			Mode: aid.ModeOnline, Venue: "视频会议"})
		if err != nil {
			t.Fatal(err)
		}
		with := func(f func(*aid.CourseInput)) aid.CourseInput { c := course; f(&c); return c }
		session := aid.SessionInput{OnDate: "2026-03-01", StartTime: "09:00", EndTime: "11:00", Mode: aid.ModeOffline, Venue: "会议室"}
		sess := func(f func(*aid.SessionInput)) aid.SessionInput { s := session; f(&s); return s }
		pdf := append([]byte("%PDF-1.4\n"), make([]byte, 100)...)
		before := e.trainingCounts(t)
		for _, c := range []struct {
			name, field, key string
			do               func() error
		}{
			{"empty title", "title", "err.required", func() error {
				_, err := e.svc.CreateCourse(ctx, cm, id, with(func(c *aid.CourseInput) { c.Title = "  " }))
				return err
			}},
			{"unknown area", "area", "err.aid_area_invalid", func() error {
				_, err := e.svc.CreateCourse(ctx, cm, id, with(func(c *aid.CourseInput) { c.Area = "cooking" }))
				return err
			}},
			{"unknown mode", "mode", "err.aid_mode_invalid", func() error {
				_, err := e.svc.CreateCourse(ctx, cm, id, with(func(c *aid.CourseInput) { c.Mode = "hybrid" }))
				return err
			}},
			{"session before the period", "on_date", "err.aid_outside_period", func() error {
				_, err := e.svc.AddSession(ctx, cm, cid, sess(func(s *aid.SessionInput) { s.OnDate = "2025-12-31" }))
				return err
			}},
			{"session after the period", "on_date", "err.aid_outside_period", func() error {
				_, err := e.svc.AddSession(ctx, cm, cid, sess(func(s *aid.SessionInput) { s.OnDate = "2027-01-01" }))
				return err
			}},
			{"bad time", "start_time", "err.aid_time_invalid", func() error {
				_, err := e.svc.AddSession(ctx, cm, cid, sess(func(s *aid.SessionInput) { s.StartTime = "9点" }))
				return err
			}},
			{"end before start", "end_time", "err.aid_end_before_start_time", func() error {
				_, err := e.svc.AddSession(ctx, cm, cid, sess(func(s *aid.SessionInput) { s.EndTime = "08:00" }))
				return err
			}},
			{"no venue", "venue", "err.required", func() error {
				_, err := e.svc.AddSession(ctx, cm, cid, sess(func(s *aid.SessionInput) { s.Venue = "" }))
				return err
			}},
			{"oversize material", "material", "err.aid_file_too_large", func() error {
				_, err := e.svc.AddMaterial(ctx, cm, cid, &aid.Upload{Name: "大.pdf", Data: append(pdf, make([]byte, aid.MaxAttachmentBytes)...)})
				return err
			}},
			{"forbidden type", "material", "err.aid_file_type", func() error {
				_, err := e.svc.AddMaterial(ctx, cm, cid, &aid.Upload{Name: "课件.pdf", Data: []byte("MZ\x90\x00 an executable")})
				return err
			}},
			{"empty file", "material", "err.aid_file_empty", func() error {
				_, err := e.svc.AddMaterial(ctx, cm, cid, &aid.Upload{Name: "空.pdf"})
				return err
			}},
			{"attendance at a future session", "on_date", "err.aid_session_future", func() error {
				_, err := e.svc.MarkAttendance(ctx, cm, future, []int64{e.f.User(t, "a_prosecutor").ID})
				return err
			}},
			{"attendee outside the pairing", "attendees[0]", "err.aid_staff_unknown", func() error {
				s, err := e.svc.AddSession(ctx, cm, cid, session)
				if err != nil {
					t.Fatal(err)
				}
				before = e.trainingCounts(t) // the session above was meant
				_, err = e.svc.MarkAttendance(ctx, cm, s, []int64{e.f.User(t, "up_prosecutor").ID})
				return err
			}},
		} {
			assertField(t, c.do(), c.field, c.key)
			e.trainingUnchanged(t, c.name, before)
		}
		if _, err := e.svc.AddMaterial(ctx, cm, cid, &aid.Upload{Name: `C:\课件\第一讲.pdf`, Data: pdf}); err != nil {
			t.Fatal(err)
		}
		cv, err := e.svc.Course(ctx, cm, cid)
		if err != nil || len(cv.Course.Materials) != 1 || cv.Course.Materials[0].File.Name != "第一讲.pdf" {
			t.Fatalf("materials %+v %v", cv.Course.Materials, err)
		}
		att, data, err := e.svc.Material(ctx, e.req(t, "b_aid_partner"), cid, cv.Course.Materials[0].ID)
		if err != nil || att.ContentType != aid.TypePDF || len(data) != len(pdf) {
			t.Errorf("material %+v %d %v", att, len(data), err)
		}
	})
}

// A unit outside the pairing neither reads nor writes (not found); a
// reader of the pairing without a writing role may not write (forbidden)
// but may take a quiz.
func TestTrainingAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "a_case_manager")
		cid, err := e.svc.CreateCourse(ctx, cm, id, aid.CourseInput{Title: "受理", Area: "intake", Trainer: "李", Mode: aid.ModeOffline})
		if err != nil {
			t.Fatal(err)
		}
		sid, err := e.svc.AddSession(ctx, cm, cid, aid.SessionInput{OnDate: "2026-03-02", StartTime: "09:00", EndTime: "10:00",
			Mode: aid.ModeOffline, Venue: "会议室"})
		if err != nil {
			t.Fatal(err)
		}
		qid, err := e.svc.CreateQuiz(ctx, cm, id, aid.QuizInput{Title: "数据测验", Area: "data", Sources: []string{aid.QuizDataQuality}, Count: 5, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		outsider := e.as(e.unitC, access.CaseManager)
		reader := e.req(t, "a_prosecutor")
		before := e.trainingCounts(t)
		for _, c := range []struct {
			name string
			r    aid.Request
			do   func(r aid.Request) error
			want error
		}{
			{"outsider reads", outsider, func(r aid.Request) error { _, err := e.svc.Training(ctx, r, id); return err }, apperr.ErrNotFound},
			{"outsider opens the course", outsider, func(r aid.Request) error { _, err := e.svc.Course(ctx, r, cid); return err }, apperr.ErrNotFound},
			{"outsider creates", outsider, func(r aid.Request) error {
				_, err := e.svc.CreateCourse(ctx, r, id, aid.CourseInput{Title: "x", Area: "intake", Trainer: "x", Mode: aid.ModeOnline})
				return err
			}, apperr.ErrNotFound},
			{"outsider marks", outsider, func(r aid.Request) error {
				_, err := e.svc.MarkAttendance(ctx, r, sid, []int64{e.f.User(t, "a_prosecutor").ID})
				return err
			}, apperr.ErrNotFound},
			{"outsider opens the quiz", outsider, func(r aid.Request) error { _, _, _, err := e.svc.Quiz(ctx, r, qid); return err }, apperr.ErrNotFound},
			{"outsider takes the quiz", outsider, func(r aid.Request) error { _, err := e.svc.Submit(ctx, r, qid, []int{0, 0, 0, 0, 0}); return err }, apperr.ErrNotFound},
			{"prosecutor creates", reader, func(r aid.Request) error {
				_, err := e.svc.CreateCourse(ctx, r, id, aid.CourseInput{Title: "x", Area: "intake", Trainer: "x", Mode: aid.ModeOnline})
				return err
			}, apperr.ErrForbidden},
			{"prosecutor adds a session", reader, func(r aid.Request) error {
				_, err := e.svc.AddSession(ctx, r, cid, aid.SessionInput{OnDate: "2026-03-02", StartTime: "09:00", EndTime: "10:00", Mode: aid.ModeOffline, Venue: "x"})
				return err
			}, apperr.ErrForbidden},
			{"prosecutor marks", reader, func(r aid.Request) error {
				_, err := e.svc.MarkAttendance(ctx, r, sid, []int64{e.f.User(t, "a_prosecutor").ID})
				return err
			}, apperr.ErrForbidden},
			{"prosecutor uploads", reader, func(r aid.Request) error {
				_, err := e.svc.AddMaterial(ctx, r, cid, &aid.Upload{Name: "a.pdf", Data: []byte("%PDF-1.4")})
				return err
			}, apperr.ErrForbidden},
			{"prosecutor makes a quiz", reader, func(r aid.Request) error {
				_, err := e.svc.CreateQuiz(ctx, r, id, aid.QuizInput{Title: "x", Area: "data", Sources: []string{aid.QuizDataQuality}, Count: 1})
				return err
			}, apperr.ErrForbidden},
			{"a system token takes the quiz", e.as(e.f.UnitA, access.CaseManager), func(r aid.Request) error {
				_, err := e.svc.Submit(ctx, r, qid, []int{0, 0, 0, 0, 0})
				return err
			}, apperr.ErrForbidden},
			{"missing course", cm, func(r aid.Request) error { _, err := e.svc.Course(ctx, r, 987654); return err }, apperr.ErrNotFound},
		} {
			if err := c.do(c.r); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		e.trainingUnchanged(t, "refused", before)
		if _, err := e.svc.Training(ctx, e.req(t, "b_aid_partner"), id); err != nil {
			t.Errorf("aiding partner reads: %v", err)
		}
		if _, err := e.svc.Training(ctx, e.req(t, "up_upper_supervisor"), id); err != nil {
			t.Errorf("upper supervisor reads: %v", err)
		}
	})
}

// A quiz marks an attempt as computed by hand; the first passing attempt
// becomes quiz evidence, later ones do not; bad answers write nothing.
func TestQuizAttempts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		cm := e.req(t, "b_case_manager")
		in := aid.QuizInput{Title: "期限与监控", Area: "monitoring", Sources: []string{aid.QuizDeadline, aid.QuizMonitor}, Count: 5, Seed: 2026}
		before := e.trainingCounts(t)
		for _, c := range []struct {
			name, field, key string
			mod              func(*aid.QuizInput)
		}{
			{"no title", "title", "err.required", func(q *aid.QuizInput) { q.Title = "" }},
			{"unknown area", "area", "err.aid_area_invalid", func(q *aid.QuizInput) { q.Area = "x" }},
			{"no source", "sources", "err.required", func(q *aid.QuizInput) { q.Sources = nil }},
			{"unknown source", "sources", "err.aid_source_invalid", func(q *aid.QuizInput) { q.Sources = []string{"gossip"} }},
			{"zero questions", "count", "err.aid_count_range", func(q *aid.QuizInput) { q.Count = 0 }},
			{"pass mark over 100", "pass_mark", "err.aid_pass_mark_range", func(q *aid.QuizInput) { q.PassMark = 101 }},
			{"too few in the area", "count", "err.aid_quiz_too_few", func(q *aid.QuizInput) { q.Area = "analysis" }},
		} {
			q := in
			q.Sources = append([]string(nil), in.Sources...)
			c.mod(&q)
			_, err := e.svc.CreateQuiz(ctx, cm, id, q)
			assertField(t, err, c.field, c.key)
		}
		e.trainingUnchanged(t, "refused quizzes", before)
		qid, err := e.svc.CreateQuiz(ctx, cm, id, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.CreateQuiz(ctx, cm, id, in)
		if err != nil {
			t.Fatal(err)
		}
		_, q, _, err := e.svc.Quiz(ctx, e.req(t, "a_prosecutor"), qid)
		if err != nil || len(q.Questions) != 5 || q.PassMark != aid.DefaultPassMark {
			t.Fatalf("quiz %+v %v", q, err)
		}
		_, q2, _, _ := e.svc.Quiz(ctx, cm, again)
		for i := range q.Questions {
			if q.Questions[i].Stem != q2.Questions[i].Stem || q.Questions[i].Answer != q2.Questions[i].Answer {
				t.Errorf("question %d differs for the same seed", i)
			}
		}
		right := make([]int, 5)
		for i, qq := range q.Questions {
			right[i] = qq.Answer
		}
		wrong := func(n int) []int { // n answers wrong
			out := append([]int(nil), right...)
			for i := range n {
				out[i] = (out[i] + 1) % aid.QuizOptions
			}
			return out
		}
		taker := e.req(t, "a_prosecutor")
		// Bad answers: refused, nothing written.
		before = e.trainingCounts(t)
		_, err = e.svc.Submit(ctx, taker, qid, []int{0, 1})
		assertField(t, err, "answers", "err.aid_answers_count")
		_, err = e.svc.Submit(ctx, taker, qid, []int{right[0], -1, right[2], right[3], right[4]})
		assertField(t, err, "answers[1]", "err.aid_answer_required")
		e.trainingUnchanged(t, "bad answers", before)
		// 3 of 5 = 60: failed, no evidence.
		a, err := e.svc.Submit(ctx, taker, qid, wrong(2))
		if err != nil || a.Correct != 3 || a.Score != 60 || a.Passed || a.EvidenceID != 0 {
			t.Fatalf("3 of 5: %+v %v", a, err)
		}
		// 4 of 5 = 80: passes the default mark, evidence in the quiz's area.
		a, err = e.svc.Submit(ctx, taker, qid, wrong(1))
		if err != nil || a.Score != 80 || !a.Passed || a.EvidenceID == 0 {
			t.Fatalf("4 of 5: %+v %v", a, err)
		}
		ev := e.evidenceOf(t, "a_prosecutor", aid.EvidenceQuiz)
		if len(ev) != 1 || ev[0].Area != "monitoring" || ev[0].ID != a.EvidenceID || !strings.Contains(ev[0].Note, "80") {
			t.Fatalf("quiz evidence %+v", ev)
		}
		// 5 of 5: passes again, no second evidence.
		a, err = e.svc.Submit(ctx, taker, qid, right)
		if err != nil || a.Score != 100 || !a.Passed || a.EvidenceID != 0 {
			t.Fatalf("5 of 5: %+v %v", a, err)
		}
		if n := len(e.evidenceOf(t, "a_prosecutor", aid.EvidenceQuiz)); n != 1 {
			t.Errorf("%d quiz evidence, want 1", n)
		}
		_, q, as, err := e.svc.Quiz(ctx, cm, qid)
		if err != nil || len(as) != 3 || q.Attempts != 3 || q.Passed != 1 {
			t.Errorf("attempts %d, quiz %+v %v", len(as), q, err)
		}
		_, _, got, err := e.svc.Attempt(ctx, e.req(t, "b_aid_partner"), as[0].ID)
		if err != nil || got.Score != 100 || len(got.Answers) != 5 {
			t.Errorf("attempt %+v %v", got, err)
		}
		// A stricter quiz: 4 of 5 fails a mark of 90.
		strict := in
		strict.PassMark = 90
		sid, err := e.svc.CreateQuiz(ctx, cm, id, strict)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := e.svc.Submit(ctx, taker, sid, wrong(1)); err != nil || a.Passed {
			t.Errorf("80 against 90: %+v %v", a, err)
		}
	})
}
