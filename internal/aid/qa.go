package aid

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Q&A (互动答疑): the aided side's staff ask, the aiding side's experts
// answer, the asker follows up; answered questions form a searchable
// knowledge base. Only when the pairing's agreement shares Q&A.

// Question statuses.
const (
	QuestionOpen     = "open"     // 待答复
	QuestionAnswered = "answered" // 已答复
)

// Post kinds.
const (
	PostAnswer   = "answer"   // 答复 (aiding side)
	PostFollowUp = "followup" // 追问 (aided side)
)

// Limits of questions.
const (
	maxTags   = 5
	maxTagLen = 20
	maxTitle  = 100
	maxSearch = 50
	maxCaseNo = 60
)

// Question is one question with its posts.
type Question struct {
	ID            int64     `json:"id"`
	PairingID     int64     `json:"pairing_id"`
	AskedBy       int64     `json:"asked_by"`
	AskerName     string    `json:"asker_name"`
	UnitName      string    `json:"unit_name"`
	Title         string    `json:"title"`
	Body          string    `json:"body"`
	Tags          []string  `json:"tags"`
	Status        string    `json:"status"`
	AskedAt       time.Time `json:"asked_at"`
	FirstAnswerAt time.Time `json:"-"`
	ResponseMS    int64     `json:"response_ms"`
	Posts         []Post    `json:"posts"`
	// Case is the case the question concerns, anonymised; nil when none.
	Case *CaseRef `json:"case"`
	// RuleRefs are the rules the question names ("source:code", stored);
	// Rules the same resolved against the question bank.
	RuleRefs []string  `json:"-"`
	Rules    []RuleRef `json:"rules"`
}

// CaseRef is a case a question concerns as the pairing sees it: its
// category, the month it was received and its status — never its number,
// name, parties or handler. ID and UnitID let the pages link the asker's
// own unit to the case (where the case page checks access again).
type CaseRef struct {
	ID            int64  `json:"-"`
	UnitID        int64  `json:"-"`
	Category      string `json:"category"`
	CategoryName  string `json:"category_name"`
	ReceivedMonth string `json:"received_month"`
	Status        string `json:"status"`
	Sealed        bool   `json:"-"`
	HandlerID     int64  `json:"-"`
}

// ResponseText is the response time as the pages show it (hours with
// one decimal; "" while unanswered).
func (q Question) ResponseText() string {
	if q.ResponseMS <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1f", float64(q.ResponseMS)/3.6e6)
}

// Post is an answer or a follow-up.
type Post struct {
	ID         int64     `json:"id"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Kind       string    `json:"kind"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// QuestionInput is a question as a form or a request gives it; Tags is
// free text separated by commas, 、 or spaces.
type QuestionInput struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Tags  string `json:"tags"`
	// CaseNo is the department case number (部门受案号) of a case of the
	// asker's unit the question concerns; optional.
	CaseNo string `json:"case_no"`
	// Rules names the rules the question concerns: "source:code" refs
	// separated by commas or spaces (RuleChoices lists them); optional.
	Rules string `json:"rules"`
}

// QAStore keeps questions and their posts.
type QAStore interface {
	// AidQuestions lists a pairing's questions, newest first; with
	// answeredOnly, those answered at least once; with a query, those
	// whose title, body, tags or posts contain it (LIKE, in SQL).
	AidQuestions(ctx context.Context, pairingID int64, answeredOnly bool, query string) ([]Question, error)
	// AidQuestion loads a question with its posts.
	AidQuestion(ctx context.Context, id int64) (Question, error)
	CreateAidQuestion(ctx context.Context, q Question, rec audit.Record) (int64, error)
	// AddAidPost appends a post; an answer marks the question answered
	// and, the first time, records its response time.
	AddAidPost(ctx context.Context, questionID int64, p Post, rec audit.Record) (int64, error)
	// AidCaseByNo finds the case of the unit with a department case
	// number; apperr.ErrNotFound when there is none.
	AidCaseByNo(ctx context.Context, unitID int64, stageNo string) (CaseRef, error)
}

// side is the side of the pairing unitID is on ("" when none).
func (pr Pairing) side(unitID int64) string {
	for _, u := range pr.Aiding {
		if u.ID == unitID {
			return SideAiding
		}
	}
	for _, u := range pr.Aided {
		if u.ID == unitID {
			return SideAided
		}
	}
	return ""
}

// qaPairing loads a pairing r may read whose agreement shares Q&A.
func (s *Service) qaPairing(ctx context.Context, r Request, id int64) (Pairing, error) {
	pr, err := s.visible(ctx, r, id)
	if err != nil {
		return Pairing{}, err
	}
	if !pr.Shares.QA {
		return Pairing{}, apperr.ErrForbidden
	}
	return pr, nil
}

// CanAsk reports whether r may ask on the pairing: staff of an aided unit.
func (s *Service) CanAsk(r Request, pr Pairing) bool {
	return pr.Shares.QA && r.P.UserID != 0 && pr.side(r.P.UnitID) == SideAided
}

// CanPost reports whether r may answer (aiding side) or follow up (aided
// side) on the pairing's questions.
func (s *Service) CanPost(r Request, pr Pairing) bool {
	return pr.Shares.QA && r.P.UserID != 0 && pr.side(r.P.UnitID) != ""
}

// Questions lists a pairing's questions, or with a query searches the
// knowledge base of answered ones, audited. A pairing that does not share
// Q&A has none to show.
func (s *Service) Questions(ctx context.Context, r Request, pairingID int64, query string) (Pairing, []Question, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Pairing{}, nil, err
	}
	if !pr.Shares.QA {
		return pr, nil, nil
	}
	query = strings.TrimSpace(query)
	if len([]rune(query)) > maxSearch {
		return Pairing{}, nil, invalid("q", "err.too_long", maxSearch)
	}
	qs, err := s.store.AidQuestions(ctx, pairingID, query != "", query)
	if err != nil {
		return Pairing{}, nil, err
	}
	for i := range qs {
		if err := s.resolveRules(&qs[i]); err != nil {
			return Pairing{}, nil, err
		}
	}
	if err := s.audited(ctx, r, "aid.qa.list", pairingID, fmt.Sprintf("q=%q rows=%d", query, len(qs))); err != nil {
		return Pairing{}, nil, err
	}
	return pr, qs, nil
}

// Question opens a question with its posts, audited.
func (s *Service) Question(ctx context.Context, r Request, id int64) (Pairing, Question, error) {
	q, err := s.store.AidQuestion(ctx, id)
	if err != nil {
		return Pairing{}, Question{}, err
	}
	pr, err := s.visible(ctx, r, q.PairingID)
	if err != nil {
		return Pairing{}, Question{}, err
	}
	if !pr.Shares.QA {
		return Pairing{}, Question{}, apperr.ErrNotFound
	}
	if err := s.resolveRules(&q); err != nil {
		return Pairing{}, Question{}, err
	}
	if err := s.audited(ctx, r, "aid.qa.view", pr.ID, fmt.Sprintf("question=%d", id)); err != nil {
		return Pairing{}, Question{}, err
	}
	return pr, q, nil
}

// splitTags normalises free-text tags: trimmed, deduplicated, in order.
func splitTags(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || unicode.IsSpace(r)
	}) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Ask records a question from the aided side.
func (s *Service) Ask(ctx context.Context, r Request, pairingID int64, in QuestionInput) (int64, error) {
	pr, err := s.qaPairing(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !s.CanAsk(r, pr) {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	q := Question{PairingID: pairingID, AskedBy: r.P.UserID, Title: strings.TrimSpace(in.Title),
		Body: strings.TrimSpace(in.Body), Tags: splitTags(in.Tags), Status: QuestionOpen}
	checkText(v, "title", q.Title, maxTitle, true)
	checkText(v, "body", q.Body, maxLong, true)
	if len(q.Tags) > maxTags {
		add(v, "tags", "err.aid_too_many", maxTags)
	}
	for _, t := range q.Tags {
		if len([]rune(t)) > maxTagLen {
			add(v, "tags", "err.aid_tag_too_long", maxTagLen)
			break
		}
	}
	if no := strings.TrimSpace(in.CaseNo); len([]rune(no)) > maxCaseNo {
		add(v, "case_no", "err.too_long", maxCaseNo)
	} else if no != "" {
		c, key, err := s.askedCase(ctx, r, no)
		if err != nil {
			return 0, err
		}
		if key != "" {
			add(v, "case_no", key)
		} else {
			q.Case = &c
		}
	}
	rules, key, args, err := s.parseRules(in.Rules)
	if err != nil {
		return 0, err
	}
	if key != "" {
		add(v, "rules", key, args...)
	}
	for _, r := range rules {
		q.RuleRefs = append(q.RuleRefs, r.Ref)
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	detail := fmt.Sprintf("tags=%s", strings.Join(q.Tags, ","))
	if len(q.RuleRefs) > 0 {
		detail += " rules=" + strings.Join(q.RuleRefs, ",")
	}
	if q.Case != nil {
		detail += fmt.Sprintf(" case=%d", q.Case.ID)
	}
	return s.store.CreateAidQuestion(ctx, q, r.record("aid.qa.ask", objPairing, pairingID, detail))
}

// AddPost answers a question (aiding side) or follows it up (aided side).
func (s *Service) AddPost(ctx context.Context, r Request, questionID int64, body string) (Question, error) {
	q, err := s.store.AidQuestion(ctx, questionID)
	if err != nil {
		return Question{}, err
	}
	pr, err := s.visible(ctx, r, q.PairingID)
	if err != nil {
		return Question{}, err
	}
	if !pr.Shares.QA {
		return Question{}, apperr.ErrNotFound
	}
	if !s.CanPost(r, pr) {
		return Question{}, apperr.ErrForbidden
	}
	kind := PostFollowUp
	if pr.side(r.P.UnitID) == SideAiding {
		kind = PostAnswer
	}
	body = strings.TrimSpace(body)
	v := &apperr.Validation{}
	checkText(v, "body", body, maxLong, true)
	if err := v.Err(); err != nil {
		return Question{}, err
	}
	if _, err := s.store.AddAidPost(ctx, questionID, Post{AuthorID: r.P.UserID, Kind: kind, Body: body},
		r.record("aid.qa."+kind, objPairing, pr.ID, fmt.Sprintf("question=%d", questionID))); err != nil {
		return Question{}, err
	}
	q, err = s.store.AidQuestion(ctx, questionID)
	if err != nil {
		return Question{}, err
	}
	return q, s.resolveRules(&q)
}

// caseLinkers may link any case of their unit to a question; anyone else
// only the cases they handle (the case list's rule for prosecutors).
var caseLinkers = []access.Role{access.CaseManager, access.Chief}

// askedCase finds the case a question concerns: a case of the asker's
// unit, not sealed (CPL 286: a sealed record is never shown outside its
// handling), that the asker handles or may oversee. The key names what is
// wrong for the form ("" when the case may be linked).
func (s *Service) askedCase(ctx context.Context, r Request, no string) (CaseRef, string, error) {
	c, err := s.store.AidCaseByNo(ctx, r.P.UnitID, no)
	if notFound(err) {
		return CaseRef{}, "err.aid_case_unknown", nil
	}
	if err != nil {
		return CaseRef{}, "", err
	}
	switch {
	case c.Sealed:
		return CaseRef{}, "err.aid_case_sealed", nil
	case c.HandlerID != r.P.UserID && !r.P.HasAny(caseLinkers...):
		return CaseRef{}, "err.aid_case_not_handled", nil
	}
	return c, "", nil
}
