package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// The talent pipeline of paired assistance: the competency framework
// (data rows of 0010), levels per person and area, evidence, proposals
// that a mentor decides, and mentor–trainee assignments.

func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// AidFramework loads the areas and levels in display order.
func (db *DB) AidFramework(ctx context.Context) (aid.Framework, error) {
	var f aid.Framework
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, required FROM aid_comp_areas ORDER BY position, code`)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var a aid.Area
		if err := rows.Scan(&a.Code, &a.Name, &a.Required); err != nil {
			rows.Close()
			return f, err
		}
		f.Areas = append(f.Areas, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT code, name, rank FROM aid_comp_levels ORDER BY rank`)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var l aid.Level
		if err := rows.Scan(&l.Code, &l.Name, &l.Rank); err != nil {
			return f, err
		}
		f.Levels = append(f.Levels, l)
	}
	return f, rows.Err()
}

func (db *DB) aidStaff(ctx context.Context, cond string, args []any) ([]aid.Staff, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT s.id, s.name, s.unit_id, u.name, COALESCE(c.area, ''), COALESCE(c.level, '')
		FROM users s JOIN units u ON u.id = s.unit_id LEFT JOIN aid_competencies c ON c.user_id = s.id
		WHERE s.disabled = FALSE AND `+cond+` ORDER BY u.path, s.id, c.area`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Staff
	for rows.Next() {
		var st aid.Staff
		var area, level string
		if err := rows.Scan(&st.ID, &st.Name, &st.UnitID, &st.UnitName, &area, &level); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != st.ID {
			st.Levels = map[string]string{}
			out = append(out, st)
		}
		if area != "" {
			out[len(out)-1].Levels[area] = level
		}
	}
	return out, rows.Err()
}

// AidStaff lists the enabled users of the units with their levels.
func (db *DB) AidStaff(ctx context.Context, unitIDs []int64) ([]aid.Staff, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	return db.aidStaff(ctx, `s.unit_id IN (`+placeholders(1, len(unitIDs))+`)`, idArgs(unitIDs))
}

// AidStaffMember loads one enabled user with their levels.
func (db *DB) AidStaffMember(ctx context.Context, userID int64) (aid.Staff, error) {
	out, err := db.aidStaff(ctx, `s.id = $1`, []any{userID})
	if err != nil {
		return aid.Staff{}, err
	}
	if len(out) == 0 {
		return aid.Staff{}, apperr.ErrNotFound
	}
	return out[0], nil
}

// AidPairedUnits lists the units sharing a pairing with unitID.
func (db *DB) AidPairedUnits(ctx context.Context, unitID int64) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT b.unit_id FROM aid_pairing_units a
		JOIN aid_pairing_units b ON b.pairing_id = a.pairing_id WHERE a.unit_id = $1 ORDER BY b.unit_id`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AidEvidence lists the evidence of the users, latest first.
func (db *DB) AidEvidence(ctx context.Context, userIDs []int64) ([]aid.Evidence, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, user_id, area, kind, on_date, note, COALESCE(recorded_by, 0)
		FROM aid_evidence WHERE user_id IN (`+placeholders(1, len(userIDs))+`) ORDER BY on_date DESC, id DESC`, idArgs(userIDs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Evidence
	for rows.Next() {
		var e aid.Evidence
		if err := rows.Scan(&e.ID, &e.UserID, &e.Area, &e.Kind, &e.OnDate, &e.Note, &e.RecordedBy); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (db *DB) insertAidEvidence(ctx context.Context, tx *sql.Tx, e aid.Evidence) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO aid_evidence (user_id, area, kind, on_date, note, recorded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, e.UserID, e.Area, e.Kind, e.OnDate, e.Note,
		nullID(e.RecordedBy), db.ms()).Scan(&id)
	return id, err
}

// AddAidEvidence inserts a piece of evidence with its audit entry.
func (db *DB) AddAidEvidence(ctx context.Context, e aid.Evidence, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = db.insertAidEvidence(ctx, tx, e); err != nil {
			return err
		}
		rec.Detail += " evidence=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

const aidProposalSelect = `SELECT p.id, p.user_id, s.name, s.unit_id, p.area, p.from_level, p.to_level, p.rule, p.reason,
	p.status, COALESCE(p.proposed_by, 0), p.created_at, COALESCE(p.decided_by, 0), COALESCE(d.name, ''), p.decision
	FROM aid_proposals p JOIN users s ON s.id = p.user_id LEFT JOIN users d ON d.id = p.decided_by`

func scanAidProposal(rs rowScanner) (aid.Proposal, error) {
	var p aid.Proposal
	var at int64
	err := rs.Scan(&p.ID, &p.UserID, &p.UserName, &p.UnitID, &p.Area, &p.From, &p.To, &p.Rule, &p.Reason, &p.Status,
		&p.ProposedBy, &at, &p.DecidedBy, &p.DeciderName, &p.Decision)
	p.CreatedAt = ms(at)
	return p, err
}

// AidProposals lists the proposals on staff of the units, pending first,
// then the latest.
func (db *DB) AidProposals(ctx context.Context, unitIDs []int64) ([]aid.Proposal, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	rows, err := db.r.QueryContext(ctx, aidProposalSelect+` WHERE s.unit_id IN (`+placeholders(1, len(unitIDs))+`)
		ORDER BY CASE WHEN p.status = 'pending' THEN 0 ELSE 1 END, p.id DESC`, idArgs(unitIDs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Proposal
	for rows.Next() {
		p, err := scanAidProposal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AidProposal loads one proposal.
func (db *DB) AidProposal(ctx context.Context, id int64) (aid.Proposal, error) {
	p, err := scanAidProposal(db.r.QueryRowContext(ctx, aidProposalSelect+` WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Proposal{}, apperr.ErrNotFound
	}
	return p, err
}

// CreateAidProposal inserts a pending proposal, with the evidence a
// system rule computed, and the audit entry in one transaction. The
// unique index on pending proposals refuses a second one (ErrConflict).
func (db *DB) CreateAidProposal(ctx context.Context, p aid.Proposal, ev *aid.Evidence, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO aid_proposals (user_id, area, from_level, to_level, rule, reason, status,
			proposed_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id`, p.UserID, p.Area,
			p.From, p.To, p.Rule, p.Reason, nullID(p.ProposedBy), db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.ErrConflict
		}
		if err != nil {
			return err
		}
		if ev != nil {
			if _, err := db.insertAidEvidence(ctx, tx, *ev); err != nil {
				return err
			}
		}
		rec.Detail += " proposal=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// DecideAidProposal confirms or rejects a pending proposal; confirming
// sets the person's level, provided it is still the proposal's from level
// (a pending proposal is decided once: ErrConflict otherwise).
func (db *DB) DecideAidProposal(ctx context.Context, id, deciderID int64, status, decision string, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		var userID int64
		var area, from, to string
		err := tx.QueryRowContext(ctx, `UPDATE aid_proposals SET status = $1, decided_by = $2, decided_at = $3, decision = $4
			WHERE id = $5 AND status = 'pending' RETURNING user_id, area, from_level, to_level`,
			status, deciderID, now, decision, id).Scan(&userID, &area, &from, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrConflict
		}
		if err != nil {
			return err
		}
		if status == aid.ProposalConfirmed {
			var current string
			err := tx.QueryRowContext(ctx, `SELECT level FROM aid_competencies WHERE user_id = $1 AND area = $2`,
				userID, area).Scan(&current)
			if errors.Is(err, sql.ErrNoRows) {
				current, err = aid.LevelTrainee, nil
			}
			if err != nil {
				return err
			}
			if current != from {
				return apperr.ErrConflict
			}
			if err := db.setAidLevel(ctx, tx, userID, area, to, now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, rec)
	})
}

func (db *DB) setAidLevel(ctx context.Context, tx *sql.Tx, userID int64, area, level string, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO aid_competencies (user_id, area, level, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, area) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`,
		userID, area, level, now)
	return err
}

// BootstrapAidLevel sets a level directly with its audit entry (the seed).
func (db *DB) BootstrapAidLevel(ctx context.Context, userID int64, area, level string, rec audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if err := db.setAidLevel(ctx, tx, userID, area, level, db.ms()); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, rec)
	})
}

// AidRules lists the system's proposal rules.
func (db *DB) AidRules(ctx context.Context) ([]aid.Rule, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT code, area, to_level, months, min_accuracy_pct, min_fixed, text, kind,
		min_count, max_overturned_pct FROM aid_comp_rules ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Rule
	for rows.Next() {
		var r aid.Rule
		if err := rows.Scan(&r.Code, &r.Area, &r.ToLevel, &r.Months, &r.MinAccuracyPct, &r.MinFixed, &r.Text, &r.Kind,
			&r.MinCount, &r.MaxOverturnedPct); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AidDataWork is the unit's card accuracy at each instant (cards that
// existed then, and those with a problem open then, from the problems'
// history) and the card problems the user fixed since the instant since.
func (db *DB) AidDataWork(ctx context.Context, unitID, userID int64, at []int64, since int64) ([]aid.AccuracyPoint, int, error) {
	out := make([]aid.AccuracyPoint, len(at))
	for i, t := range at {
		out[i].At = t
		if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM dq_problems p
			WHERE p.card_id = k.id AND p.detected_at <= $2 AND (p.fixed_at = 0 OR p.fixed_at > $2)
			AND (p.waived_at = 0 OR p.waived_at > $2)) THEN 1 ELSE 0 END), 0)
			FROM case_cards k WHERE k.unit_id = $1 AND k.created_at <= $2`, unitID, t).Scan(&out[i].Cards,
			&out[i].WithProblems); err != nil {
			return nil, 0, err
		}
	}
	var fixed int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM dq_problems WHERE handler_id = $1 AND unit_id = $2
		AND status = 'fixed' AND fixed_at >= $3`, userID, unitID, since).Scan(&fixed)
	return out, fixed, err
}

// AidGoalStaff lists, per unit, the enabled staff at minRank or above in
// every required area: no required area lacks such a level.
func (db *DB) AidGoalStaff(ctx context.Context, unitIDs []int64, minRank int) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT s.unit_id, s.name FROM users s
		WHERE s.disabled = FALSE AND s.unit_id IN (`+placeholders(2, len(unitIDs))+`)
		AND EXISTS (SELECT 1 FROM aid_comp_areas a WHERE a.required)
		AND NOT EXISTS (SELECT 1 FROM aid_comp_areas a WHERE a.required AND NOT EXISTS (
			SELECT 1 FROM aid_competencies c JOIN aid_comp_levels l ON l.code = c.level
			WHERE c.user_id = s.id AND c.area = a.code AND l.rank >= $1))
		ORDER BY s.unit_id, s.id`, append([]any{minRank}, idArgs(unitIDs)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var name string
		if err := rows.Scan(&unit, &name); err != nil {
			return nil, err
		}
		out[unit] = append(out[unit], name)
	}
	return out, rows.Err()
}

// AidMentorships lists a pairing's mentor–trainee assignments.
func (db *DB) AidMentorships(ctx context.Context, pairingID int64) ([]aid.Mentorship, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT m.id, m.mentor_id, a.name, m.trainee_id, b.name, m.area
		FROM aid_mentorships m JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.trainee_id
		WHERE m.pairing_id = $1 ORDER BY m.id`, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Mentorship
	for rows.Next() {
		m := aid.Mentorship{PairingID: pairingID}
		if err := rows.Scan(&m.ID, &m.MentorID, &m.MentorName, &m.TraineeID, &m.TraineeName, &m.Area); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CreateAidMentorship inserts an assignment with its audit entry
// (ErrConflict when it exists).
func (db *DB) CreateAidMentorship(ctx context.Context, m aid.Mentorship, actorID int64, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO aid_mentorships (pairing_id, mentor_id, trainee_id, area, created_by,
			created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, m.PairingID, m.MentorID, m.TraineeID, m.Area,
			nullID(actorID), db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.ErrConflict
		}
		if err != nil {
			return err
		}
		rec.Detail += " mentorship=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AidEvaluationWork is a person's evaluation work proposed on the legal
// days from..to: the records they graded, the problems they found and
// how many of those the committee overturned.
func (db *DB) AidEvaluationWork(ctx context.Context, userID int64, from, to string) (aid.EvaluationWork, error) {
	var w aid.EvaluationWork
	err := db.r.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM((SELECT count(*) FROM evaluation_record_items i WHERE i.record_id = r.id AND i.class IN ('flaw', 'serious'))), 0),
		COALESCE(SUM((SELECT count(*) FROM evaluation_record_items i WHERE i.record_id = r.id AND i.class IN ('flaw', 'serious')
			AND i.overturned = TRUE)), 0)
		FROM evaluation_records r WHERE r.evaluator_id = $1 AND r.proposed_grade <> '' AND r.proposed_on >= $2 AND r.proposed_on <= $3`,
		userID, from, to).Scan(&w.Records, &w.Findings, &w.Overturned)
	return w, err
}
