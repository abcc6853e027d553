package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// The aid-fund ledger (援助资金台账) and its attachments.

const sqlAidLedger = `SELECT l.id, l.kind, l.entry_on, l.amount_fen, l.purpose, l.created_at, COALESCE(u.name, ''),
	COALESCE(a.id, 0), COALESCE(a.file_name, ''), COALESCE(a.content_type, ''), COALESCE(a.size, 0), COALESCE(a.sha256, '')
	FROM aid_ledger l LEFT JOIN users u ON u.id = l.created_by LEFT JOIN aid_attachments a ON a.id = l.attachment_id
	WHERE l.pairing_id = $1 ORDER BY l.entry_on, l.id`

func (db *DB) aidLedger(ctx context.Context, q querier, pairingID int64) ([]aid.Entry, error) {
	rows, err := q.QueryContext(ctx, sqlAidLedger, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Entry
	for rows.Next() {
		e := aid.Entry{PairingID: pairingID}
		var at int64
		var att aid.Attachment
		if err := rows.Scan(&e.ID, &e.Kind, &e.EntryOn, &e.AmountFen, &e.Purpose, &at, &e.CreatedBy,
			&att.ID, &att.Name, &att.ContentType, &att.Size, &att.SHA256); err != nil {
			return nil, err
		}
		e.CreatedAt = ms(at)
		if att.ID != 0 {
			e.Attachment = &att
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AidLedger lists a pairing's entries in ledger order (date, then id).
func (db *DB) AidLedger(ctx context.Context, pairingID int64) ([]aid.Entry, error) {
	return db.aidLedger(ctx, db.r, pairingID)
}

// AddAidEntry stores a fund entry, its attachment and the audit entry in
// one transaction. An expenditure is checked against the ledger as it is
// inside the transaction (the pairing row is locked on PostgreSQL; SQLite
// has one writer), so two concurrent expenditures cannot both spend the
// same balance.
func (db *DB) AddAidEntry(ctx context.Context, e aid.Entry, content []byte, actorID int64, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		lock := `SELECT id FROM aid_pairings WHERE id = $1`
		if db.engine == Postgres {
			lock += ` FOR UPDATE`
		}
		var pid int64
		if err := tx.QueryRowContext(ctx, lock, e.PairingID).Scan(&pid); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.ErrNotFound
			}
			return err
		}
		if e.Kind == aid.EntryExpenditure {
			es, err := db.aidLedger(ctx, tx, e.PairingID)
			if err != nil {
				return err
			}
			if room := aid.Headroom(es, e.EntryOn); room < e.AmountFen {
				return &aid.ErrOverdrawn{BalanceFen: room}
			}
		}
		now := db.ms()
		var attID any
		if e.Attachment != nil {
			var aID int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO aid_attachments (pairing_id, file_name, content_type, size, sha256,
				content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, e.PairingID, e.Attachment.Name,
				e.Attachment.ContentType, e.Attachment.Size, e.Attachment.SHA256, content, now).Scan(&aID); err != nil {
				return err
			}
			attID = aID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_ledger (pairing_id, kind, entry_on, amount_fen, purpose,
			attachment_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			e.PairingID, e.Kind, e.EntryOn, e.AmountFen, e.Purpose, attID, nullID(actorID), now).Scan(&id); err != nil {
			return err
		}
		a.Detail += " entry=" + itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// AidAttachment loads the attachment of a pairing's fund entry.
func (db *DB) AidAttachment(ctx context.Context, pairingID, entryID int64) (aid.Attachment, []byte, error) {
	return db.aidFile(ctx, `aid_ledger l JOIN aid_attachments a ON a.id = l.attachment_id WHERE l.id = $1 AND l.pairing_id = $2`,
		entryID, pairingID)
}

// aidFile reads one stored file (a, with its content) from the joins and
// conditions of from; apperr.ErrNotFound when none matches.
func (db *DB) aidFile(ctx context.Context, from string, args ...any) (aid.Attachment, []byte, error) {
	var att aid.Attachment
	var data []byte
	err := db.r.QueryRowContext(ctx, `SELECT a.id, a.file_name, a.content_type, a.size, a.sha256, a.content FROM `+from,
		args...).Scan(&att.ID, &att.Name, &att.ContentType, &att.Size, &att.SHA256, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Attachment{}, nil, apperr.ErrNotFound
	}
	return att, data, err
}
