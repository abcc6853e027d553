package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// Training of a pairing: courses with sessions, attendance and materials;
// quizzes generated from the rule libraries, their papers (without the
// answers) and marked attempts (with them).

type aidTrainingJSON struct {
	Courses []aid.Course `json:"courses"`
	Quizzes []aid.Quiz   `json:"quizzes"`
}

func aidCourseOut(c aid.Course) aid.Course {
	c.Sessions, c.Materials, c.Completions = aidList(c.Sessions), aidList(c.Materials), aidList(c.Completions)
	for i := range c.Sessions {
		c.Sessions[i].Attendees = aidList(c.Sessions[i].Attendees)
	}
	return c
}

func (h *Handler) aidGetTraining(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	tr, err := h.Aid.Training(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	out := aidTrainingJSON{Courses: []aid.Course{}, Quizzes: []aid.Quiz{}}
	for _, c := range tr.Courses {
		out.Courses = append(out.Courses, aidCourseOut(c))
	}
	for _, q := range tr.Quizzes {
		q.Sources = aidList(q.Sources)
		out.Quizzes = append(out.Quizzes, q)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) aidCreateCourse(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.CourseInput) (int64, error) {
		return h.Aid.CreateCourse(r.Context(), req, id, in)
	})
}

func (h *Handler) aidAddSession(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.SessionInput) (int64, error) {
		return h.Aid.AddSession(r.Context(), req, id, in)
	})
}

func (h *Handler) aidCreateQuiz(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.QuizInput) (int64, error) {
		return h.Aid.CreateQuiz(r.Context(), req, id, in)
	})
}

func (h *Handler) aidGetCourse(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cv, err := h.Aid.Course(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidCourseOut(cv.Course))
	return nil
}

type aidAttendanceRequest struct {
	Attendees []int64 `json:"attendees"`
}

type aidAttendanceJSON struct {
	Completed int `json:"completed"`
}

func (h *Handler) aidMarkAttendance(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aidAttendanceRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := h.Aid.MarkAttendance(r.Context(), aidRequest(r, u), id, in.Attendees)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidAttendanceJSON{Completed: n})
	return nil
}

// aidMaterialRequest is a course's file, as base64 (as the ledger's).
type aidMaterialRequest struct {
	Material *aidAttachmentBody `json:"material"`
}

func (h *Handler) aidAddMaterial(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aidMaterialRequest) (int64, error) {
		var up *aid.Upload
		if in.Material != nil {
			data, err := base64.StdEncoding.DecodeString(in.Material.ContentBase64)
			if err != nil {
				return 0, apperr.Invalid("material.content_base64", "err.aid_file_base64")
			}
			up = &aid.Upload{Name: in.Material.FileName, Data: data}
		}
		return h.Aid.AddMaterial(r.Context(), req, id, up)
	})
}

func (h *Handler) aidGetMaterial(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(r.PathValue("material"), 10, 64)
	if err != nil || mid <= 0 {
		return apperr.ErrNotFound
	}
	att, data, err := h.Aid.Material(r.Context(), aidRequest(r, u), id, mid)
	if err != nil {
		return err
	}
	return sendDownload(w, data, att.ContentType, att.Name, fmt.Sprintf("material-%d", mid))
}

// aidPaperQuestion is a question as the taker sees it: no answer, no
// explanation.
type aidPaperQuestion struct {
	Stem    string   `json:"stem"`
	Options []string `json:"options"`
}

type aidQuizJSON struct {
	aid.Quiz
	Questions []aidPaperQuestion `json:"questions"`
	Attempts  []aid.Attempt      `json:"attempts"`
}

func (h *Handler) aidGetQuiz(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, q, as, err := h.Aid.Quiz(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	out := aidQuizJSON{Quiz: q, Questions: []aidPaperQuestion{}, Attempts: aidList(as)}
	out.Quiz.Sources = aidList(q.Sources)
	out.Quiz.Attempts = len(as)
	for _, qq := range q.Questions {
		out.Questions = append(out.Questions, aidPaperQuestion{Stem: qq.Stem, Options: qq.Options})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type aidSubmitRequest struct {
	Answers []int `json:"answers"`
}

// aidMarkedQuestion is a question of an attempt with its marking.
type aidMarkedQuestion struct {
	Stem        string   `json:"stem"`
	Options     []string `json:"options"`
	Chosen      int      `json:"chosen"`
	Answer      int      `json:"answer"`
	Right       bool     `json:"right"`
	Explanation string   `json:"explanation"`
}

type aidAttemptJSON struct {
	aid.Attempt
	PassMark  int                 `json:"pass_mark"`
	Questions []aidMarkedQuestion `json:"questions"`
}

func aidAttemptOf(q aid.Quiz, a aid.Attempt) aidAttemptJSON {
	out := aidAttemptJSON{Attempt: a, PassMark: q.PassMark, Questions: []aidMarkedQuestion{}}
	out.Answers = aidList(a.Answers)
	for i, qq := range q.Questions {
		chosen := -1
		if i < len(a.Answers) {
			chosen = a.Answers[i]
		}
		out.Questions = append(out.Questions, aidMarkedQuestion{Stem: qq.Stem, Options: qq.Options, Chosen: chosen,
			Answer: qq.Answer, Right: chosen == qq.Answer, Explanation: qq.Explanation})
	}
	return out
}

func (h *Handler) aidSubmit(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aidSubmitRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	req := aidRequest(r, u)
	a, err := h.Aid.Submit(r.Context(), req, id, in.Answers)
	if err != nil {
		return err
	}
	_, q, _, err := h.Aid.Attempt(r.Context(), req, a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, aidAttemptOf(q, a))
	return nil
}

func (h *Handler) aidGetAttempt(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, q, a, err := h.Aid.Attempt(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidAttemptOf(q, a))
	return nil
}
