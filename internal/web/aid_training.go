package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// Training of a pairing (培训与测验): courses with their sessions,
// attendance and materials; quizzes generated from the rule libraries,
// taken on a form, marked with each question's legal basis.

// AidTrainingPage lists a pairing's courses and quizzes with their forms.
type AidTrainingPage struct {
	AidBase
	Courses []AidCourseRow
	Quizzes []AidQuizRow
	Areas   []aid.Area
	Modes   []string
	Sources []string
	Form    string // the form whose errors are shown: course or quiz
	CF      aid.CourseInput
	QF      AidQuizForm
}

// AidCourseRow is a course with its area's name.
type AidCourseRow struct {
	aid.Course
	AreaName string
}

// AidQuizRow is a quiz with its area's name.
type AidQuizRow struct {
	aid.Quiz
	AreaName string
}

// AidQuizForm is the quiz form as typed.
type AidQuizForm struct {
	Title, Area, Count, PassMark string
	Sources                      map[string]bool
}

func (h *Handler) showTraining(w http.ResponseWriter, r *http.Request, u org.User, id int64, form string, cf aid.CourseInput,
	qf AidQuizForm, status int, fe fieldErrors) error {
	tr, err := h.Aid.Training(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	p := &AidTrainingPage{AidBase: h.aidBase(r, u, tr.Pairing, h.T.T("ui.aid.training_title", tr.Pairing.Name),
		fmt.Sprintf("/aid/pairings/%d/training", id)), Areas: tr.Framework.Areas, Modes: aid.TrainingModes(),
		Sources: aid.QuizSources(), Form: form, CF: cf, QF: qf}
	for _, c := range tr.Courses {
		p.Courses = append(p.Courses, AidCourseRow{Course: c, AreaName: tr.Framework.AreaName(c.Area)})
	}
	for _, q := range tr.Quizzes {
		p.Quizzes = append(p.Quizzes, AidQuizRow{Quiz: q, AreaName: tr.Framework.AreaName(q.Area)})
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_training", p)
}

func (h *Handler) aidTraining(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showTraining(w, r, u, id, "", aid.CourseInput{Mode: aid.ModeOffline},
		AidQuizForm{Count: "10", Sources: map[string]bool{}}, http.StatusOK, fieldErrors{})
}

func (h *Handler) aidCreateCourse(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := aid.CourseInput{Title: r.PostFormValue("title"), Area: r.PostFormValue("area"), Description: r.PostFormValue("description"),
		Trainer: r.PostFormValue("trainer"), Mode: r.PostFormValue("mode")}
	cid, err := h.Aid.CreateCourse(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showTraining(w, r, u, id, "course", in, AidQuizForm{Sources: map[string]bool{}}, http.StatusUnprocessableEntity,
			h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/courses/%d?flash=flash.saved", cid))
}

// aidFormInt reads a whole number typed in a form: "" is 0 (the default),
// anything else unreadable is -1, which the service refuses by range.
func aidFormInt(s string) int {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	return atoiOr(s)
}

func (h *Handler) aidCreateQuiz(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	qf := AidQuizForm{Title: r.PostFormValue("title"), Area: r.PostFormValue("area"), Count: r.PostFormValue("count"),
		PassMark: r.PostFormValue("pass_mark"), Sources: map[string]bool{}}
	for _, s := range r.PostForm["sources"] {
		qf.Sources[s] = true
	}
	in := aid.QuizInput{Title: qf.Title, Area: qf.Area, Sources: r.PostForm["sources"], Count: aidFormInt(qf.Count),
		PassMark: aidFormInt(qf.PassMark)}
	qid, err := h.Aid.CreateQuiz(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showTraining(w, r, u, id, "quiz", aid.CourseInput{}, qf, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/quizzes/%d?flash=flash.saved", qid))
}

// AidCoursePage is one course with its sessions, attendance and files.
type AidCoursePage struct {
	AidBase
	Course   aid.Course
	AreaName string
	Sessions []AidSessionRow
	Staff    []aid.Staff
	Modes    []string
	Form     string // session, attendance or material
	SF       aid.SessionInput
	MaxMB    int
}

// AidSessionRow is a session with who was present, by id.
type AidSessionRow struct {
	aid.Session
	Present map[int64]bool
}

func (h *Handler) showCourse(w http.ResponseWriter, r *http.Request, u org.User, id int64, form string, sf aid.SessionInput,
	status int, fe fieldErrors) error {
	cv, err := h.Aid.Course(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	c := cv.Course
	p := &AidCoursePage{AidBase: h.aidBase(r, u, cv.Pairing, h.T.T("ui.aid.training.course_title", cv.Pairing.Name, c.Title),
		fmt.Sprintf("/aid/pairings/%d/training", cv.Pairing.ID)), Course: c, AreaName: cv.Framework.AreaName(c.Area),
		Staff: cv.Staff, Modes: aid.TrainingModes(), Form: form, SF: sf, MaxMB: aid.MaxAttachmentBytes >> 20}
	for _, s := range c.Sessions {
		row := AidSessionRow{Session: s, Present: map[int64]bool{}}
		for _, a := range s.Attendees {
			row.Present[a] = true
		}
		p.Sessions = append(p.Sessions, row)
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_training_course", p)
}

func (h *Handler) aidCourse(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showCourse(w, r, u, id, "", aid.SessionInput{OnDate: h.Aid.Today(), Mode: aid.ModeOffline}, http.StatusOK, fieldErrors{})
}

func (h *Handler) aidAddSession(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := aid.SessionInput{OnDate: r.PostFormValue("on_date"), StartTime: r.PostFormValue("start_time"),
		EndTime: r.PostFormValue("end_time"), Mode: r.PostFormValue("mode"), Venue: r.PostFormValue("venue")}
	_, err = h.Aid.AddSession(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showCourse(w, r, u, id, "session", in, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/courses/%d?flash=flash.saved", id))
}

// aidMarkAttendance saves the ticked attendees of a session; the page it
// answers on is the session's course.
func (h *Handler) aidMarkAttendance(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	var ids []int64
	for _, s := range r.PostForm["attendees"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	req := h.aidRequest(r, u)
	_, err = h.Aid.MarkAttendance(r.Context(), req, id, ids)
	courseID := aidFormID(r, "course_id")
	if v, ok := apperr.AsValidation(err); ok {
		if courseID == 0 {
			return err // no page to show them on: the messages are the error page
		}
		fe := fieldErrors{}
		for _, f := range v.Fields {
			fe.add("attendance", h.T.Message(f))
		}
		return h.showCourse(w, r, u, courseID, "attendance", aid.SessionInput{OnDate: h.Aid.Today(), Mode: aid.ModeOffline},
			http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	if courseID == 0 {
		return seeOther(w, r, aidNav+"?flash=flash.saved")
	}
	return seeOther(w, r, fmt.Sprintf("/aid/courses/%d?flash=flash.saved", courseID))
}

// aidAddMaterial takes a course's file from a multipart form, read up to
// one byte over the limit so the service can refuse it by its size.
func (h *Handler) aidAddMaterial(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var up *aid.Upload
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(1 << 20)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fe := fieldErrors{}
			fe.add("material", h.T.T("aid.field.material")+"："+h.T.T("err.aid_body_too_large", aid.MaxAttachmentBytes>>20))
			return h.showCourse(w, r, u, id, "material", aid.SessionInput{}, http.StatusRequestEntityTooLarge, fe)
		}
		if err != nil {
			return err
		}
		if file, hdr, err := r.FormFile("material"); err == nil {
			defer file.Close()
			data, err := io.ReadAll(io.LimitReader(file, aid.MaxAttachmentBytes+1))
			if err != nil {
				return err
			}
			if len(data) > 0 || hdr.Filename != "" {
				up = &aid.Upload{Name: hdr.Filename, Data: data}
			}
		} else if !errors.Is(err, http.ErrMissingFile) {
			return err
		}
	}
	_, err = h.Aid.AddMaterial(r.Context(), h.aidRequest(r, u), id, up)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showCourse(w, r, u, id, "material", aid.SessionInput{OnDate: h.Aid.Today(), Mode: aid.ModeOffline},
			http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/courses/%d?flash=flash.saved", id))
}

func (h *Handler) aidMaterial(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(r.PathValue("material"), 10, 64)
	if err != nil || mid <= 0 {
		return apperr.ErrNotFound
	}
	att, data, err := h.Aid.Material(r.Context(), h.aidRequest(r, u), id, mid)
	if err != nil {
		return err
	}
	return sendFile(w, data, att.ContentType, att.Name, fmt.Sprintf("material-%d", mid))
}

// AidQuizPage is a quiz to take, with the attempts made at it.
type AidQuizPage struct {
	AidBase
	Quiz        aid.Quiz
	AreaName    string
	SourceNames string
	Attempts    []aid.Attempt
	CanTake     bool
	Chosen      []int // the answers of a refused form, -1 for none
}

func (h *Handler) showQuiz(w http.ResponseWriter, r *http.Request, u org.User, id int64, chosen []int, status int, fe fieldErrors) error {
	req := h.aidRequest(r, u)
	pr, q, as, err := h.Aid.Quiz(r.Context(), req, id)
	if err != nil {
		return err
	}
	fw, err := h.Aid.Framework(r.Context())
	if err != nil {
		return err
	}
	names := make([]string, len(q.Sources))
	for i, s := range q.Sources {
		names[i] = h.T.T("ui.aid.training.source." + s)
	}
	if len(chosen) != len(q.Questions) {
		chosen = slices.Repeat([]int{-1}, len(q.Questions))
	}
	p := &AidQuizPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.training.quiz_title", q.Title),
		fmt.Sprintf("/aid/pairings/%d/training", pr.ID)), Quiz: q, AreaName: fw.AreaName(q.Area),
		SourceNames: strings.Join(names, "、"), Attempts: as, CanTake: aid.CanTake(req, pr), Chosen: chosen}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_training_quiz", p)
}

func (h *Handler) aidQuiz(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showQuiz(w, r, u, id, nil, http.StatusOK, fieldErrors{})
}

// aidSubmit marks the quiz form: question i is the radio group "q<i>".
func (h *Handler) aidSubmit(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	n := aidFormInt(r.PostFormValue("questions"))
	answers := make([]int, max(n, 0))
	for i := range answers {
		answers[i] = -1
		if a, err := strconv.Atoi(r.PostFormValue(fmt.Sprintf("q%d", i))); err == nil {
			answers[i] = a
		}
	}
	a, err := h.Aid.Submit(r.Context(), h.aidRequest(r, u), id, answers)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showQuiz(w, r, u, id, answers, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/attempts/%d", a.ID))
}

// AidAttemptPage is an attempt marked question by question.
type AidAttemptPage struct {
	AidBase
	Quiz    aid.Quiz
	Attempt aid.Attempt
	Rows    []AidAttemptRow
}

// AidAttemptRow is one question of an attempt with its marking.
type AidAttemptRow struct {
	N           int
	Stem        string
	Options     []string
	Chosen      int
	Answer      int
	Right       bool
	Explanation string
}

func (h *Handler) aidAttempt(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, q, a, err := h.Aid.Attempt(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	p := &AidAttemptPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.training.result_title", q.Title),
		fmt.Sprintf("/aid/pairings/%d/training", pr.ID)), Quiz: q, Attempt: a}
	for i, qq := range q.Questions {
		chosen := -1
		if i < len(a.Answers) {
			chosen = a.Answers[i]
		}
		p.Rows = append(p.Rows, AidAttemptRow{N: i + 1, Stem: qq.Stem, Options: qq.Options, Chosen: chosen, Answer: qq.Answer,
			Right: chosen == qq.Answer, Explanation: qq.Explanation})
	}
	return h.render(w, r, http.StatusOK, "aid_training_attempt", p)
}
