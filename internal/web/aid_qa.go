package web

import (
	"fmt"
	"net/http"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// Q&A of a pairing (互动答疑): the list with the knowledge-base search and
// the question form, and one question with its answers and follow-ups.

// AidQAPage is a pairing's questions or the knowledge-base results.
type AidQAPage struct {
	AidBase
	Questions []aid.Question
	Query     string
	Searched  bool
	CanAsk    bool
	F         aid.QuestionInput
	// Rules are the rules a question may name (the form's suggestions).
	Rules []aid.RuleRef
}

func (h *Handler) showQA(w http.ResponseWriter, r *http.Request, u org.User, id int64, f aid.QuestionInput, status int,
	fe fieldErrors) error {
	req := h.aidRequest(r, u)
	query := r.URL.Query().Get("q")
	pr, qs, err := h.Aid.Questions(r.Context(), req, id, query)
	if v, ok := apperr.AsValidation(err); ok {
		fe = h.aidFieldErrors(v)
		status = http.StatusUnprocessableEntity
		pr, qs, err = h.Aid.Questions(r.Context(), req, id, "")
	}
	if err != nil {
		return err
	}
	p := &AidQAPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.qa_title", pr.Name), fmt.Sprintf("/aid/pairings/%d/qa", id)),
		Questions: qs, Query: query, Searched: query != "" && status == http.StatusOK, CanAsk: h.Aid.CanAsk(req, pr), F: f}
	if p.CanAsk {
		if p.Rules, err = h.Aid.RuleChoices(); err != nil {
			return err
		}
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_qa", p)
}

func (h *Handler) aidQA(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showQA(w, r, u, id, aid.QuestionInput{}, http.StatusOK, fieldErrors{})
}

func (h *Handler) aidAsk(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := aid.QuestionInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Tags: r.PostFormValue("tags"),
		CaseNo: r.PostFormValue("case_no"), Rules: r.PostFormValue("rules")}
	qid, err := h.Aid.Ask(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showQA(w, r, u, id, in, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/questions/%d?flash=flash.saved", qid))
}

// AidQuestionPage is one question with its posts and the reply form.
type AidQuestionPage struct {
	AidBase
	Q         aid.Question
	CanPost   bool
	ReplyKind string
	Body      string
	// CaseLink: the question's case is of the reader's unit, so the page
	// may link to it (the case page checks access again); the other side
	// sees the anonymised reference only.
	CaseLink bool
}

func (h *Handler) showQuestion(w http.ResponseWriter, r *http.Request, u org.User, id int64, body string, status int,
	fe fieldErrors) error {
	req := h.aidRequest(r, u)
	pr, q, err := h.Aid.Question(r.Context(), req, id)
	if err != nil {
		return err
	}
	p := &AidQuestionPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.question_title", q.Title), fmt.Sprintf("/aid/pairings/%d/qa", pr.ID)),
		Q: q, CanPost: h.Aid.CanPost(req, pr), ReplyKind: aid.PostFollowUp, Body: body,
		CaseLink: q.Case != nil && q.Case.UnitID == u.UnitID}
	for _, a := range pr.Aiding {
		if a.ID == u.UnitID {
			p.ReplyKind = aid.PostAnswer
		}
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_question", p)
}

func (h *Handler) aidQuestion(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showQuestion(w, r, u, id, "", http.StatusOK, fieldErrors{})
}

func (h *Handler) aidAddPost(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	body := r.PostFormValue("body")
	_, err = h.Aid.AddPost(r.Context(), h.aidRequest(r, u), id, body)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showQuestion(w, r, u, id, body, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/questions/%d?flash=flash.saved", id))
}
