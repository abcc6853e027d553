package api

import (
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/org"
)

// Q&A of a pairing (互动答疑): questions, answers and follow-ups, and the
// knowledge-base search (?q=) over answered questions.

type aidQuestionJSON = aid.Question

func aidQuestionOf(q aid.Question) aidQuestionJSON {
	q.Posts, q.Tags = aidList(q.Posts), aidList(q.Tags)
	return q
}

func (h *Handler) aidListQuestions(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, qs, err := h.Aid.Questions(r.Context(), aidRequest(r, u), id, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := list[aidQuestionJSON]{Items: []aidQuestionJSON{}}
	for _, q := range qs {
		out.Items = append(out.Items, aidQuestionOf(q))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) aidAsk(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aid.QuestionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	req := aidRequest(r, u)
	qid, err := h.Aid.Ask(r.Context(), req, id, in)
	if err != nil {
		return err
	}
	_, q, err := h.Aid.Question(r.Context(), req, qid)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/aid/questions/"+strconv.FormatInt(qid, 10))
	writeJSON(w, http.StatusCreated, aidQuestionOf(q))
	return nil
}

func (h *Handler) aidGetQuestion(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, q, err := h.Aid.Question(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidQuestionOf(q))
	return nil
}

type aidPostRequest struct {
	Body string `json:"body"`
}

func (h *Handler) aidAddPost(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aidPostRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	q, err := h.Aid.AddPost(r.Context(), aidRequest(r, u), id, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, aidQuestionOf(q))
	return nil
}
