package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// cardSetItems is the SET list of an item update, $1…$27 in cardItems
// order. The stage number ($1) is the key: it is set to itself, which
// also gives PostgreSQL the type of every parameter.
var cardSetItems = func() string {
	cols := strings.Split(cardItems, ",")
	parts := make([]string, 0, len(cols))
	for i, c := range cols {
		c = strings.TrimSpace(c)
		parts = append(parts, fmt.Sprintf("%s = $%d", c, i+1))
	}
	return strings.Join(parts, ", ")
}()

func cardPlaceholders(from int) string {
	marks := make([]string, cardItemCount)
	for i := range marks {
		marks[i] = "$" + itoa(int64(from+i))
	}
	return strings.Join(marks, ", ")
}

// insertCard writes a new imported card and returns its id.
func (db *DB) insertCard(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, c casecard.Card, importID int64, now int64) (int64, error) {
	args := append(cardItemValues(c), c.UnitID, nullID(importID), now)
	var id int64
	err := stmt.QueryRowContext(ctx, args...).Scan(&id)
	return id, err
}

const sqlInsertImportedCard = `INSERT INTO case_cards (` + cardItems + `, unit_id, source, import_id, created_at, updated_at)
	VALUES (%s, $28, 'import', $29, $30, $30) RETURNING id`

// updateCard rewrites the items of a card and records what changed.
func (db *DB) updateCard(ctx context.Context, tx *sql.Tx, c casecard.Card, version int, changes []casecard.Change,
	importID, actorID, now int64) error {
	args := append(cardItemValues(c), nullID(importID), now, c.ID)
	q := `UPDATE case_cards SET ` + cardSetItems + `, import_id = COALESCE($28, import_id), updated_at = $29,
		version = version + 1 WHERE id = $30`
	if version > 0 {
		args = append(args, version)
		q += ` AND version = $31`
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return apperr.ErrConflict
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO card_changes (card_id, import_id, actor_id, changes, created_at)
		VALUES ($1, $2, $3, $4, $5)`, c.ID, nullID(importID), nullID(actorID), string(b), now)
	return err
}

// UpdateCard writes a correction of an imported card and its fresh scan
// result in one transaction.
func (db *DB) UpdateCard(ctx context.Context, c casecard.Card, version int, changes []casecard.Change,
	res dataquality.CardResult, today string, a audit.Record) (dataquality.Applied, error) {
	var out dataquality.Applied
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.updateCard(ctx, tx, c, version, changes, 0, a.Actor.UserID, db.ms()); err != nil {
			return err
		}
		active, err := activeProblems(ctx, tx, []int64{c.ID})
		if err != nil {
			return err
		}
		res.CardID = c.ID
		if out, err = db.applyHits(ctx, tx, []dataquality.CardResult{res}, active, today); err != nil {
			return err
		}
		a.Detail = strings.TrimSpace(fmt.Sprintf("%s opened=%d fixed=%d", a.Detail, out.Opened, out.Fixed))
		return db.appendAudit(ctx, tx, a)
	})
	return out, err
}

// ImportCards writes one confirmed import in one transaction: the import
// row, new cards, changed cards with their change records, the problems
// of every card of the file, the audit entry, and the removal of the
// pending upload.
func (db *DB) ImportCards(ctx context.Context, w dataquality.ImportWrite, a audit.Record) (dataquality.ImportResult, error) {
	var out dataquality.ImportResult
	err := db.write(ctx, func(tx *sql.Tx) error {
		out = dataquality.ImportResult{}
		now := db.ms()
		if err := tx.QueryRowContext(ctx, `INSERT INTO card_imports (unit_id, actor_id, file_name, sha256, format,
			rows_read, created, updated, unchanged, hits, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0, $7) RETURNING id`,
			w.UnitID, nullID(w.ActorID), w.FileName, w.SHA256, w.Format, w.Rows, now).Scan(&out.ImportID); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, fmt.Sprintf(sqlInsertImportedCard, cardPlaceholders(1)))
		if err != nil {
			return err
		}
		defer ins.Close()
		results := make([]dataquality.CardResult, len(w.Cards))
		ids := make([]int64, 0, len(w.Cards))
		for i, ic := range w.Cards {
			id := ic.ExistingID
			switch {
			case id == 0:
				if id, err = db.insertCard(ctx, tx, ins, ic.Card, out.ImportID, now); err != nil {
					return fmt.Errorf("row %d: %w", ic.Row, err)
				}
				out.New++
			case len(ic.Changes) > 0:
				ic.Card.ID = id
				if err := db.updateCard(ctx, tx, ic.Card, 0, ic.Changes, out.ImportID, w.ActorID, now); err != nil {
					return fmt.Errorf("row %d: %w", ic.Row, err)
				}
				out.Updated++
			default:
				out.Unchanged++
			}
			results[i] = ic.Result
			results[i].CardID = id
			out.Hits += len(ic.Result.Hits)
			if ic.ExistingID != 0 {
				ids = append(ids, id)
			}
		}
		active, err := activeProblems(ctx, tx, ids)
		if err != nil {
			return err
		}
		if out.Applied, err = db.applyHits(ctx, tx, results, active, w.Today); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE card_imports SET created = $1, updated = $2, unchanged = $3, hits = $4
			WHERE id = $5`, out.New, out.Updated, out.Unchanged, out.Hits, out.ImportID); err != nil {
			return err
		}
		sc := w.Scan
		sc.FinishedAt, sc.Opened, sc.Fixed = db.ms(), out.Opened, out.Fixed
		if _, err := tx.ExecContext(ctx, `INSERT INTO dq_scans (kind, unit_id, actor_id, started_at, finished_at, cards,
			rules, evaluations, hits, opened, fixed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			sc.Kind, nullID(sc.UnitID), nullID(w.ActorID), sc.StartedAt, sc.FinishedAt, sc.Cards, sc.Rules, sc.Evaluations,
			sc.Hits, sc.Opened, sc.Fixed); err != nil {
			return err
		}
		if w.UploadID != 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM card_uploads WHERE id = $1`, w.UploadID); err != nil {
				return err
			}
		}
		a.ObjectID = itoa(out.ImportID)
		return db.appendAudit(ctx, tx, a)
	})
	if err != nil {
		return dataquality.ImportResult{}, err
	}
	return out, nil
}

// CardHistory lists the recorded changes of a card, newest first.
func (db *DB) CardHistory(ctx context.Context, id int64) ([]dataquality.CardChange, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT h.id, COALESCE(h.import_id, 0), COALESCE(u.name, ''), h.changes, h.created_at
		FROM card_changes h LEFT JOIN users u ON u.id = h.actor_id WHERE h.card_id = $1 ORDER BY h.id DESC LIMIT 100`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.CardChange
	for rows.Next() {
		var c dataquality.CardChange
		var changes string
		var at int64
		if err := rows.Scan(&c.ID, &c.ImportID, &c.Actor, &changes, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(changes), &c.Changes); err != nil {
			return nil, err
		}
		c.CreatedAt = ms(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListCards returns one page of cards in scope, newest first.
func (db *DB) ListCards(ctx context.Context, s access.FindingScope, f dataquality.CardFilter) ([]casecard.Card, string, error) {
	w := scopeWhere(s, "k.unit_id", "k")
	if f.Source != "" {
		w.add("k.source = $%d", f.Source)
	}
	if f.Category != "" {
		w.add("k.category = $%d", f.Category)
	}
	if f.Query != "" {
		q := "%" + strings.NewReplacer("%", "", "_", "").Replace(f.Query) + "%"
		w.add("(k.stage_no LIKE $%d OR k.uniform_no LIKE $%d OR k.name LIKE $%d)", q, q, q)
	}
	if f.Problems {
		w.add("EXISTS (SELECT 1 FROM dq_problems p WHERE p.card_id = k.id AND p.status = $%d)", dataquality.StatusOpen)
	}
	if err := w.afterID("k.id", f.After); err != nil {
		return nil, "", err
	}
	w.args = append(w.args, f.Limit+1)
	rows, err := db.r.QueryContext(ctx, cardSelect+` WHERE `+w.sql()+fmt.Sprintf(` ORDER BY k.id DESC LIMIT $%d`, len(w.args)), w.args...)
	if err != nil {
		return nil, "", err
	}
	return idPage(rows, f.Limit, scanCard, func(c casecard.Card) int64 { return c.ID })
}

// EachCardGroup streams the cards grouped by unified case number.
func (db *DB) EachCardGroup(ctx context.Context, unitID int64, fn func([]casecard.Card) error) error {
	q := cardSelect + ` ORDER BY k.uniform_no, k.id`
	var args []any
	if unitID != 0 {
		q = cardSelect + ` WHERE k.unit_id = $1 OR k.uniform_no IN (SELECT uniform_no FROM case_cards
			WHERE unit_id = $1 AND uniform_no <> '') ORDER BY k.uniform_no, k.id`
		args = append(args, unitID)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var group []casecard.Card
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return err
		}
		if len(group) > 0 && (c.UniformNo == "" || c.UniformNo != group[0].UniformNo) {
			if err := fn(group); err != nil {
				return err
			}
			group = group[:0]
		}
		group = append(group, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(group) > 0 {
		return fn(group)
	}
	return nil
}

// SeedCards bulk-inserts imported cards (synthetic data for demos and
// benchmarks at national scale), without scanning them, in transactions
// of batch cards each, with one audit entry per transaction.
func (db *DB) SeedCards(ctx context.Context, cards []casecard.Card, batch int, a audit.Record) error {
	head := `INSERT INTO case_cards (` + cardItems + `, unit_id, source, created_at, updated_at)`
	for start := 0; start < len(cards); start += batch {
		part := cards[start:min(start+batch, len(cards))]
		err := db.write(ctx, func(tx *sql.Tx) error {
			now := db.ms()
			rows := make([][]any, len(part))
			for i, c := range part {
				rows[i] = append(cardItemValues(c), c.UnitID, casecard.SourceImport, now, now)
			}
			if err := insertRows(ctx, tx, head, cardItemCount+4, rows); err != nil {
				return err
			}
			rec := a
			rec.Detail = strings.TrimSpace(fmt.Sprintf("%s cards=%d", a.Detail, len(part)))
			return db.appendAudit(ctx, tx, rec)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ReadAllCards reads every card with the scan's query and does nothing
// with them: the bare reference the scan benchmark is measured against.
func (db *DB) ReadAllCards(ctx context.Context) (int, error) {
	rows, err := db.r.QueryContext(ctx, cardSelect+` ORDER BY k.uniform_no, k.id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := scanCard(rows); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
