package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// trainingFixture is a course of the fixture pairing with one held
// session attended by a_prosecutor (who so completed it), a PDF material,
// a quiz and a_prosecutor's attempt at it.
type trainingFixture struct{ pairing, course, session, material, quiz, attempt int64 }

func seedTraining(t *testing.T, e *env, pairing int64) trainingFixture {
	t.Helper()
	ctx := context.Background()
	svc := e.f.App.Aid
	cm := aid.Request(e.f.Request(t, "b_case_manager"))
	tf := trainingFixture{pairing: pairing}
	var err error
	if tf.course, err = svc.CreateCourse(ctx, cm, pairing, aid.CourseInput{Title: "流程监控专题培训", Area: "monitoring",
		Trainer: "乙县院案管办", Mode: aid.ModeOffline, Description: "监控规则、通知书制作与回复"}); err != nil {
		t.Fatal(err)
	}
	if tf.session, err = svc.AddSession(ctx, cm, tf.course, aid.SessionInput{OnDate: "2026-02-10", StartTime: "09:00",
		EndTime: "11:30", Mode: aid.ModeOffline, Venue: "甲县人民检察院会议室"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MarkAttendance(ctx, cm, tf.session, []int64{e.f.User(t, "a_prosecutor").ID}); err != nil {
		t.Fatal(err)
	}
	if tf.material, err = svc.AddMaterial(ctx, cm, tf.course, &aid.Upload{Name: "讲义.pdf", Data: []byte("%PDF-1.4\n讲义")}); err != nil {
		t.Fatal(err)
	}
	if tf.quiz, err = svc.CreateQuiz(ctx, cm, pairing, aid.QuizInput{Title: "流程监控测验", Area: "monitoring",
		Sources: []string{aid.QuizDeadline, aid.QuizMonitor}, Count: 3, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	_, q, _, err := svc.Quiz(ctx, cm, tf.quiz)
	if err != nil {
		t.Fatal(err)
	}
	right := []int{q.Questions[0].Answer, q.Questions[1].Answer, (q.Questions[2].Answer + 1) % aid.QuizOptions}
	a, err := svc.Submit(ctx, aid.Request(e.f.Request(t, "a_prosecutor")), tf.quiz, right)
	if err != nil {
		t.Fatal(err)
	}
	tf.attempt = a.ID
	return tf
}

// matrixObject fills the path parameters of the training routes.
func (tf trainingFixture) matrixObject(p string) (string, string, bool) {
	switch {
	case strings.HasPrefix(p, "/aid/courses/"):
		return itoa(tf.course), strings.Replace(p, "{material}", itoa(tf.material), 1), true
	case strings.HasPrefix(p, "/aid/sessions/"):
		return itoa(tf.session), p, true
	case strings.HasPrefix(p, "/aid/quizzes/"):
		return itoa(tf.quiz), p, true
	case strings.HasPrefix(p, "/aid/attempts/"):
		return itoa(tf.attempt), p, true
	}
	return "", "", false
}

func trainingVisits(tf trainingFixture) []pageVisit {
	return []pageVisit{
		{"aid_training", "b_case_manager", "/aid/pairings/" + itoa(tf.pairing) + "/training", 200, []string{"培训与测验", "流程监控专题培训",
			"1场", "1人结业", "流程监控测验", "1人次作答，0人及格", "新建培训课程", "生成测验", "案件质量评查项目"}},
		{"aid_training", "a_prosecutor", "/aid/pairings/" + itoa(tf.pairing) + "/training", 200, []string{"流程监控专题培训", "流程监控测验"}},
		{"aid_training_course", "b_case_manager", "/aid/courses/" + itoa(tf.course), 200, []string{"流程监控专题培训", "流程监控", "线下",
			"2026-02-10 09:00—11:30", "甲县人民检察院会议室", "1人参加", "保存签到", "讲义.pdf", "增加场次", "上传资料", "测prosecutor", "已登记为能力证据"}},
		{"aid_training_course", "a_prosecutor3", "/aid/courses/" + itoa(tf.course), 200, []string{"流程监控专题培训", "讲义.pdf"}},
		{"aid_training_quiz", "a_prosecutor2", "/aid/quizzes/" + itoa(tf.quiz), 200, []string{"流程监控测验", "办案期限规则、流程监控规则",
			"3题", "及格80分", "第1题", "交卷", "测prosecutor", "67（2/3）", "不及格"}},
		{"aid_training_attempt", "b_aid_partner", "/aid/attempts/" + itoa(tf.attempt), 200, []string{"测prosecutor：答对2/3题，得分67分（及格线80分）",
			"正确答案", "所选答案", "解析（法律依据）", "错误"}},
	}
}

// TestAidTrainingForms: the forms refuse bad input naming the field with
// nothing written; a course, a session, attendance, a material, a quiz
// and an attempt go through the pages; a unit outside sees none of it.
func TestAidTrainingForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		af := seedAid(t, e)
		base := "/aid/pairings/" + itoa(af.pairing)
		c := e.login(t, "a_case_manager")
		count := func() int {
			var n int
			if err := db.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM aid_courses) + (SELECT COUNT(*) FROM aid_sessions) +
				(SELECT COUNT(*) FROM aid_attendance) + (SELECT COUNT(*) FROM aid_materials) + (SELECT COUNT(*) FROM aid_attachments) +
				(SELECT COUNT(*) FROM aid_quizzes) + (SELECT COUNT(*) FROM aid_quiz_attempts) + (SELECT COUNT(*) FROM aid_evidence)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		page := c.get(base + "/training")
		for _, w := range []string{"培训与测验", "流程监控专题培训", "1场", "1人结业", "流程监控测验", "3题", "1人次作答，0人及格", "新建培训课程", "生成测验", "数据质量规则"} {
			if !strings.Contains(page.body, w) {
				t.Errorf("training page lacks %q", w)
			}
		}
		upload := func(course int64, name string, data []byte) response {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			w, _ := mw.CreateFormFile("material", name)
			_, _ = w.Write(data)
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, c.base+"/aid/courses/"+itoa(course)+"/materials", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return c.do(req)
		}
		course := url.Values{"title": {"数据监管"}, "area": {"data"}, "trainer": {"张老师"}, "mode": {"online"}}
		with := func(v url.Values, k, val string) url.Values {
			out := url.Values{}
			for kk, vv := range v {
				out[kk] = vv
			}
			out.Set(k, val)
			return out
		}
		tf := af.training
		before := count()
		for _, bad := range []struct {
			name, path string
			form       url.Values
			want       string
		}{
			{"empty title", base + "/courses", with(course, "title", " "), "标题：必填"},
			{"unknown area", base + "/courses", with(course, "area", "cooking"), "能力领域：不是有效的能力领域"},
			{"session outside the period", "/aid/courses/" + itoa(tf.course) + "/sessions", url.Values{"on_date": {"2027-01-05"},
				"start_time": {"09:00"}, "end_time": {"10:00"}, "mode": {"online"}, "venue": {"视频会议"}}, "日期：应在结对期间内（2026-01-01至2026-12-31）"},
			{"end before start", "/aid/courses/" + itoa(tf.course) + "/sessions", url.Values{"on_date": {"2026-03-05"},
				"start_time": {"10:00"}, "end_time": {"09:00"}, "mode": {"online"}, "venue": {"视频会议"}}, "结束时间：应晚于开始时间"},
			{"nobody ticked", "/aid/sessions/" + itoa(tf.session) + "/attendance", url.Values{"course_id": {itoa(tf.course)}}, "参加人员：请至少选择一名参加人员"},
			{"quiz without source", base + "/quizzes", url.Values{"title": {"测验"}, "area": {"data"}, "count": {"5"}}, "题目来源：必填"},
			{"quiz too long", base + "/quizzes", url.Values{"title": {"测验"}, "area": {"evaluation"}, "sources": {"evaluation"}, "count": {"500"}},
				"题目数量：应为1至50之间的整数"},
			{"unanswered", "/aid/quizzes/" + itoa(tf.quiz) + "/attempts", url.Values{"questions": {"3"}, "q0": {"1"}, "q2": {"0"}}, "作答：第2题未作答"},
		} {
			r := c.post(bad.path, bad.form)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, bad.want) {
				t.Errorf("%s: status %d, want 422 with %q\n%s", bad.name, r.status, bad.want, excerpt(r.body))
			}
			noMissingKeys(t, bad.name, r)
		}
		for _, bad := range []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"forbidden type", "课件.pdf", []byte("MZ\x90\x00program"), "培训资料：只接受PDF、JPEG、PNG、XLSX或DOCX文件"},
			{"over the limit", "大.pdf", append([]byte("%PDF-1.4"), make([]byte, aid.MaxAttachmentBytes)...), "培训资料：文件大小10.0MB，超过10MB的上限"},
		} {
			r := upload(tf.course, bad.file, bad.data)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, bad.want) {
				t.Errorf("%s: status %d, want 422 with %q\n%s", bad.name, r.status, bad.want, excerpt(r.body))
			}
		}
		if n := count(); n != before {
			t.Errorf("refused forms wrote rows: %d → %d", before, n)
		}
		// The round trip: a course, a session, attendance, a material.
		r := c.post(base+"/courses", course)
		if r.status != http.StatusSeeOther {
			t.Fatalf("course: %d\n%s", r.status, excerpt(r.body))
		}
		cpath := strings.SplitN(r.location(), "?", 2)[0]
		if r := c.post(cpath+"/sessions", url.Values{"on_date": {"2026-03-02"}, "start_time": {"15:00"}, "end_time": {"17:00"},
			"mode": {"online"}, "venue": {"https://meeting.example/x"}}); r.status != http.StatusSeeOther {
			t.Fatalf("session: %d\n%s", r.status, excerpt(r.body))
		}
		cid := strings.TrimPrefix(cpath, "/aid/courses/")
		sid := regexp.MustCompile(`action="/aid/sessions/(\d+)/attendance"`).FindStringSubmatch(c.get(cpath).body)
		if sid == nil {
			t.Fatal("no attendance form")
		}
		if r := c.post("/aid/sessions/"+sid[1]+"/attendance", url.Values{"course_id": {cid},
			"attendees": {itoa(e.f.User(t, "a_prosecutor2").ID)}}); r.status != http.StatusSeeOther {
			t.Fatalf("attendance: %d\n%s", r.status, excerpt(r.body))
		}
		r = upload(mustID(t, cid), "第一讲.png", []byte("\x89PNG\r\n\x1a\nxxxx"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("material: %d\n%s", r.status, excerpt(r.body))
		}
		pg := c.get(cpath)
		for _, w := range []string{"2026-03-02 15:00—17:00", "https://meeting.example/x", "1人参加", "第一讲.png", "测检察官二"} {
			if !strings.Contains(pg.body, w) {
				t.Errorf("course page lacks %q", w)
			}
		}
		if m := c.get("/aid/courses/" + itoa(tf.course) + "/materials/" + itoa(tf.material)); m.status != 200 || m.header.Get("Content-Type") != aid.TypePDF {
			t.Errorf("material download: %d %s", m.status, m.header.Get("Content-Type"))
		}
		// A quiz made and taken on the forms; all right passes and is evidence.
		r = c.post(base+"/quizzes", url.Values{"title": {"数据质量测验"}, "area": {"data"}, "sources": {"dataquality"}, "count": {"4"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("quiz: %d\n%s", r.status, excerpt(r.body))
		}
		qpath := strings.SplitN(r.location(), "?", 2)[0]
		qid := mustID(t, strings.TrimPrefix(qpath, "/aid/quizzes/"))
		_, q, _, err := e.f.App.Aid.Quiz(context.Background(), aid.Request(e.f.Request(t, "a_case_manager")), qid)
		if err != nil {
			t.Fatal(err)
		}
		taker := e.login(t, "a_prosecutor3")
		form := url.Values{"questions": {"4"}}
		for i, qq := range q.Questions {
			form.Set("q"+itoa(int64(i)), itoa(int64(qq.Answer)))
		}
		r = taker.post(qpath+"/attempts", form)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/aid/attempts/") {
			t.Fatalf("attempt: %d %s\n%s", r.status, r.location(), excerpt(r.body))
		}
		res := taker.get(r.location())
		for _, w := range []string{"答对4/4题，得分100分（及格线80分）", "及格", "已登记为能力证据", "解析（法律依据）", q.Questions[0].Explanation} {
			if !strings.Contains(res.body, w) {
				t.Errorf("result lacks %q", w)
			}
		}
		// Outside the pairing: not found.
		out := e.login(t, "up_case_manager")
		for _, p := range []string{base + "/training", cpath, qpath, r.location()} {
			if r := out.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s as up_case_manager: %d", p, r.status)
			}
		}
		if r := out.post(qpath+"/attempts", form); r.status != http.StatusNotFound {
			t.Errorf("outsider attempt: %d", r.status)
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is not an id", s)
		}
		n = n*10 + int64(r-'0')
	}
	return n
}
