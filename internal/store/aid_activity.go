package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// The log of visits, meetings, trainings and liaison of a pairing, with
// the follow-up items agreed at each.

// AidActivities lists a pairing's activities, latest first, with their
// follow-ups (two queries: a pairing logs tens of activities a year).
func (db *DB) AidActivities(ctx context.Context, pairingID int64) ([]aid.Activity, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, kind, held_on, place, participants, agreed, created_at
		FROM aid_activities WHERE pairing_id = $1 ORDER BY held_on DESC, id DESC`, pairingID)
	if err != nil {
		return nil, err
	}
	var out []aid.Activity
	index := map[int64]int{}
	for rows.Next() {
		a := aid.Activity{PairingID: pairingID}
		var at int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.HeldOn, &a.Place, &a.Participants, &a.Agreed, &at); err != nil {
			rows.Close()
			return nil, err
		}
		a.CreatedAt = ms(at)
		index[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT id, activity_id, item, owner, due_on, status, done_on
		FROM aid_followups WHERE pairing_id = $1 ORDER BY activity_id, id`, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f aid.FollowUp
		if err := rows.Scan(&f.ID, &f.ActivityID, &f.Item, &f.Owner, &f.DueOn, &f.Status, &f.DoneOn); err != nil {
			return nil, err
		}
		if i, ok := index[f.ActivityID]; ok {
			out[i].FollowUps = append(out[i].FollowUps, f)
		}
	}
	return out, rows.Err()
}

// CreateAidActivity inserts an activity with its follow-ups and the audit
// entry in one transaction.
func (db *DB) CreateAidActivity(ctx context.Context, a aid.Activity, actorID int64, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_activities (pairing_id, kind, held_on, place, participants, agreed,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.PairingID, a.Kind, a.HeldOn,
			a.Place, a.Participants, a.Agreed, nullID(actorID), now).Scan(&id); err != nil {
			return err
		}
		for _, f := range a.FollowUps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO aid_followups (activity_id, pairing_id, item, owner, due_on, status,
				done_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, a.PairingID, f.Item, f.Owner, f.DueOn,
				f.Status, f.DoneOn, now); err != nil {
				return err
			}
		}
		rec.Detail += " activity=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AidFollowUp loads one follow-up and the id of its pairing.
func (db *DB) AidFollowUp(ctx context.Context, id int64) (aid.FollowUp, int64, error) {
	var f aid.FollowUp
	var pairingID int64
	err := db.r.QueryRowContext(ctx, `SELECT id, activity_id, pairing_id, item, owner, due_on, status, done_on
		FROM aid_followups WHERE id = $1`, id).Scan(&f.ID, &f.ActivityID, &pairingID, &f.Item, &f.Owner, &f.DueOn,
		&f.Status, &f.DoneOn)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.FollowUp{}, 0, apperr.ErrNotFound
	}
	return f, pairingID, err
}

// SetAidFollowUp changes a follow-up's status with its audit entry.
func (db *DB) SetAidFollowUp(ctx context.Context, id int64, status, doneOn string, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE aid_followups SET status = $1, done_on = $2, updated_at = $3 WHERE id = $4`,
			status, doneOn, db.ms(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, apperr.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, rec)
	})
}
