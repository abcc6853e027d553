package api_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
)

// trainingFixture is a course of the aid fixture's pairing with a held
// session, a material, and a quiz with an attempt, made once per env.
type trainingFixture struct{ course, session, material, quiz, attempt int64 }

var trainingFixtures sync.Map // *env → trainingFixture

func (e *env) training(t *testing.T) trainingFixture {
	t.Helper()
	if tf, ok := trainingFixtures.Load(e); ok {
		return tf.(trainingFixture)
	}
	ctx := context.Background()
	svc := e.f.App.Aid
	af := e.aid(t)
	cm := aid.Request(e.f.Request(t, "b_case_manager"))
	var tf trainingFixture
	var err error
	if tf.course, err = svc.CreateCourse(ctx, cm, af.pairing, aid.CourseInput{Title: "受理审查", Area: "intake", Trainer: "乙县院",
		Mode: aid.ModeOnline}); err != nil {
		t.Fatal(err)
	}
	if tf.session, err = svc.AddSession(ctx, cm, tf.course, aid.SessionInput{OnDate: "2026-03-10", StartTime: "09:00",
		EndTime: "10:00", Mode: aid.ModeOnline, Venue: "视频会议"}); err != nil {
		t.Fatal(err)
	}
	if tf.material, err = svc.AddMaterial(ctx, cm, tf.course, &aid.Upload{Name: "讲义.pdf", Data: []byte("%PDF-1.4\n")}); err != nil {
		t.Fatal(err)
	}
	if tf.quiz, err = svc.CreateQuiz(ctx, cm, af.pairing, aid.QuizInput{Title: "数据测验", Area: "data",
		Sources: []string{aid.QuizDataQuality}, Count: 4, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.Submit(ctx, aid.Request(e.f.Request(t, "a_prosecutor")), tf.quiz, e.quizAnswers(t, tf.quiz, 0))
	if err != nil {
		t.Fatal(err)
	}
	tf.attempt = a.ID
	trainingFixtures.Store(e, tf)
	return tf
}

// quizAnswers answers a quiz with the first wrong answers wrong.
func (e *env) quizAnswers(t *testing.T, quiz int64, wrong int) []int {
	t.Helper()
	_, q, _, err := e.f.App.Aid.Quiz(context.Background(), aid.Request(e.f.Request(t, "a_case_manager")), quiz)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int, len(q.Questions))
	for i, qq := range q.Questions {
		out[i] = qq.Answer
		if i < wrong {
			out[i] = (qq.Answer + 1) % aid.QuizOptions
		}
	}
	return out
}

func trainingMatrix() []routeCase {
	writers := append(aid.WriterRoles(), access.SysAdmin)
	pairing := func(suffix string, body func(e *env, t *testing.T) any) func(*testing.T, *env, string) (string, any) {
		return func(t *testing.T, e *env, _ string) (string, any) {
			p := "/api/v1/aid/pairings/" + itoa(e.aid(t).pairing) + suffix
			if body == nil {
				return p, nil
			}
			return p, body(e, t)
		}
	}
	obj := func(f func(tf trainingFixture) string, body func(e *env, t *testing.T) any) func(*testing.T, *env, string) (string, any) {
		return func(t *testing.T, e *env, _ string) (string, any) {
			p := f(e.training(t))
			if body == nil {
				return p, nil
			}
			return p, body(e, t)
		}
	}
	course := func(s string) func(trainingFixture) string {
		return func(tf trainingFixture) string { return "/api/v1/aid/courses/" + itoa(tf.course) + s }
	}
	return []routeCase{
		{pattern: "GET /api/v1/aid/pairings/{id}/training", ok: http.StatusOK, request: pairing("/training", nil)},
		{pattern: "POST /api/v1/aid/pairings/{id}/courses", allowed: writers, ok: http.StatusCreated,
			request: pairing("/courses", func(*env, *testing.T) any {
				return map[string]any{"title": "分案规则", "area": "assignment", "trainer": "张", "mode": "offline"}
			})},
		{pattern: "POST /api/v1/aid/pairings/{id}/quizzes", allowed: writers, ok: http.StatusCreated,
			request: pairing("/quizzes", func(*env, *testing.T) any {
				return map[string]any{"title": "评查测验", "area": "evaluation", "sources": []string{"evaluation"}, "count": 3}
			})},
		{pattern: "GET /api/v1/aid/courses/{id}", ok: http.StatusOK, request: obj(course(""), nil)},
		{pattern: "POST /api/v1/aid/courses/{id}/sessions", allowed: writers, ok: http.StatusCreated,
			request: obj(course("/sessions"), func(*env, *testing.T) any {
				return map[string]any{"on_date": "2026-04-01", "start_time": "14:00", "end_time": "16:00", "mode": "offline", "venue": "甲县院"}
			})},
		{pattern: "POST /api/v1/aid/courses/{id}/materials", allowed: writers, ok: http.StatusCreated,
			request: obj(course("/materials"), func(*env, *testing.T) any {
				return map[string]any{"material": map[string]any{"file_name": "图.png",
					"content_base64": base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nxx"))}}
			})},
		{pattern: "GET /api/v1/aid/courses/{id}/materials/{material}", ok: http.StatusOK,
			request: obj(func(tf trainingFixture) string { return course("/materials/")(tf) + itoa(tf.material) }, nil)},
		{pattern: "POST /api/v1/aid/sessions/{id}/attendance", allowed: writers, ok: http.StatusOK,
			request: obj(func(tf trainingFixture) string { return "/api/v1/aid/sessions/" + itoa(tf.session) + "/attendance" },
				func(e *env, t *testing.T) any {
					return map[string]any{"attendees": []int64{e.f.User(t, "a_prosecutor").ID}}
				})},
		{pattern: "GET /api/v1/aid/quizzes/{id}", ok: http.StatusOK,
			request: obj(func(tf trainingFixture) string { return "/api/v1/aid/quizzes/" + itoa(tf.quiz) }, nil)},
		{pattern: "POST /api/v1/aid/quizzes/{id}/attempts", ok: http.StatusCreated,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				tf := e.training(t)
				return "/api/v1/aid/quizzes/" + itoa(tf.quiz) + "/attempts", map[string]any{"answers": e.quizAnswers(t, tf.quiz, 1)}
			}},
		{pattern: "GET /api/v1/aid/attempts/{id}", ok: http.StatusOK,
			request: obj(func(tf trainingFixture) string { return "/api/v1/aid/attempts/" + itoa(tf.attempt) }, nil)},
	}
}

// TestAidTrainingAPI: bad input is refused field by field with stable
// codes and nothing written; a quiz is taken, marked by hand's count and
// explained; the paper hides the answers; a unit outside gets 404.
func TestAidTrainingAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		af := e.aid(t)
		tf := e.training(t)
		base := "/api/v1/aid/pairings/" + itoa(af.pairing)
		count := func() int {
			var n int
			if err := e.raw.QueryRow(`SELECT (SELECT count(*) FROM aid_courses) + (SELECT count(*) FROM aid_sessions) +
				(SELECT count(*) FROM aid_attendance) + (SELECT count(*) FROM aid_materials) + (SELECT count(*) FROM aid_attachments) +
				(SELECT count(*) FROM aid_quizzes) + (SELECT count(*) FROM aid_quiz_attempts) + (SELECT count(*) FROM aid_evidence)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		course := "/api/v1/aid/courses/" + itoa(tf.course)
		pdf := func(n int) string {
			return base64.StdEncoding.EncodeToString(append([]byte("%PDF-1.4"), make([]byte, n)...))
		}
		before := count()
		for _, c := range []struct {
			name, path  string
			body        any
			field, code string
		}{
			{"empty title", base + "/courses", map[string]any{"title": "", "area": "data", "trainer": "张", "mode": "online"}, "title", "required"},
			{"unknown area", base + "/courses", map[string]any{"title": "x", "area": "cooking", "trainer": "张", "mode": "online"}, "area", "aid_area_invalid"},
			{"unknown mode", base + "/courses", map[string]any{"title": "x", "area": "data", "trainer": "张", "mode": "tv"}, "mode", "aid_mode_invalid"},
			{"session outside the period", course + "/sessions", map[string]any{"on_date": "2025-12-01", "start_time": "09:00", "end_time": "10:00",
				"mode": "online", "venue": "x"}, "on_date", "aid_outside_period"},
			{"bad time", course + "/sessions", map[string]any{"on_date": "2026-04-01", "start_time": "25:00", "end_time": "10:00",
				"mode": "online", "venue": "x"}, "start_time", "aid_time_invalid"},
			{"oversize material", course + "/materials", map[string]any{"material": map[string]any{"file_name": "a.pdf",
				"content_base64": pdf(aid.MaxAttachmentBytes)}}, "material", "aid_file_too_large"},
			{"forbidden type", course + "/materials", map[string]any{"material": map[string]any{"file_name": "a.pdf",
				"content_base64": base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00program"))}}, "material", "aid_file_type"},
			{"bad base64", course + "/materials", map[string]any{"material": map[string]any{"file_name": "a.pdf", "content_base64": "%%%"}},
				"material.content_base64", "aid_file_base64"},
			{"attendee outside", "/api/v1/aid/sessions/" + itoa(tf.session) + "/attendance", map[string]any{"attendees": []int64{e.f.User(t, "up_prosecutor").ID}},
				"attendees[0]", "aid_staff_unknown"},
			{"count as text", base + "/quizzes", map[string]any{"title": "x", "area": "data", "sources": []string{"dataquality"}, "count": "5"}, "count", "json_type_number"},
			{"unknown source", base + "/quizzes", map[string]any{"title": "x", "area": "data", "sources": []string{"rumours"}, "count": 5}, "sources", "aid_source_invalid"},
			{"too few answers", "/api/v1/aid/quizzes/" + itoa(tf.quiz) + "/attempts", map[string]any{"answers": []int{0}}, "answers", "aid_answers_count"},
		} {
			r := e.do(t, "a_case_manager", "POST", c.path, c.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %s", c.name, r)
				continue
			}
			fp, ok := r.err(t).Error.Fields[c.field]
			if !ok || fp.Code != c.code || strings.Contains(fp.Message, "⟦") {
				t.Errorf("%s: fields %+v, want %s:%s", c.name, r.err(t).Error.Fields, c.field, c.code)
			}
		}
		if n := count(); n != before {
			t.Errorf("refused requests wrote rows: %d → %d", before, n)
		}
		// The paper hides the answers.
		r := e.do(t, "a_prosecutor2", "GET", "/api/v1/aid/quizzes/"+itoa(tf.quiz), nil)
		if r.status != http.StatusOK || strings.Contains(string(r.body), `"answer"`) || strings.Contains(string(r.body), `"explanation"`) {
			t.Errorf("paper: %s", r)
		}
		// 3 of 4 = 75 fails the default 80; 4 of 4 passes and is evidence.
		var a struct {
			Score, Correct int
			Passed         bool
			EvidenceID     int64 `json:"evidence_id"`
			Questions      []struct {
				Right       bool
				Explanation string
			}
		}
		r = e.do(t, "a_prosecutor2", "POST", "/api/v1/aid/quizzes/"+itoa(tf.quiz)+"/attempts", map[string]any{"answers": e.quizAnswers(t, tf.quiz, 1)})
		r.decode(t, &a)
		if r.status != http.StatusCreated || a.Score != 75 || a.Correct != 3 || a.Passed || a.EvidenceID != 0 || len(a.Questions) != 4 ||
			a.Questions[0].Right || !a.Questions[1].Right || a.Questions[0].Explanation == "" {
			t.Errorf("3 of 4: %s", r)
		}
		r = e.do(t, "a_prosecutor2", "POST", "/api/v1/aid/quizzes/"+itoa(tf.quiz)+"/attempts", map[string]any{"answers": e.quizAnswers(t, tf.quiz, 0)})
		r.decode(t, &a)
		if r.status != http.StatusCreated || a.Score != 100 || !a.Passed || a.EvidenceID == 0 {
			t.Errorf("4 of 4: %s", r)
		}
		// Attendance completes the one-session course: evidence.
		var done struct{ Completed int }
		r = e.do(t, "b_aid_partner", "POST", "/api/v1/aid/sessions/"+itoa(tf.session)+"/attendance",
			map[string]any{"attendees": []int64{e.f.User(t, "a_prosecutor3").ID}})
		r.decode(t, &done)
		if r.status != http.StatusOK || done.Completed != 1 {
			t.Errorf("attendance: %s", r)
		}
		// Outside the pairing: not found, for reads and writes alike.
		for _, c := range []struct{ method, path string }{{"GET", base + "/training"}, {"GET", course}, {"POST", course + "/sessions"},
			{"GET", "/api/v1/aid/quizzes/" + itoa(tf.quiz)}, {"GET", "/api/v1/aid/attempts/" + itoa(tf.attempt)}} {
			var body any
			if c.method == "POST" {
				body = map[string]any{"on_date": "2026-04-01", "start_time": "09:00", "end_time": "10:00", "mode": "online", "venue": "x"}
			}
			if r := e.do(t, "up_case_manager", c.method, c.path, body); r.status != http.StatusNotFound {
				t.Errorf("%s %s as up_case_manager: %s", c.method, c.path, r)
			}
		}
		if r := e.do(t, "a_prosecutor", "POST", base+"/courses", map[string]any{"title": "x", "area": "data", "trainer": "x", "mode": "online"}); r.status != http.StatusForbidden {
			t.Errorf("prosecutor creates a course: %s", r)
		}
	})
}
