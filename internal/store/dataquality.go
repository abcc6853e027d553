package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/dataquality"
)

// RuleVersions lists every stored rule version in (rule, version) order.
func (db *DB) RuleVersions(ctx context.Context) ([]dataquality.StoredRule, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.rule_id, r.version, r.data, COALESCE(u.name, ''), r.created_at
		FROM dq_rules r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.rule_id, r.version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.StoredRule
	for rows.Next() {
		var r dataquality.StoredRule
		var data string
		if err := rows.Scan(&r.RuleID, &r.Version, &data, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Data = []byte(data)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRuleVersions stores rule versions and a in one transaction.
func (db *DB) AddRuleVersions(ctx context.Context, rules []dataquality.StoredRule, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		for _, r := range rules {
			var taken int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dq_rules WHERE rule_id = $1 AND version = $2`,
				r.RuleID, r.Version).Scan(&taken); err != nil {
				return err
			}
			if taken > 0 {
				return apperr.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dq_rules (rule_id, version, data, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5)`, r.RuleID, r.Version, string(r.Data), nullID(a.Actor.UserID), now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// SaveUpload keeps a previewed file until it is confirmed.
func (db *DB) SaveUpload(ctx context.Context, u dataquality.Upload, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO card_uploads (unit_id, actor_id, file_name, sha256, size, content,
			created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, u.UnitID, u.ActorID, u.FileName, u.SHA256,
			len(u.Data), u.Data, db.ms()).Scan(&id); err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// Upload reads a pending upload.
func (db *DB) Upload(ctx context.Context, id int64) (dataquality.Upload, error) {
	var u dataquality.Upload
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT id, unit_id, actor_id, file_name, sha256, content, created_at
		FROM card_uploads WHERE id = $1`, id).Scan(&u.ID, &u.UnitID, &u.ActorID, &u.FileName, &u.SHA256, &u.Data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.ErrNotFound
	}
	u.CreatedAt = ms(at)
	return u, err
}

// PurgeUploads deletes the uploads created before the instant. Dropping
// an unconfirmed preview changes no record, so it is not audited.
func (db *DB) PurgeUploads(ctx context.Context, before int64) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM card_uploads WHERE created_at < $1`, before)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Imports lists the latest imports of a unit.
func (db *DB) Imports(ctx context.Context, unitID int64, limit int) ([]dataquality.ImportInfo, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT i.id, i.file_name, i.sha256, i.format, i.rows_read, i.created, i.updated,
		i.unchanged, i.hits, COALESCE(u.name, ''), i.created_at FROM card_imports i LEFT JOIN users u ON u.id = i.actor_id
		WHERE i.unit_id = $1 ORDER BY i.id DESC LIMIT $2`, unitID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.ImportInfo
	for rows.Next() {
		var i dataquality.ImportInfo
		var at int64
		if err := rows.Scan(&i.ID, &i.FileName, &i.SHA256, &i.Format, &i.Rows, &i.New, &i.Updated, &i.Unchanged,
			&i.Hits, &i.Actor, &at); err != nil {
			return nil, err
		}
		i.CreatedAt = ms(at)
		out = append(out, i)
	}
	return out, rows.Err()
}

// RecordScan appends a scan to the scan log with a.
func (db *DB) RecordScan(ctx context.Context, r dataquality.ScanRecord, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO dq_scans (kind, unit_id, actor_id, started_at, finished_at, cards,
			rules, evaluations, hits, opened, fixed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			r.Kind, nullID(r.UnitID), nullID(a.Actor.UserID), r.StartedAt, r.FinishedAt, r.Cards, r.Rules, r.Evaluations,
			r.Hits, r.Opened, r.Fixed).Scan(&id); err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// LastScans lists the latest scans of a unit, or the nightly ones for 0.
func (db *DB) LastScans(ctx context.Context, unitID int64, limit int) ([]dataquality.ScanRecord, error) {
	q := `SELECT id, kind, COALESCE(unit_id, 0), started_at, finished_at, cards, rules, evaluations, hits, opened, fixed
		FROM dq_scans WHERE unit_id IS NULL ORDER BY id DESC LIMIT $1`
	args := []any{limit}
	if unitID != 0 {
		q = `SELECT id, kind, COALESCE(unit_id, 0), started_at, finished_at, cards, rules, evaluations, hits, opened, fixed
			FROM dq_scans WHERE unit_id = $2 OR unit_id IS NULL ORDER BY id DESC LIMIT $1`
		args = append(args, unitID)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dataquality.ScanRecord
	for rows.Next() {
		var r dataquality.ScanRecord
		if err := rows.Scan(&r.ID, &r.Kind, &r.UnitID, &r.StartedAt, &r.FinishedAt, &r.Cards, &r.Rules, &r.Evaluations,
			&r.Hits, &r.Opened, &r.Fixed); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
