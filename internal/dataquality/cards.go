package dataquality

import (
	"context"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
)

// CardFilter narrows a card list. Limit is required (1–500).
type CardFilter struct {
	Source   string // "", case, import
	Category string
	Query    string // part of the stage number, unified number or case name
	Problems bool   // only cards with an open problem
	Limit    int
	After    string
}

// CardChange is one recorded change of a card: by a re-import (ImportID
// set) or a correction in anguan.
type CardChange struct {
	ID        int64
	ImportID  int64
	Actor     string
	Changes   []casecard.Change
	CreatedAt time.Time
}

// CardView is a card with its problems and history, for the card page.
type CardView struct {
	Card     casecard.Card
	Version  int
	Problems []Problem
	History  []CardChange
	// Editable: an imported card may be corrected in anguan by its unit's
	// case management office or its handler; a case's card changes with
	// the case.
	Editable bool
}

// ListCards lists cards in the caller's scope. The list shows suspects'
// names, so it is audited like every read of personal data.
func (s *Service) ListCards(ctx context.Context, r Request, f CardFilter) ([]casecard.Card, string, error) {
	if f.Limit == 0 {
		f.Limit = 50
	}
	v := &apperr.Validation{}
	if f.Limit < 1 || f.Limit > 500 {
		v.Add("limit", "err.dq_limit", 1, 500)
	}
	if f.Source != "" && f.Source != casecard.SourceCase && f.Source != casecard.SourceImport {
		v.Add("source", "err.unknown_value")
	}
	if len([]rune(f.Query)) > 100 {
		v.Add("q", "err.too_long", 100)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	sc := access.DataScope(r.P)
	if sc.None() {
		return nil, "", apperr.ErrForbidden
	}
	out, next, err := s.store.ListCards(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	if err := s.store.AppendAudit(ctx, r.record("dq.card_list", objCard, 0, "rows="+itoa(int64(len(out))))); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// canReadCard applies DataScope to one card.
func canReadCard(p access.Principal, c casecard.Card, sealed bool, unitPath string) bool {
	return canSee(p, Problem{UnitID: c.UnitID, HandlerID: c.HandlerID, Sealed: sealed, UnitPath: unitPath})
}

func canEditCard(p access.Principal, c casecard.Card) bool {
	if c.Source != casecard.SourceImport {
		return false
	}
	return access.CanImportCards(p, c.UnitID) || (c.HandlerID != 0 && c.HandlerID == p.UserID && p.UnitID == c.UnitID)
}

// GetCard reads a card with its problems and history; the read is audited.
func (s *Service) GetCard(ctx context.Context, r Request, id int64) (CardView, error) {
	c, err := s.store.Card(ctx, id)
	if err != nil {
		return CardView{}, err
	}
	sealed, path, err := s.store.CardScopeFacts(ctx, id)
	if err != nil {
		return CardView{}, err
	}
	if !canReadCard(r.P, c, sealed, path) {
		return CardView{}, apperr.ErrNotFound
	}
	view := CardView{Card: c, Editable: canEditCard(r.P, c)}
	if view.Version, err = s.store.CardVersion(ctx, id); err != nil {
		return view, err
	}
	sc := access.FindingScope{UnitID: c.UnitID, UserID: r.P.UserID}
	if view.Problems, _, err = s.store.ListProblems(ctx, sc, ProblemFilter{CardID: id, Limit: 200}); err != nil {
		return view, err
	}
	s.describe(view.Problems)
	if view.History, err = s.store.CardHistory(ctx, id); err != nil {
		return view, err
	}
	return view, s.store.AppendAudit(ctx, r.record("dq.card_read", objCard, id, ""))
}

// SaveCard corrects the items of an imported card (values by column key,
// validated exactly as an import row) and scans it at once, in one
// transaction: a problem the correction fixes closes on its own.
func (s *Service) SaveCard(ctx context.Context, r Request, id int64, version int, values map[string]string) (Applied, error) {
	view, err := s.GetCard(ctx, r, id)
	if err != nil {
		return Applied{}, err
	}
	old := view.Card
	if !view.Editable {
		return Applied{}, apperr.ErrForbidden
	}
	vocab, _, err := s.vocabulary(ctx)
	if err != nil {
		return Applied{}, err
	}
	values["stage_no"] = old.StageNo // the key does not change
	c, err := casecard.FromValues(values, vocab)
	if err != nil {
		return Applied{}, err
	}
	users, err := s.store.UnitUsers(ctx, old.UnitID)
	if err != nil {
		return Applied{}, err
	}
	c.ID, c.UnitID, c.UnitLevel, c.Source, c.HandlerID = old.ID, old.UnitID, old.UnitLevel, old.Source, users[c.Handler]
	changes := casecard.Diff(old, c)
	if len(changes) == 0 {
		return Applied{}, nil
	}
	res, err := s.resultOf(ctx, c)
	if err != nil {
		return Applied{}, err
	}
	keys := ""
	for i, ch := range changes {
		if i > 0 {
			keys += ","
		}
		keys += ch.Key
	}
	return s.store.UpdateCard(ctx, c, version, changes, res, s.Today(),
		r.record("dq.card_corrected", objCard, id, "items="+keys))
}
