package dataquality

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
)

// ImportStore keeps pending uploads and writes confirmed imports.
type ImportStore interface {
	// SaveUpload keeps a previewed file until it is confirmed.
	SaveUpload(ctx context.Context, u Upload, a audit.Record) (int64, error)
	// Upload reads a pending upload (apperr.ErrNotFound when gone).
	Upload(ctx context.Context, id int64) (Upload, error)
	// ImportCards writes the cards of one import, their changes, their
	// scan results, the import row and a, and deletes the upload, in one
	// transaction.
	ImportCards(ctx context.Context, w ImportWrite, a audit.Record) (ImportResult, error)
	// PurgeUploads deletes uploads created before the instant (unix ms).
	PurgeUploads(ctx context.Context, before int64) (int64, error)
	Imports(ctx context.Context, unitID int64, limit int) ([]ImportInfo, error)
}

// Upload is a previewed file waiting for confirmation.
type Upload struct {
	ID        int64
	UnitID    int64
	ActorID   int64
	FileName  string
	SHA256    string
	Data      []byte
	CreatedAt time.Time
}

// UploadTTL is how long a preview can be confirmed.
const UploadTTL = 24 * time.Hour

// ImportCard is one card of an import: new (ExistingID 0), changed
// (Changes set) or unchanged, with its scan result.
type ImportCard struct {
	Card       casecard.Card
	Row        int
	ExistingID int64
	Version    int
	Changes    []casecard.Change
	Result     CardResult
}

// ImportWrite is a confirmed import as the store writes it.
type ImportWrite struct {
	UnitID   int64
	ActorID  int64
	FileName string
	SHA256   string
	Format   string
	Rows     int
	UploadID int64
	Today    string
	Cards    []ImportCard
	// Scan is the import's entry in the scan log; the store fills in
	// what the reconciliation opened and fixed.
	Scan ScanRecord
}

// ImportResult is what an import did.
type ImportResult struct {
	ImportID  int64
	New       int
	Updated   int
	Unchanged int
	Hits      int
	Applied
}

// ImportInfo is a past import, for the import page.
type ImportInfo struct {
	ID        int64
	FileName  string
	SHA256    string
	Format    string
	Rows      int
	New       int
	Updated   int
	Unchanged int
	Hits      int
	Actor     string
	CreatedAt time.Time
}

// PreviewHit is a rule hit shown in a preview.
type PreviewHit struct {
	Row      int
	StageNo  string
	RuleID   string
	Title    string
	Item     string
	Severity string
	Kind     string
}

// CardChanges lists what a re-import changes on one card.
type CardChanges struct {
	Row     int
	StageNo string
	Changes []casecard.Change
}

// ImportPreview is the validated file: its errors by row and column, what
// confirming would create or change, and the rule hits it would open.
// Confirmable only when no row has an error: an import is all or nothing.
type ImportPreview struct {
	UploadID    int64
	FileName    string
	SHA256      string
	Format      string
	Rows        int
	Errors      []casecard.CellError
	MoreErrors  int
	New         int
	Updated     int
	Unchanged   int
	Changes     []CardChanges // the first MaxPreviewList updated cards
	Hits        []PreviewHit  // the first MaxPreviewList hits
	HitCount    int
	Confirmable bool
}

// MaxPreviewList caps the changes and hits a preview lists in full.
const MaxPreviewList = 500

// prepare parses and validates a file for unitID against the database and
// scans every valid card with its related cards (those stored, replaced by
// the file's own where the file carries them).
func (s *Service) prepare(ctx context.Context, unitID int64, name string, data []byte) (ImportPreview, []ImportCard, error) {
	vocab, _, err := s.vocabulary(ctx)
	if err != nil {
		return ImportPreview{}, nil, err
	}
	p, err := casecard.Parse(name, data, vocab)
	if err != nil {
		return ImportPreview{}, nil, err
	}
	pv := ImportPreview{FileName: name, SHA256: p.SHA256, Format: p.Format, Rows: p.Rows,
		Errors: p.Errors, MoreErrors: p.MoreErrors}
	stages := make([]string, len(p.Cards))
	for i, c := range p.Cards {
		stages[i] = c.StageNo
	}
	existing, err := s.store.CardsByStage(ctx, stages)
	if err != nil {
		return pv, nil, err
	}
	users, err := s.store.UnitUsers(ctx, unitID)
	if err != nil {
		return pv, nil, err
	}
	cards := make([]ImportCard, 0, len(p.Cards))
	for i, c := range p.Cards {
		row := p.RowOf(i)
		c.UnitID, c.Source, c.HandlerID = unitID, casecard.SourceImport, users[c.Handler]
		ic := ImportCard{Card: c, Row: row}
		if old, ok := existing[c.StageNo]; ok {
			switch {
			case old.UnitID != unitID:
				pv.addError(casecard.CellError{Row: row, Column: "部门受案号", Key: "err.dq_stage_other_unit", Value: c.StageNo})
				continue
			case old.Source == casecard.SourceCase:
				pv.addError(casecard.CellError{Row: row, Column: "部门受案号", Key: "err.dq_stage_case", Value: c.StageNo})
				continue
			}
			ic.ExistingID, ic.Card.ID = old.ID, old.ID
			ic.Changes = casecard.Diff(old, c)
			switch {
			case len(ic.Changes) == 0:
				pv.Unchanged++
			default:
				pv.Updated++
				if len(pv.Changes) < MaxPreviewList {
					pv.Changes = append(pv.Changes, CardChanges{Row: row, StageNo: c.StageNo, Changes: ic.Changes})
				}
			}
		} else {
			pv.New++
		}
		cards = append(cards, ic)
	}
	if err := s.scanImport(ctx, cards, &pv); err != nil {
		return pv, nil, err
	}
	pv.Confirmable = len(pv.Errors) == 0 && pv.MoreErrors == 0 && len(cards) > 0
	return pv, cards, nil
}

func (pv *ImportPreview) addError(e casecard.CellError) {
	if len(pv.Errors) >= casecard.MaxErrors {
		pv.MoreErrors++
		return
	}
	pv.Errors = append(pv.Errors, e)
}

// scanImport evaluates the file's cards with their related cards.
func (s *Service) scanImport(ctx context.Context, cards []ImportCard, pv *ImportPreview) error {
	groups := map[string][]casecard.Card{}
	var uniforms []string
	for _, ic := range cards {
		if u := ic.Card.UniformNo; u != "" {
			if _, ok := groups[u]; !ok {
				uniforms = append(uniforms, u)
				groups[u] = nil
			}
		}
	}
	stored, err := s.store.CardsByUniform(ctx, uniforms)
	if err != nil {
		return err
	}
	inFile := make(map[string]bool, len(cards))
	for _, ic := range cards {
		inFile[ic.Card.StageNo] = true
		if u := ic.Card.UniformNo; u != "" {
			groups[u] = append(groups[u], ic.Card)
		}
	}
	for _, c := range stored {
		if !inFile[c.StageNo] {
			groups[c.UniformNo] = append(groups[c.UniformNo], c)
		}
	}
	sc := s.newScanner()
	env := &Env{}
	var buf []Hit
	for i := range cards {
		c := cards[i].Card
		group := groups[c.UniformNo]
		if c.UniformNo == "" {
			group = []casecard.Card{c}
		}
		res, b, _, _ := sc.result(c, group, env, buf)
		buf = b
		cards[i].Result = res
		pv.HitCount += len(res.Hits)
		for _, h := range res.Hits {
			if len(pv.Hits) >= MaxPreviewList {
				break
			}
			r, _ := sc.lib.Rule(h.RuleID)
			pv.Hits = append(pv.Hits, PreviewHit{Row: cards[i].Row, StageNo: c.StageNo, RuleID: h.RuleID,
				Title: r.Title, Item: h.Item, Severity: h.Severity, Kind: h.Kind})
		}
	}
	return nil
}

// PreviewImport validates an uploaded file for the caller's unit and,
// when it can be confirmed, keeps it until the caller confirms. Nothing
// else is written: the cards change only on confirmation.
func (s *Service) PreviewImport(ctx context.Context, r Request, unitID int64, name string, data []byte) (ImportPreview, error) {
	if !access.CanImportCards(r.P, unitID) {
		return ImportPreview{}, apperr.ErrForbidden
	}
	pv, _, err := s.prepare(ctx, unitID, name, data)
	if err != nil || !pv.Confirmable {
		return pv, err
	}
	id, err := s.store.SaveUpload(ctx, Upload{UnitID: unitID, ActorID: r.P.UserID, FileName: name, SHA256: pv.SHA256,
		Data: data}, r.record("dq.import_preview", objImport, 0,
		fmt.Sprintf("file=%s sha256=%s rows=%d", cleanName(name), pv.SHA256, pv.Rows)))
	pv.UploadID = id
	return pv, err
}

// ConfirmImport writes a previewed upload: it is validated again against
// the database as it is now, and written in one transaction with an audit
// entry naming the file's SHA-256.
func (s *Service) ConfirmImport(ctx context.Context, r Request, uploadID int64) (ImportResult, error) {
	u, err := s.store.Upload(ctx, uploadID)
	if err != nil {
		return ImportResult{}, err
	}
	if u.ActorID != r.P.UserID || s.now().Sub(u.CreatedAt) > UploadTTL {
		return ImportResult{}, apperr.ErrNotFound
	}
	if !access.CanImportCards(r.P, u.UnitID) {
		return ImportResult{}, apperr.ErrForbidden
	}
	return s.write(ctx, r.P.UserID, audit.ActorOf(r.P, r.Client, r.RequestID), u.UnitID, u.FileName, u.Data, uploadID)
}

// ErrNotConfirmable is returned when a file has row errors: nothing is
// written until every row is valid.
var ErrNotConfirmable = errors.New("dataquality: the file has errors")

// ImportFile validates and, unless dryRun, writes a file in one step (the
// command line: `anguan import cards FILE --unit CODE`). The preview is
// returned either way; with row errors nothing is written and the error is
// ErrNotConfirmable.
func (s *Service) ImportFile(ctx context.Context, actor audit.Actor, unitID int64, name string, data []byte,
	dryRun bool) (ImportPreview, ImportResult, error) {
	pv, cards, err := s.prepare(ctx, unitID, name, data)
	if err != nil {
		return pv, ImportResult{}, err
	}
	if !pv.Confirmable {
		return pv, ImportResult{}, ErrNotConfirmable
	}
	if dryRun {
		return pv, ImportResult{}, nil
	}
	res, err := s.writePrepared(ctx, actor.UserID, actor, unitID, name, pv, cards, 0)
	return pv, res, err
}

// write validates a file again against the database as it is now and
// writes it.
func (s *Service) write(ctx context.Context, actorID int64, actor audit.Actor, unitID int64, name string, data []byte,
	uploadID int64) (ImportResult, error) {
	pv, cards, err := s.prepare(ctx, unitID, name, data)
	if err != nil {
		return ImportResult{}, err
	}
	if !pv.Confirmable {
		return ImportResult{}, ErrNotConfirmable
	}
	return s.writePrepared(ctx, actorID, actor, unitID, name, pv, cards, uploadID)
}

func (s *Service) writePrepared(ctx context.Context, actorID int64, actor audit.Actor, unitID int64, name string,
	pv ImportPreview, cards []ImportCard, uploadID int64) (ImportResult, error) {
	w := ImportWrite{UnitID: unitID, ActorID: actorID, FileName: cleanName(name), SHA256: pv.SHA256, Format: pv.Format,
		Rows: pv.Rows, UploadID: uploadID, Today: s.Today(), Cards: cards}
	a := newRecord(actor, "dq.import", objImport, 0, fmt.Sprintf("file=%s sha256=%s rows=%d new=%d updated=%d unchanged=%d hits=%d",
		w.FileName, pv.SHA256, pv.Rows, pv.New, pv.Updated, pv.Unchanged, pv.HitCount))
	// The import's scan joins the scan log like the others, in the
	// import's transaction.
	w.Scan = ScanRecord{Kind: ScanImport, UnitID: unitID, StartedAt: s.now().UnixMilli(), Cards: len(cards),
		Rules: s.Library().Len(), Hits: pv.HitCount}
	for _, ic := range cards {
		w.Scan.Evaluations += int64(s.Library().Applicable(ic.Card.Category, ic.Card.Source))
	}
	return s.store.ImportCards(ctx, w, a)
}

// cleanName keeps the base name of an uploaded file, without control
// characters, for the import log.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len([]rune(name)) > 120 {
		name = string([]rune(name)[:120])
	}
	return name
}

// Imports lists the latest imports of a unit.
func (s *Service) Imports(ctx context.Context, r Request, unitID int64) ([]ImportInfo, error) {
	if !access.CanImportCards(r.P, unitID) {
		return nil, apperr.ErrForbidden
	}
	return s.store.Imports(ctx, unitID, 20)
}

// PurgeUploads drops previews older than UploadTTL (run by the job runner).
func (s *Service) PurgeUploads(ctx context.Context) (int64, error) {
	return s.store.PurgeUploads(ctx, s.now().Add(-UploadTTL).UnixMilli())
}
