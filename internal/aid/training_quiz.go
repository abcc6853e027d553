package aid

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// A pairing's quizzes and the attempts at them. A quiz keeps the
// questions it was given as they were generated (a snapshot), so an
// attempt is marked against what its taker saw, even after a rule of a
// library has changed. Every attempt is kept; the first one of a person
// that reaches the pass mark is recorded as competency evidence of kind
// quiz in the quiz's area, in the attempt's transaction.

// Quiz limits and the default pass mark (a quiz's own mark is data).
const (
	DefaultPassMark = 80
	maxQuizCount    = 50
)

// Quiz is one quiz of a pairing.
type Quiz struct {
	ID          int64          `json:"id"`
	PairingID   int64          `json:"pairing_id"`
	Title       string         `json:"title"`
	Area        string         `json:"area"`
	Sources     []string       `json:"sources"`
	Seed        int64          `json:"seed"`
	PassMark    int            `json:"pass_mark"`
	Questions   []QuizQuestion `json:"-"`
	Count       int            `json:"count"`
	CreatorName string         `json:"creator_name"`
	CreatedAt   time.Time      `json:"created_at"`
	Attempts    int            `json:"attempts"`
	Passed      int            `json:"passed"`
}

// Attempt is one person's answers to a quiz with their score.
type Attempt struct {
	ID          int64     `json:"id"`
	QuizID      int64     `json:"quiz_id"`
	UserID      int64     `json:"user_id"`
	UserName    string    `json:"user_name"`
	Answers     []int     `json:"answers"`
	Correct     int       `json:"correct"`
	Total       int       `json:"total"`
	Score       int       `json:"score"`
	Passed      bool      `json:"passed"`
	EvidenceID  int64     `json:"evidence_id"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// QuizInput is a quiz as a form or a request gives it: Count questions
// from the chosen sources in the area; PassMark 0 is the default, Seed 0
// a seed from the clock.
type QuizInput struct {
	Title    string   `json:"title"`
	Area     string   `json:"area"`
	Sources  []string `json:"sources"`
	Count    int      `json:"count"`
	PassMark int      `json:"pass_mark"`
	Seed     int64    `json:"seed"`
}

// QuizStore keeps quizzes and attempts.
type QuizStore interface {
	// AidQuizzes lists a pairing's quizzes, latest first, with counts of
	// attempts and passes (without their questions).
	AidQuizzes(ctx context.Context, pairingID int64) ([]Quiz, error)
	// AidQuiz loads a quiz with its questions.
	AidQuiz(ctx context.Context, id int64) (Quiz, error)
	CreateAidQuiz(ctx context.Context, q Quiz, actorID int64, rec audit.Record) (int64, error)
	// AidAttempts lists a quiz's attempts, latest first.
	AidAttempts(ctx context.Context, quizID int64) ([]Attempt, error)
	AidAttempt(ctx context.Context, id int64) (Attempt, error)
	// AddAidAttempt stores an attempt; with ev, and when no earlier
	// attempt of the person at the quiz carries evidence, it records ev
	// and links it, in the same transaction.
	AddAidAttempt(ctx context.Context, a Attempt, ev *Evidence, rec audit.Record) (int64, error)
}

// Draw picks count questions of the bank from sources in area, in an
// order fixed by seed; it reports how many were available when too few.
func Draw(bank []QuizQuestion, sources []string, area string, count int, seed int64) ([]QuizQuestion, int) {
	var pool []QuizQuestion
	for _, q := range bank {
		if slices.Contains(sources, q.Source) && q.Area == area {
			pool = append(pool, q)
		}
	}
	if len(pool) < count {
		return nil, len(pool)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), hash("draw")))
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:count], len(pool)
}

// CreateQuiz generates a quiz from the system's rule libraries for a
// pairing (its writers).
func (s *Service) CreateQuiz(ctx context.Context, r Request, pairingID int64, in QuizInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	q := Quiz{PairingID: pairingID, Title: strings.TrimSpace(in.Title), Area: in.Area, PassMark: in.PassMark, Seed: in.Seed}
	if q.PassMark == 0 {
		q.PassMark = DefaultPassMark
	}
	if q.Seed == 0 {
		q.Seed = s.now().UnixMilli()
	}
	v := &apperr.Validation{}
	checkText(v, "title", q.Title, maxTitle, true)
	if _, ok := fw.area(q.Area); !ok {
		add(v, "area", "err.aid_area_invalid")
	}
	for _, src := range QuizSources() {
		if slices.Contains(in.Sources, src) {
			q.Sources = append(q.Sources, src)
		}
	}
	switch {
	case len(in.Sources) == 0:
		add(v, "sources", "err.required")
	case len(q.Sources) != len(slices.Compact(slices.Sorted(slices.Values(in.Sources)))):
		add(v, "sources", "err.aid_source_invalid")
	}
	if in.Count < 1 || in.Count > maxQuizCount {
		add(v, "count", "err.aid_count_range", maxQuizCount)
	}
	if q.PassMark < 1 || q.PassMark > 100 {
		add(v, "pass_mark", "err.aid_pass_mark_range")
	}
	if v.Err() == nil {
		bank, err := QuestionBank(s.t, q.Seed)
		if err != nil {
			return 0, err
		}
		var have int
		if q.Questions, have = Draw(bank, q.Sources, q.Area, in.Count, q.Seed); q.Questions == nil {
			add(v, "count", "err.aid_quiz_too_few", have)
		}
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	return s.store.CreateAidQuiz(ctx, q, r.P.UserID, r.record("aid.quiz.create", objPairing, pairingID,
		fmt.Sprintf("area=%s sources=%s count=%d seed=%d pass=%d", q.Area, strings.Join(q.Sources, ","),
			len(q.Questions), q.Seed, q.PassMark)))
}

// quiz loads a quiz and the pairing r may read it through.
func (s *Service) quiz(ctx context.Context, r Request, id int64) (Pairing, Quiz, error) {
	q, err := s.store.AidQuiz(ctx, id)
	if err != nil {
		return Pairing{}, Quiz{}, err
	}
	pr, err := s.visible(ctx, r, q.PairingID)
	if err != nil {
		return Pairing{}, Quiz{}, err
	}
	return pr, q, nil
}

// Quiz opens a quiz with its questions and attempts, audited. The
// answers are the caller's to hide: the pages and the API show them only
// with an attempt.
func (s *Service) Quiz(ctx context.Context, r Request, id int64) (Pairing, Quiz, []Attempt, error) {
	pr, q, err := s.quiz(ctx, r, id)
	if err != nil {
		return Pairing{}, Quiz{}, nil, err
	}
	as, err := s.store.AidAttempts(ctx, id)
	if err != nil {
		return Pairing{}, Quiz{}, nil, err
	}
	if err := s.audited(ctx, r, "aid.quiz.view", pr.ID, fmt.Sprintf("quiz=%d", id)); err != nil {
		return Pairing{}, Quiz{}, nil, err
	}
	return pr, q, as, nil
}

// CanTake reports whether r may take the pairing's quizzes: a person
// (not a token of the system) of a unit on either side.
func CanTake(r Request, pr Pairing) bool { return r.P.UserID != 0 && pr.member(r.P.UnitID) }

// Submit marks r's answers to a quiz (one option index per question, in
// order) and keeps the attempt. A score at or above the pass mark is
// recorded as quiz evidence in the quiz's area, once per person and quiz.
func (s *Service) Submit(ctx context.Context, r Request, quizID int64, answers []int) (Attempt, error) {
	pr, q, err := s.quiz(ctx, r, quizID)
	if err != nil {
		return Attempt{}, err
	}
	if !CanTake(r, pr) {
		return Attempt{}, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	if len(answers) != len(q.Questions) {
		add(v, "answers", "err.aid_answers_count", len(q.Questions))
	} else {
		for i, a := range answers {
			if a < 0 || a >= len(q.Questions[i].Options) {
				add(v, fmt.Sprintf("answers[%d]", i), "err.aid_answer_required", i+1)
			}
		}
	}
	if err := v.Err(); err != nil {
		return Attempt{}, err
	}
	correct, score, err := Score(q.Questions, answers)
	if errors.Is(err, errNoAnswer) {
		return Attempt{}, invalid("answers", "err.aid_answers_count", len(q.Questions))
	}
	a := Attempt{QuizID: q.ID, UserID: r.P.UserID, Answers: answers, Correct: correct, Total: len(q.Questions),
		Score: score, Passed: score >= q.PassMark}
	var ev *Evidence
	if a.Passed {
		ev = &Evidence{UserID: r.P.UserID, Area: q.Area, Kind: EvidenceQuiz, OnDate: s.Today(), RecordedBy: r.P.UserID,
			Note: s.t("ui.aid.training.quiz_note", q.Title, score, q.PassMark)}
	}
	id, err := s.store.AddAidAttempt(ctx, a, ev, r.record("aid.quiz.attempt", objPairing, pr.ID,
		fmt.Sprintf("quiz=%d score=%d passed=%t", q.ID, score, a.Passed)))
	if err != nil {
		return Attempt{}, err
	}
	return s.store.AidAttempt(ctx, id)
}

// Attempt opens an attempt with its quiz (answers and explanations),
// audited: results are competency evidence, which every reader of the
// pairing sees.
func (s *Service) Attempt(ctx context.Context, r Request, id int64) (Pairing, Quiz, Attempt, error) {
	a, err := s.store.AidAttempt(ctx, id)
	if err != nil {
		return Pairing{}, Quiz{}, Attempt{}, err
	}
	pr, q, err := s.quiz(ctx, r, a.QuizID)
	if err != nil {
		return Pairing{}, Quiz{}, Attempt{}, err
	}
	if err := s.audited(ctx, r, "aid.attempt.view", pr.ID, fmt.Sprintf("quiz=%d attempt=%d", q.ID, id)); err != nil {
		return Pairing{}, Quiz{}, Attempt{}, err
	}
	return pr, q, a, nil
}
