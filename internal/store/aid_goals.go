package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/audit"
)

// The goals of a pairing (0012): their parameters, and the dated records
// their measures are rebuilt from as of any date.

// AidGoalParams loads a pairing's saved goal parameters by goal code.
func (db *DB) AidGoalParams(ctx context.Context, pairingID int64) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT goal, params FROM aid_goals WHERE pairing_id = $1`, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var goal, params string
		if err := rows.Scan(&goal, &params); err != nil {
			return nil, err
		}
		out[goal] = params
	}
	return out, rows.Err()
}

// SaveAidGoalParams replaces a pairing's goal parameters with the audit
// entry in one transaction.
func (db *DB) SaveAidGoalParams(ctx context.Context, pairingID int64, params map[string]string, actorID int64, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		goals := make([]string, 0, len(params))
		for g := range params {
			goals = append(goals, g)
		}
		slices.Sort(goals) // a fixed order: two saves never lock rows in opposite orders
		for _, g := range goals {
			if _, err := tx.ExecContext(ctx, `INSERT INTO aid_goals (pairing_id, goal, params, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pairing_id, goal) DO UPDATE SET params = excluded.params,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				pairingID, g, params[g], nullID(actorID), now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, rec)
	})
}

// AidLevelChanges lists the level changes of the enabled staff of the
// units: every confirmed proposal at its decision time, and every current
// level at its last change (with an empty from level: unknown), oldest first.
func (db *DB) AidLevelChanges(ctx context.Context, unitIDs []int64) ([]aid.LevelChange, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	in := placeholders(1, len(unitIDs))
	rows, err := db.r.QueryContext(ctx, `SELECT p.user_id, p.area, p.from_level, p.to_level, p.decided_at
		FROM aid_proposals p JOIN users s ON s.id = p.user_id
		WHERE p.status = 'confirmed' AND s.disabled = FALSE AND s.unit_id IN (`+in+`)
		UNION ALL
		SELECT c.user_id, c.area, '', c.level, c.updated_at
		FROM aid_competencies c JOIN users s ON s.id = c.user_id
		WHERE s.disabled = FALSE AND s.unit_id IN (`+in+`)
		ORDER BY 5, 1, 2`, idArgs(unitIDs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.LevelChange
	for rows.Next() {
		var c aid.LevelChange
		if err := rows.Scan(&c.UserID, &c.Area, &c.From, &c.To, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// msPerDay and chinaOffsetMS turn an instant into its legal day number in
// SQL on both engines (integer division of BIGINTs): China keeps one time
// zone, UTC+8, with no daylight saving.
const (
	msPerDay      = 86_400_000
	chinaOffsetMS = 8 * 3_600_000
)

// AidBoardDays lists the legal dates on which staff of the unit opened
// the deadline board (casefile.Board.List audits every opening as
// 'board.list' with the reader's unit), between the instants from and to.
func (db *DB) AidBoardDays(ctx context.Context, unitID, from, to int64) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT (at + $4) / $5 FROM audit_log
		WHERE action = 'board.list' AND unit_id = $1 AND at >= $2 AND at < $3`, unitID, from, to, chinaOffsetMS, msPerDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var day int64
		if err := rows.Scan(&day); err != nil {
			return nil, err
		}
		out = append(out, time.UnixMilli(day*msPerDay).UTC().Format(time.DateOnly))
	}
	slices.Sort(out)
	return out, rows.Err()
}

// AidNoticeReplies counts the unit's monitoring notices whose written
// reply was due within from–to, and those answered on or before the due
// date (DOMAIN §6: a notice not answered in time escalates).
func (db *DB) AidNoticeReplies(ctx context.Context, unitID int64, from, to string) (int, int, error) {
	var due, onTime int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN replied_on <> '' AND replied_on <= reply_due
		THEN 1 ELSE 0 END), 0) FROM monitor_notices WHERE unit_id = $1 AND reply_due >= $2 AND reply_due <= $3`,
		unitID, from, to).Scan(&due, &onTime)
	return due, onTime, err
}

// AidEvaluations counts the evaluation activities (评查活动) the unit
// created within from–to.
func (db *DB) AidEvaluations(ctx context.Context, unitID int64, from, to string) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM evaluation_activities WHERE unit_id = $1
		AND created_on >= $2 AND created_on <= $3`, unitID, from, to).Scan(&n)
	return n, err
}

// AddAidLevelHistory records past level changes as confirmed proposals
// decided at their instants (no decider: the history predates the
// system), with one audit entry, in one transaction. The current levels
// are not touched: the seed sets them.
func (db *DB) AddAidLevelHistory(ctx context.Context, changes []aid.LevelChange, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO aid_proposals (user_id, area, from_level, to_level, rule, reason,
				status, created_at, decided_at, decision) VALUES ($1, $2, $3, $4, '', $5, 'confirmed', $6, $6, '')`,
				c.UserID, c.Area, c.From, c.To, c.Reason, c.At); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, rec)
	})
}
