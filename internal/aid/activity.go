package aid

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Activity kinds.
const (
	KindVisit    = "visit"    // 走访
	KindMeeting  = "meeting"  // 会议
	KindTraining = "training" // 培训
	KindLiaison  = "liaison"  // 联络
)

// ActivityKinds lists the kinds in display order.
func ActivityKinds() []string { return []string{KindVisit, KindMeeting, KindTraining, KindLiaison} }

// Follow-up statuses.
const (
	FollowOpen = "open" // 未落实
	FollowDone = "done" // 已落实
)

// FollowUpStatuses lists the statuses.
func FollowUpStatuses() []string { return []string{FollowOpen, FollowDone} }

// Activity is one visit, meeting, training or liaison of a pairing.
type Activity struct {
	ID           int64
	PairingID    int64
	Kind         string
	HeldOn       string
	Place        string
	Participants string
	Agreed       string
	FollowUps    []FollowUp
	CreatedAt    time.Time
}

// FollowUp is an item agreed at an activity.
type FollowUp struct {
	ID         int64  `json:"id"`
	ActivityID int64  `json:"activity_id"`
	Item       string `json:"item"`
	Owner      string `json:"owner"`
	DueOn      string `json:"due_on"`
	Status     string `json:"status"`
	DoneOn     string `json:"done_on"`
}

// ActivityInput is an activity as a form or a request gives it.
type ActivityInput struct {
	Kind         string          `json:"kind"`
	HeldOn       string          `json:"held_on"`
	Place        string          `json:"place"`
	Participants string          `json:"participants"`
	Agreed       string          `json:"agreed"`
	FollowUps    []FollowUpInput `json:"follow_ups"`
}

// FollowUpInput is one follow-up item of an activity input.
type FollowUpInput struct {
	Item   string `json:"item"`
	Owner  string `json:"owner"`
	DueOn  string `json:"due_on"`
	Status string `json:"status"`
}

// ActivityStore keeps activities and their follow-ups.
type ActivityStore interface {
	// AidActivities lists a pairing's activities, latest first, with
	// their follow-ups.
	AidActivities(ctx context.Context, pairingID int64) ([]Activity, error)
	// CreateAidActivity inserts an activity and its follow-ups.
	CreateAidActivity(ctx context.Context, a Activity, actorID int64, rec audit.Record) (int64, error)
	// AidFollowUp loads one follow-up with its pairing id.
	AidFollowUp(ctx context.Context, id int64) (FollowUp, int64, error)
	// SetAidFollowUp changes a follow-up's status and done date.
	SetAidFollowUp(ctx context.Context, id int64, status, doneOn string, rec audit.Record) error
}

// Activities lists a pairing's activities, audited.
func (s *Service) Activities(ctx context.Context, r Request, pairingID int64) (Pairing, []Activity, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Pairing{}, nil, err
	}
	as, err := s.store.AidActivities(ctx, pairingID)
	if err != nil {
		return Pairing{}, nil, err
	}
	if err := s.audited(ctx, r, "aid.activity.list", pairingID, fmt.Sprintf("rows=%d", len(as))); err != nil {
		return Pairing{}, nil, err
	}
	return pr, as, nil
}

// AddActivity logs an activity with its follow-ups. Every date lies in
// the pairing's period.
func (s *Service) AddActivity(ctx context.Context, r Request, pairingID int64, in ActivityInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	if !slices.Contains(ActivityKinds(), in.Kind) {
		add(v, "kind", "err.aid_kind_invalid")
	}
	checkDate(v, "held_on", in.HeldOn, &pr)
	a := Activity{PairingID: pairingID, Kind: in.Kind, HeldOn: in.HeldOn, Place: strings.TrimSpace(in.Place),
		Participants: strings.TrimSpace(in.Participants), Agreed: strings.TrimSpace(in.Agreed)}
	checkText(v, "place", a.Place, maxPlace, true)
	checkText(v, "participants", a.Participants, maxLong, true)
	checkText(v, "agreed", a.Agreed, maxLong, false)
	if len(in.FollowUps) > maxFollowUps {
		add(v, "follow_ups", "err.aid_too_many", maxFollowUps)
	}
	for i, f := range in.FollowUps {
		f.Item, f.Owner = strings.TrimSpace(f.Item), strings.TrimSpace(f.Owner)
		if f.Item == "" && f.Owner == "" && f.DueOn == "" {
			continue // an empty row of the form
		}
		p := fmt.Sprintf("follow_ups[%d].", i)
		checkText(v, p+"item", f.Item, maxPlace, true)
		checkText(v, p+"owner", f.Owner, maxShort, true)
		checkDate(v, p+"due_on", f.DueOn, &pr)
		if f.Status == "" {
			f.Status = FollowOpen
		}
		if !slices.Contains(FollowUpStatuses(), f.Status) {
			add(v, p+"status", "err.aid_status_invalid")
		}
		fu := FollowUp{Item: f.Item, Owner: f.Owner, DueOn: f.DueOn, Status: f.Status}
		if f.Status == FollowDone {
			fu.DoneOn = s.Today()
		}
		a.FollowUps = append(a.FollowUps, fu)
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	return s.store.CreateAidActivity(ctx, a, r.P.UserID, r.record("aid.activity.create", objPairing, pairingID,
		fmt.Sprintf("kind=%s held_on=%s follow_ups=%d", a.Kind, a.HeldOn, len(a.FollowUps))))
}

// SetFollowUp marks a follow-up open or done and returns it with its
// pairing.
func (s *Service) SetFollowUp(ctx context.Context, r Request, id int64, status string) (FollowUp, int64, error) {
	f, pairingID, err := s.store.AidFollowUp(ctx, id)
	if err != nil {
		return FollowUp{}, 0, err
	}
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return FollowUp{}, 0, err
	}
	if !CanWrite(r.P, pr) {
		return FollowUp{}, 0, apperr.ErrForbidden
	}
	if !slices.Contains(FollowUpStatuses(), status) {
		return FollowUp{}, 0, invalid("status", "err.aid_status_invalid")
	}
	done := ""
	if status == FollowDone {
		done = f.DoneOn
		if done == "" {
			done = s.Today()
		}
	}
	if err := s.store.SetAidFollowUp(ctx, id, status, done, r.record("aid.followup.set", objPairing, pairingID,
		fmt.Sprintf("followup=%d status=%s", id, status))); err != nil {
		return FollowUp{}, 0, err
	}
	f.Status, f.DoneOn = status, done
	return f, pairingID, nil
}
