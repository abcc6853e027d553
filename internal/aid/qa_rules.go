package aid

import (
	"strings"
	"sync"
)

// A question may name the rules it concerns (关联规则): deadline rules,
// monitoring rules, data-quality rules and evaluation items, as
// "source:code" — the same entries the quizzes are made of, so a link
// shows what the rule says and the article behind it, and an expert's
// answer and the rule it explains stay together in the knowledge base.

// maxRules bounds the rules one question names.
const maxRules = 5

// RuleRef is a rule a question names, as the question bank gives it.
type RuleRef struct {
	Ref    string `json:"ref"`
	Source string `json:"source"`
	Code   string `json:"code"`
	Stem   string `json:"stem"`
	Answer string `json:"answer"`
	Basis  string `json:"basis"`
}

// ruleIndex is the question bank by "source:code", built once: the
// libraries it reads are the ones shipped with the binary.
type ruleIndex struct {
	once sync.Once
	list []RuleRef
	by   map[string]RuleRef
	err  error
}

func (s *Service) ruleIndex() (*ruleIndex, error) {
	x := &s.rules
	x.once.Do(func() {
		bank, err := QuestionBank(s.t, 0)
		if err != nil {
			x.err = err
			return
		}
		x.by = make(map[string]RuleRef, len(bank))
		for _, q := range bank {
			r := RuleRef{Ref: q.Source + ":" + q.Code, Source: q.Source, Code: q.Code, Stem: q.Stem,
				Answer: q.Options[q.Answer], Basis: q.Explanation}
			if _, dup := x.by[r.Ref]; !dup {
				x.by[r.Ref] = r
				x.list = append(x.list, r)
			}
		}
	})
	return x, x.err
}

// RuleChoices lists every rule a question may name, in library order.
func (s *Service) RuleChoices() ([]RuleRef, error) {
	x, err := s.ruleIndex()
	if err != nil {
		return nil, err
	}
	return x.list, nil
}

// parseRules reads the rules a question names: refs separated by commas,
// 、 or spaces, each a known "source:code", at most maxRules. key names
// what is wrong ("" when nothing is).
func (s *Service) parseRules(text string) ([]RuleRef, string, []any, error) {
	refs := splitTags(text)
	if len(refs) == 0 {
		return nil, "", nil, nil
	}
	if len(refs) > maxRules {
		return nil, "err.aid_too_many", []any{maxRules}, nil
	}
	x, err := s.ruleIndex()
	if err != nil {
		return nil, "", nil, err
	}
	out := make([]RuleRef, 0, len(refs))
	for _, ref := range refs {
		r, ok := x.by[ref]
		if !ok {
			return nil, "err.aid_rule_unknown", []any{ref}, nil
		}
		out = append(out, r)
	}
	return out, "", nil, nil
}

// resolveRules turns stored refs back into rules; a ref the bank no
// longer holds (a rule retired since) is kept with its code alone.
func (s *Service) resolveRules(q *Question) error {
	if len(q.RuleRefs) == 0 {
		q.Rules = []RuleRef{}
		return nil
	}
	x, err := s.ruleIndex()
	if err != nil {
		return err
	}
	q.Rules = make([]RuleRef, 0, len(q.RuleRefs))
	for _, ref := range q.RuleRefs {
		r, ok := x.by[ref]
		if !ok {
			src, code, _ := strings.Cut(ref, ":")
			r = RuleRef{Ref: ref, Source: src, Code: code}
		}
		q.Rules = append(q.Rules, r)
	}
	return nil
}
