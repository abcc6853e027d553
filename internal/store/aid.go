package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Paired assistance (对口援助): pairings with their units and share flags.

// AidUnit loads a unit as a pairing names it.
func (db *DB) AidUnit(ctx context.Context, id int64) (aid.Unit, error) {
	u := aid.Unit{ID: id}
	err := db.r.QueryRowContext(ctx, `SELECT name, path FROM units WHERE id = $1`, id).Scan(&u.Name, &u.Path)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Unit{}, apperr.ErrNotFound
	}
	return u, err
}

const aidPairingColumns = `p.id, p.name, p.start_on, p.end_on, p.agreement, p.contacts, p.share_aggregates,
	p.share_reviews, p.share_problems, p.share_qa, p.created_at, p.updated_at`

func scanAidPairing(rs rowScanner) (aid.Pairing, error) {
	var pr aid.Pairing
	var contacts string
	var created, updated int64
	err := rs.Scan(&pr.ID, &pr.Name, &pr.StartOn, &pr.EndOn, &pr.Agreement, &contacts, &pr.Shares.Aggregates,
		&pr.Shares.Reviews, &pr.Shares.Problems, &pr.Shares.QA, &created, &updated)
	if err != nil {
		return pr, err
	}
	pr.CreatedAt, pr.UpdatedAt = ms(created), ms(updated)
	if err := json.Unmarshal([]byte(contacts), &pr.Contacts); err != nil {
		return pr, fmt.Errorf("store: pairing %d contacts: %w", pr.ID, err)
	}
	return pr, nil
}

// AidPairings lists the pairings within scope: those with the scope's
// unit on either side, and, for a supervisor or an administrator, those
// whose every unit lies under theirs (filtered here, in SQL).
func (db *DB) AidPairings(ctx context.Context, s aid.ReadScope) ([]aid.Pairing, error) {
	cond := `EXISTS (SELECT 1 FROM aid_pairing_units m WHERE m.pairing_id = p.id AND m.unit_id = $1)`
	args := []any{s.UnitID}
	if s.AbovePath != "" {
		// Every unit under the path: no unit of the pairing outside it.
		cond += ` OR NOT EXISTS (SELECT 1 FROM aid_pairing_units m JOIN units u ON u.id = m.unit_id
			WHERE m.pairing_id = p.id AND u.path NOT LIKE $2)`
		args = append(args, s.AbovePath+"%")
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+aidPairingColumns+` FROM aid_pairings p WHERE `+cond+`
		ORDER BY p.start_on DESC, p.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	var out []aid.Pairing
	for rows.Next() {
		pr, err := scanAidPairing(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, pr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := db.aidUnits(ctx, db.r, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AidPairing loads one pairing with its units.
func (db *DB) AidPairing(ctx context.Context, id int64) (aid.Pairing, error) {
	pr, err := scanAidPairing(db.r.QueryRowContext(ctx, `SELECT `+aidPairingColumns+` FROM aid_pairings p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Pairing{}, apperr.ErrNotFound
	}
	if err != nil {
		return aid.Pairing{}, err
	}
	return pr, db.aidUnits(ctx, db.r, &pr)
}

func (db *DB) aidUnits(ctx context.Context, q querier, pr *aid.Pairing) error {
	rows, err := q.QueryContext(ctx, `SELECT m.side, u.id, u.name, u.path FROM aid_pairing_units m
		JOIN units u ON u.id = m.unit_id WHERE m.pairing_id = $1 ORDER BY u.path`, pr.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	pr.Aiding, pr.Aided = nil, nil
	for rows.Next() {
		var side string
		var u aid.Unit
		if err := rows.Scan(&side, &u.ID, &u.Name, &u.Path); err != nil {
			return err
		}
		if side == aid.SideAiding {
			pr.Aiding = append(pr.Aiding, u)
		} else {
			pr.Aided = append(pr.Aided, u)
		}
	}
	return rows.Err()
}

// sharePairs are the statistics sharings (owner aided → viewer aiding) a
// pairing's aggregates flag stands for.
func sharePairs(pr aid.Pairing) [][2]int64 {
	if !pr.Shares.Aggregates {
		return nil
	}
	var out [][2]int64
	for _, d := range pr.Aided {
		for _, g := range pr.Aiding {
			out = append(out, [2]int64{d.ID, g.ID})
		}
	}
	return out
}

// SaveAidPairing inserts (pr.ID 0) or replaces a pairing with its units,
// sets or clears the statistics sharing its aggregates flag stands for,
// and appends the audit entry, in one transaction. A sharing another
// pairing still stands for is kept when this one stops needing it.
func (db *DB) SaveAidPairing(ctx context.Context, pr aid.Pairing, actorID int64, a audit.Record) (int64, error) {
	contacts, err := json.Marshal(pr.Contacts)
	if err != nil {
		return 0, err
	}
	if pr.Contacts == nil {
		contacts = []byte("[]")
	}
	id := pr.ID
	err = db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		var old [][2]int64
		if id == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO aid_pairings (name, start_on, end_on, agreement, contacts,
				share_aggregates, share_reviews, share_problems, share_qa, created_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
				pr.Name, pr.StartOn, pr.EndOn, pr.Agreement, string(contacts), pr.Shares.Aggregates, pr.Shares.Reviews,
				pr.Shares.Problems, pr.Shares.QA, nullID(actorID), now).Scan(&id); err != nil {
				return err
			}
		} else {
			was, err := scanAidPairing(tx.QueryRowContext(ctx, `SELECT `+aidPairingColumns+` FROM aid_pairings p WHERE p.id = $1`, id))
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.ErrNotFound
			}
			if err != nil {
				return err
			}
			if err := db.aidUnits(ctx, tx, &was); err != nil {
				return err
			}
			old = sharePairs(was)
			if _, err := tx.ExecContext(ctx, `UPDATE aid_pairings SET name = $1, start_on = $2, end_on = $3, agreement = $4,
				contacts = $5, share_aggregates = $6, share_reviews = $7, share_problems = $8, share_qa = $9, updated_at = $10
				WHERE id = $11`, pr.Name, pr.StartOn, pr.EndOn, pr.Agreement, string(contacts), pr.Shares.Aggregates,
				pr.Shares.Reviews, pr.Shares.Problems, pr.Shares.QA, now, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM aid_pairing_units WHERE pairing_id = $1`, id); err != nil {
				return err
			}
		}
		for _, side := range []struct {
			name  string
			units []aid.Unit
		}{{aid.SideAiding, pr.Aiding}, {aid.SideAided, pr.Aided}} {
			for _, u := range side.units {
				if _, err := tx.ExecContext(ctx, `INSERT INTO aid_pairing_units (pairing_id, unit_id, side) VALUES ($1, $2, $3)`,
					id, u.ID, side.name); err != nil {
					return err
				}
			}
		}
		want := sharePairs(pr)
		for _, p := range old {
			if containsPair(want, p) {
				continue
			}
			// Another pairing with the same two units still sharing
			// aggregates keeps the sharing.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM aid_pairings q
				JOIN aid_pairing_units d ON d.pairing_id = q.id AND d.side = 'aided' AND d.unit_id = $1
				JOIN aid_pairing_units g ON g.pairing_id = q.id AND g.side = 'aiding' AND g.unit_id = $2
				WHERE q.id <> $3 AND q.share_aggregates = TRUE`, p[0], p[1], id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM stats_shares WHERE owner_unit_id = $1 AND viewer_unit_id = $2`,
				p[0], p[1]); err != nil {
				return err
			}
		}
		for _, p := range want {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stats_shares (owner_unit_id, viewer_unit_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (owner_unit_id, viewer_unit_id) DO NOTHING`, p[0], p[1], now); err != nil {
				return err
			}
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

func containsPair(ps [][2]int64, p [2]int64) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}
